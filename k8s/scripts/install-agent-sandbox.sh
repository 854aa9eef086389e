#!/usr/bin/env bash
# Installs kubernetes-sigs/agent-sandbox (core and extensions: Sandbox, SandboxTemplate, SandboxClaim,
# SandboxWarmPool) at the pinned release into the current kubectl context, then waits for its
# controller and CRDs.
#
# Usage: k8s/scripts/install-agent-sandbox.sh [--dry-run]
# Environment: AGENT_SANDBOX_VERSION (default v0.5.6), KUBECONFIG / the current context.

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
parse_common_flags "$@"
[ "${#REST_ARGS[@]}" -eq 0 ] || die "unexpected arguments: ${REST_ARGS[*]} (see --help)"
need kubectl "https://kubernetes.io/docs/tasks/tools/"

manifest="https://github.com/kubernetes-sigs/agent-sandbox/releases/download/${AGENT_SANDBOX_VERSION}/sandbox-with-extensions.yaml"
log "installing agent-sandbox ${AGENT_SANDBOX_VERSION}"
# Server-side apply: the CRDs embed a whole PodSpec and exceed the client-side annotation limit.
run kubectl apply --server-side --force-conflicts -f "$manifest"
run kubectl wait --for=condition=Established --timeout=120s \
  crd/sandboxes.agents.x-k8s.io \
  crd/sandboxtemplates.extensions.agents.x-k8s.io \
  crd/sandboxclaims.extensions.agents.x-k8s.io \
  crd/sandboxwarmpools.extensions.agents.x-k8s.io
# The controller also serves the CRDs' conversion webhook: nothing works until it is up.
run kubectl -n agent-sandbox-system rollout status deployment/agent-sandbox-controller --timeout=300s
log "agent-sandbox ${AGENT_SANDBOX_VERSION} is ready"
