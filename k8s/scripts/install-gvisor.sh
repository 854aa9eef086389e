#!/usr/bin/env bash
# Installs gVisor (runsc and its containerd shim, pinned release, SHA-512 verified) on every node of
# the kind cluster, registers the runsc runtime with each node's containerd
# (k8s/gvisor/register-runsc.sh), and applies the `gvisor` RuntimeClass (k8s/gvisor/runtimeclass.yaml).
#
# Usage: k8s/scripts/install-gvisor.sh [--dry-run]
# Environment: FOXHOUND_CLUSTER (default foxhound), GVISOR_RELEASE (default 20250707.0).

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
parse_common_flags "$@"
[ "${#REST_ARGS[@]}" -eq 0 ] || die "unexpected arguments: ${REST_ARGS[*]} (see --help)"
need docker "https://docs.docker.com/engine/install/"
need kind "https://kind.sigs.k8s.io/docs/user/quick-start/#installation"
need kubectl "https://kubernetes.io/docs/tasks/tools/"
need curl "install curl with your package manager"

sha512_check() {
  if command -v sha512sum >/dev/null 2>&1; then sha512sum -c "$@"; else shasum -a 512 -c "$@"; fi
}

if [ "$DRY_RUN" = 1 ]; then
  nodes=("$CLUSTER_NAME-control-plane" "$CLUSTER_NAME-worker")
  arch=x86_64
else
  mapfile -t nodes < <(kind get nodes --name "$CLUSTER_NAME")
  [ "${#nodes[@]}" -gt 0 ] || die "kind cluster $CLUSTER_NAME has no nodes: run k8s/scripts/kind-setup.sh first"
  arch=$(docker exec "${nodes[0]}" uname -m)
fi

if [ "$DRY_RUN" = 1 ]; then
  downloads=/tmp/foxhound-gvisor  # shown only: a dry run creates nothing
else
  downloads=$(mktemp -d)
  trap 'rm -rf "$downloads"' EXIT
fi
url="https://storage.googleapis.com/gvisor/releases/release/${GVISOR_RELEASE}/${arch}"
log "downloading gVisor ${GVISOR_RELEASE} (${arch})"
for file in runsc containerd-shim-runsc-v1; do
  run curl -fsSL --retry 3 -o "$downloads/$file" "$url/$file"
  run curl -fsSL --retry 3 -o "$downloads/$file.sha512" "$url/$file.sha512"
done
if [ "$DRY_RUN" = 1 ]; then
  show_command sha512sum -c runsc.sha512 containerd-shim-runsc-v1.sha512
else
  (cd "$downloads" && sha512_check runsc.sha512 containerd-shim-runsc-v1.sha512)
fi

for node in "${nodes[@]}"; do
  log "installing runsc on $node"
  for file in runsc containerd-shim-runsc-v1; do
    run docker cp "$downloads/$file" "$node:/usr/local/bin/$file"
    run docker exec "$node" chmod 0755 "/usr/local/bin/$file"
  done
  run docker cp k8s/gvisor/register-runsc.sh "$node:/usr/local/bin/register-runsc"
  run docker exec "$node" sh /usr/local/bin/register-runsc
done

run kubectl apply -f k8s/gvisor/runtimeclass.yaml
log "gVisor ready: pods with runtimeClassName: gvisor run under runsc"
