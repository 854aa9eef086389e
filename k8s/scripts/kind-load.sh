#!/usr/bin/env bash
# Loads the locally built service images (k8s/scripts/images.sh) into the kind cluster's nodes.
#
# Usage: k8s/scripts/kind-load.sh [--dry-run] [app...]
# Environment: FOXHOUND_CLUSTER (default foxhound), IMAGE_TAG (default: git SHA, as images.sh).

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
parse_common_flags "$@"
need kind "https://kind.sigs.k8s.io/docs/user/quick-start/#installation"

apps=("${REST_ARGS[@]+"${REST_ARGS[@]}"}")
[ "${#apps[@]}" -gt 0 ] || apps=("${APPS[@]}")
tag=$(image_tag)
refs=()
for app in "${apps[@]}"; do
  [[ " ${APPS[*]} " == *" $app "* ]] || die "unknown app $app: choose from ${APPS[*]}"
  refs+=("$(image_ref "$app" "$tag")")
done
log "loading ${refs[*]} into kind cluster $CLUSTER_NAME"
run kind load docker-image --name "$CLUSTER_NAME" "${refs[@]}"
