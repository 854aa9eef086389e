#!/usr/bin/env bash
# Smoke test after a deploy: waits for the gateway Service's load balancer address, then for
# GET /healthz through it to answer 200, while DNS and target registration settle. Exits non-zero
# (so the deploy workflow rolls back) when the deadline passes.
#
# Usage: k8s/scripts/smoke-test.sh [--dry-run] [--timeout SECONDS]
# Environment: FOXHOUND_NAMESPACE, FOXHOUND_RELEASE (default foxhound).

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
parse_common_flags "$@"
timeout=600
set -- "${REST_ARGS[@]+"${REST_ARGS[@]}"}"
while [ "$#" -gt 0 ]; do
  case $1 in
    --timeout)
      [[ ${2:-} =~ ^[0-9]+$ ]] || die "--timeout needs a number of seconds"
      timeout=$2
      shift
      ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
  shift
done
need kubectl "https://kubernetes.io/docs/tasks/tools/"
need curl "install curl with your package manager"

service="$RELEASE-gateway"
address_query=(kubectl -n "$NAMESPACE" get service "$service" -o
  'jsonpath={.status.loadBalancer.ingress[0].hostname}{.status.loadBalancer.ingress[0].ip}')
port_query=(kubectl -n "$NAMESPACE" get service "$service" -o 'jsonpath={.spec.ports[0].port}')
if [ "$DRY_RUN" = 1 ]; then
  show_command "${address_query[@]}"
  show_command "${port_query[@]}"
  show_command curl -fsS --max-time 5 "http://<address>:<port>/healthz"
  exit 0
fi

deadline=$((SECONDS + timeout))
address=""
until [ -n "$address" ]; do
  [ "$SECONDS" -lt "$deadline" ] || die "service $service has no load balancer address after ${timeout}s"
  address=$("${address_query[@]}")
  [ -n "$address" ] || sleep 10
done
port=$("${port_query[@]}")
url="http://$address:$port/healthz"
log "checking $url"
until body=$(curl -fsS --max-time 5 "$url" 2>/dev/null); do
  [ "$SECONDS" -lt "$deadline" ] || die "$url did not answer 200 within ${timeout}s"
  sleep 10
done
log "healthy: $body"
