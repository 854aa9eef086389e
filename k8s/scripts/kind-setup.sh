#!/usr/bin/env bash
# Creates the kind cluster for Foxhound (k8s/kind/cluster.yaml) unless it exists, then installs
# agent-sandbox and gVisor on it. Idempotent: safe to run again.
#
# Usage: k8s/scripts/kind-setup.sh [--dry-run]
# Environment: FOXHOUND_CLUSTER (default foxhound).

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
parse_common_flags "$@"
[ "${#REST_ARGS[@]}" -eq 0 ] || die "unexpected arguments: ${REST_ARGS[*]} (see --help)"
need docker "https://docs.docker.com/engine/install/"
need kind "https://kind.sigs.k8s.io/docs/user/quick-start/#installation"
need kubectl "https://kubernetes.io/docs/tasks/tools/"

flags=()
[ "$DRY_RUN" = 1 ] && flags+=(--dry-run)

if [ "$DRY_RUN" = 0 ] && kind get clusters 2>/dev/null | grep -qx "$CLUSTER_NAME"; then
  log "kind cluster $CLUSTER_NAME exists"
else
  log "creating kind cluster $CLUSTER_NAME"
  run kind create cluster --name "$CLUSTER_NAME" --config k8s/kind/cluster.yaml --wait 120s
fi
run kubectl config use-context "kind-$CLUSTER_NAME"

k8s/scripts/install-agent-sandbox.sh "${flags[@]+"${flags[@]}"}"
k8s/scripts/install-gvisor.sh "${flags[@]+"${flags[@]}"}"
log "cluster $CLUSTER_NAME is ready: next, make dev"
