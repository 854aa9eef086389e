#!/usr/bin/env bash
# Prints the Kubernetes API server's endpoint addresses as CIDRs, one per line, for
# global.networkPolicy.kubeApi.cidrs: the addresses of the `kubernetes` EndpointSlice in `default`
# (NetworkPolicies see the endpoints, after the Service's DNAT). Paste them into your values, or:
#   helm upgrade ... --set "global.networkPolicy.kubeApi.cidrs={$(k8s/scripts/kube-api-cidrs.sh | paste -sd,)}"
#
# Usage: k8s/scripts/kube-api-cidrs.sh [--dry-run]
# Environment: KUBECONFIG (the cluster to ask).

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
parse_common_flags "$@"
[ "${#REST_ARGS[@]}" -eq 0 ] || die "unexpected arguments: ${REST_ARGS[*]} (see --help)"
need kubectl "https://kubernetes.io/docs/tasks/tools/"

query=(kubectl -n default get endpointslices.discovery.k8s.io -l kubernetes.io/service-name=kubernetes
  -o 'jsonpath={range .items[*].endpoints[*].addresses[*]}{@}{"\n"}{end}')
if [ "$DRY_RUN" = 1 ]; then
  show_command "${query[@]}"
  exit 0
fi
addresses=$("${query[@]}")
[ -n "$addresses" ] || die "the kubernetes EndpointSlice in namespace default lists no addresses (is this the right cluster, and may you read EndpointSlices there?)"
while read -r address; do
  case $address in
    *:*) echo "$address/128" ;;
    *) echo "$address/32" ;;
  esac
done <<<"$addresses" | sort -u
