#!/usr/bin/env bash
# Deletes the kind cluster and everything in it.
#
# Usage: k8s/scripts/kind-down.sh [--dry-run]
# Environment: FOXHOUND_CLUSTER (default foxhound).

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
parse_common_flags "$@"
[ "${#REST_ARGS[@]}" -eq 0 ] || die "unexpected arguments: ${REST_ARGS[*]} (see --help)"
need kind "https://kind.sigs.k8s.io/docs/user/quick-start/#installation"

log "deleting kind cluster $CLUSTER_NAME"
run kind delete cluster --name "$CLUSTER_NAME"
