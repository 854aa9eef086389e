# Foxhound developer entry points. `make demo` and `make test` are the README's quick start.
SHELL := /usr/bin/env bash
.DEFAULT_GOAL := help
NX := npx nx
TS_RUN := node --conditions=@foxhound/source -r ./tools/ts-run.cjs

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

node_modules/.package-lock.json: package.json package-lock.json
	npm install --no-audit --no-fund
	@touch $@

.PHONY: install
install: node_modules/.package-lock.json ## Install dependencies from the lockfile (only when it changed)

.PHONY: build
build: install ## Compile every project to dist/
	$(NX) run-many -t build --output-style=static

.PHONY: demo
demo: build ## Run the whole stack on this machine, investigate one incident with the foxhound CLI, approve its fix (DEMO_ARGS=)
	node tools/stack/dist/demo.js $(DEMO_ARGS)

.PHONY: up
up: build ## Start the whole stack and keep it running; UP_ARGS="--gateway-port N --no-self-approval" (Ctrl+C stops everything)
	node tools/stack/dist/up.js $(UP_ARGS)

.PHONY: test
test: install ## Lint, typecheck and run every test (what CI runs)
	$(NX) run-many -t lint typecheck test --output-style=static
	@node tools/scripts/test-summary.cjs

.PHONY: lint
lint: install ## Lint every project
	$(NX) run-many -t lint --output-style=static

.PHONY: format
format: install ## Format the repository with prettier
	npx prettier --write .

# ENGINE=agent-claude (needs ANTHROPIC_API_KEY) scores the model; EVAL_ARGS passes more flags
# (--lanes plain, --repeat 3, --max-cost 5, --ablate run_diagnostics, --record DIR); see tools/eval.
.PHONY: eval calibrate
eval: install ## Score engines over scenarios/ in every lane; table per engine and lane, JSON in .foxhound/eval/ (ENGINE=, SCENARIOS=, EVAL_ARGS=)
	$(TS_RUN) tools/eval/src/main.ts $(if $(SCENARIOS),--scenarios $(SCENARIOS)) $(foreach e,$(ENGINE),--engine $(e)) $(EVAL_ARGS)

calibrate: install ## Measure how often each root-cause class is right; write libs/diagnostics/src/confidence/calibration.json
	$(TS_RUN) tools/eval/src/main.ts calibrate

.PHONY: images kind-setup kind-load dev kind-down
images: ## Build the service images tagged with the git SHA (REGISTRY=, IMAGE_TAG=, ARGS=--push --platform ...)
	k8s/scripts/images.sh $(ARGS)

kind-setup: ## Create a kind cluster with agent-sandbox and gVisor
	k8s/scripts/kind-setup.sh

kind-load: ## Load the built images into kind
	k8s/scripts/kind-load.sh

dev: ## On kind: build, load, helm upgrade --install, port-forward the gateway to :8000, tail logs (Ctrl+C stops)
	k8s/scripts/dev.sh

kind-down: ## Delete the kind cluster
	k8s/scripts/kind-down.sh

.PHONY: kube-sim
kube-sim: install ## Serve a simulated cluster with a scenario (SCENARIO=scenarios/<name>)
	$(TS_RUN) libs/kube-sim/src/cli.ts serve --port $(or $(PORT),6443) $(if $(SCENARIO),--scenario $(SCENARIO)) --kubeconfig-out .foxhound/kubeconfig.yaml
