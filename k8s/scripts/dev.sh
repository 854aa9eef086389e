#!/usr/bin/env bash
# The dev loop on kind: build the images, load them into the cluster, install or upgrade the chart
# with charts/foxhound/values-dev.yaml, then port-forward the gateway to http://127.0.0.1:8000 and
# tail the logs. Ctrl+C stops the port-forward and the log tail and deletes the investigations'
# sandbox claims; the release stays installed for the next run (DEV_UNINSTALL=1 removes it too).
#
# Usage: k8s/scripts/dev.sh [--dry-run] [--skip-build]
#   --skip-build   reuse images already loaded (same tag)
#   --dry-run      print the commands instead of running them
# Environment: FOXHOUND_CLUSTER, FOXHOUND_NAMESPACE, FOXHOUND_RELEASE (all default to foxhound),
#   DEV_PORT (default 8000), ANTHROPIC_API_KEY (optional; without it the offline engine runs),
#   DEV_UNINSTALL=1 (uninstall the release on exit), HELM (default helm).

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
parse_common_flags "$@"
skip_build=0
for arg in "${REST_ARGS[@]+"${REST_ARGS[@]}"}"; do
  case $arg in
    --skip-build) skip_build=1 ;;
    *) die "unknown argument $arg (see --help)" ;;
  esac
done
need docker "https://docs.docker.com/engine/install/"
need kind "https://kind.sigs.k8s.io/docs/user/quick-start/#installation"
need kubectl "https://kubernetes.io/docs/tasks/tools/"
need "$HELM" "https://helm.sh/docs/intro/install/"
if [ "$DRY_RUN" = 0 ]; then
  kind get clusters 2>/dev/null | grep -qx "$CLUSTER_NAME" || die "no kind cluster $CLUSTER_NAME: run make kind-setup first"
fi

port=${DEV_PORT:-8000}
IMAGE_TAG=$(image_tag)
export IMAGE_TAG
flags=()
[ "$DRY_RUN" = 1 ] && flags+=(--dry-run)
background=()
secret_values=""

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  log "stopping"
  if [ "${#background[@]}" -gt 0 ]; then kill "${background[@]}" 2>/dev/null || true; fi
  [ -z "$secret_values" ] || rm -f "$secret_values"
  run kubectl -n "$NAMESPACE" delete sandboxclaims.extensions.agents.x-k8s.io --all --ignore-not-found --wait=false || true
  if [ "${DEV_UNINSTALL:-0}" = 1 ]; then run "$HELM" uninstall "$RELEASE" --namespace "$NAMESPACE" || true; fi
  exit "$status"
}

# Starts a long-running command in the background (or prints it, with a trailing &).
run_background() {
  if [ "$DRY_RUN" = 1 ]; then
    printf '%s &\n' "$(show_command "$@")"
  else
    "$@" &
    background+=("$!")
  fi
}

run kubectl config use-context "kind-$CLUSTER_NAME"
if [ "$skip_build" = 0 ]; then
  k8s/scripts/images.sh "${flags[@]+"${flags[@]}"}"
  k8s/scripts/kind-load.sh "${flags[@]+"${flags[@]}"}"
fi

values=(-f charts/foxhound/values-dev.yaml --set-string "global.image.tag=$IMAGE_TAG")
if [ -n "${ANTHROPIC_API_KEY:-}" ]; then
  # Through a private file, not --set, so the key never shows in the process list.
  if [ "$DRY_RUN" = 1 ]; then
    secret_file=/tmp/foxhound-dev-secrets.yaml
  else
    secret_values=$(umask 077 && mktemp)
    printf 'global:\n  secrets:\n    values:\n      anthropicApiKey: %s\n' "$ANTHROPIC_API_KEY" >"$secret_values"
    secret_file=$secret_values
  fi
  values+=(-f "$secret_file")
fi

[ "$DRY_RUN" = 1 ] || trap cleanup EXIT INT TERM
log "installing release $RELEASE (images tagged $IMAGE_TAG)"
run "$HELM" upgrade --install "$RELEASE" charts/foxhound --namespace "$NAMESPACE" --create-namespace \
  "${values[@]}" --wait --timeout 5m

run_background kubectl -n "$NAMESPACE" port-forward "svc/$RELEASE-gateway" "$port:80"
run_background kubectl -n "$NAMESPACE" logs -f --prefix --all-containers --max-log-requests 20 \
  -l "app.kubernetes.io/instance=$RELEASE"
log "gateway: http://127.0.0.1:$port (Ctrl+C to stop)"
log "admin key: kubectl -n $NAMESPACE get secret $RELEASE-internal -o jsonpath='{.data.GATEWAY_BOOTSTRAP_ADMIN_KEY}' | base64 -d"
[ "$DRY_RUN" = 1 ] && exit 0
wait
