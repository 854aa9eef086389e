#!/usr/bin/env bash
# Renders charts/foxhound with the default, kind and production values and validates every object
# with kubeconform: built-in kinds against the Kubernetes schemas, agent-sandbox kinds against JSON
# schemas generated from the CRDs of the pinned agent-sandbox release, other CRDs from the
# datreeio CRDs catalog. CI runs it (it needs the network); `make test` covers the rest offline.
#
# Usage: k8s/scripts/kubeconform.sh [--dry-run]
# Environment: KUBECONFORM (default kubeconform), HELM (default helm), KUBERNETES_VERSION (default 1.32.0).

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
parse_common_flags "$@"
[ "${#REST_ARGS[@]}" -eq 0 ] || die "unexpected arguments: ${REST_ARGS[*]} (see --help)"
KUBECONFORM=${KUBECONFORM:-kubeconform}
need "$KUBECONFORM" "https://github.com/yannh/kubeconform#installation"
need "$HELM" "https://helm.sh/docs/intro/install/"
need python3 "install python3 and PyYAML"
need curl "install curl with your package manager"

if [ "$DRY_RUN" = 1 ]; then
  work=/tmp/foxhound-kubeconform # shown only: a dry run creates nothing
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi

run mkdir -p "$work/rendered" "$work/schemas"
# helm template has no cluster to read the API server's address from: the render values give one,
# and production gets the per-environment values its deploy workflow passes.
cluster=(-f tools/delivery/values/cluster.yaml)
for values in values.yaml values-dev.yaml values-production.yaml; do
  extra=()
  [ "$values" != values-production.yaml ] || extra=(-f tools/delivery/values/production-environment.yaml)
  render=("$HELM" template "$RELEASE" charts/foxhound --namespace "$NAMESPACE" -f "charts/foxhound/$values" "${cluster[@]}" "${extra[@]+"${extra[@]}"}")
  if [ "$DRY_RUN" = 1 ]; then
    show_command "${render[@]}"
  else
    "${render[@]}" >"$work/rendered/$values"
  fi
done

# JSON schemas from the agent-sandbox CRDs, named <kind>-<version>.json (lower case).
run curl -fsSL -o "$work/sandbox-with-extensions.yaml" \
  "https://github.com/kubernetes-sigs/agent-sandbox/releases/download/${AGENT_SANDBOX_VERSION}/sandbox-with-extensions.yaml"
run curl -fsSL -o "$work/openapi2jsonschema.py" \
  "https://raw.githubusercontent.com/yannh/kubeconform/v0.6.7/scripts/openapi2jsonschema.py"
if [ "$DRY_RUN" = 1 ]; then
  show_command python3 openapi2jsonschema.py sandbox-with-extensions.yaml
else
  (cd "$work/schemas" && FILENAME_FORMAT='{kind}-{version}' python3 ../openapi2jsonschema.py ../sandbox-with-extensions.yaml)
fi

run "$KUBECONFORM" -strict -summary -output text \
  -kubernetes-version "${KUBERNETES_VERSION:-1.32.0}" \
  -schema-location default \
  -schema-location "$work/schemas/{{ .ResourceKind }}-{{ .ResourceAPIVersion }}.json" \
  -schema-location 'https://raw.githubusercontent.com/datreeio/CRDs-catalog/main/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json' \
  "$work/rendered"
