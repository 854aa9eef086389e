#!/bin/sh
# Runs on a kind node (copied there by k8s/scripts/install-gvisor.sh): registers gVisor's runsc
# runtime with containerd, once, and restarts containerd to load it. containerd 2 (config version 3)
# and 1.x (version 2) name the CRI plugin differently.
set -eu
config=/etc/containerd/config.toml
if grep -q 'runtimes\.runsc\]' "$config"; then
  echo "runsc already registered in $config"
  exit 0
fi
if grep -q '^version = 3' "$config"; then
  plugin=io.containerd.cri.v1.runtime
else
  plugin=io.containerd.grpc.v1.cri
fi
printf '\n[plugins."%s".containerd.runtimes.runsc]\n  runtime_type = "io.containerd.runsc.v1"\n' "$plugin" >>"$config"
systemctl restart containerd
echo "runsc registered with $plugin"
