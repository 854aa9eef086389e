#!/usr/bin/env bash
# Smoke test after a deploy, through the endpoint the release's clients use: the Ingress's host
# (https when it has TLS), else the gateway Service's load balancer (https when its port is named
# https: the NLB terminates TLS), else a kubectl port-forward (a ClusterIP Service, an internal NLB,
# or --port-forward). Then, each step bounded by one deadline:
#   1. GET /readyz answers 200 (DNS and load balancer targets settle first);
#   2. a warm sandbox is Ready and runs the image the SandboxTemplate names (helm --wait ignores the
#      warm pool, so a broken executor image would pass it);
#   3. one canned, read-only investigation streams to a `result` event.
# Exits non-zero (so the deploy workflow rolls back) when a step fails or the deadline passes.
#
# Usage: k8s/scripts/smoke-test.sh [--dry-run] [--timeout SECONDS] [--port-forward] [--skip-investigation]
# Environment: FOXHOUND_NAMESPACE, FOXHOUND_RELEASE (default foxhound), FOXHOUND_SANDBOX_NAMESPACE
#   (default: the release namespace), FOXHOUND_KEY (API key for the investigation; default: the
#   release Secret's GATEWAY_BOOTSTRAP_ADMIN_KEY), SMOKE_CA_FILE (CA bundle for a private certificate),
#   SMOKE_PROMPT (the question asked).

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
parse_common_flags "$@"
timeout=600
port_forward=0
investigate=1
set -- "${REST_ARGS[@]+"${REST_ARGS[@]}"}"
while [ "$#" -gt 0 ]; do
  case $1 in
    --timeout)
      [[ ${2:-} =~ ^[0-9]+$ ]] || die "--timeout needs a number of seconds"
      timeout=$2
      shift
      ;;
    --port-forward) port_forward=1 ;;
    --skip-investigation) investigate=0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
  shift
done
need kubectl "https://kubernetes.io/docs/tasks/tools/"
need curl "install curl with your package manager"

SANDBOX_NAMESPACE=${FOXHOUND_SANDBOX_NAMESPACE:-$NAMESPACE}
prompt=${SMOKE_PROMPT:-"Smoke test: list the workloads in namespace $NAMESPACE and report whether they are healthy."}
gateway="$RELEASE-gateway"
executor="$RELEASE-executor"
deadline=$((SECONDS + timeout))
curl_tls=()
[ -z "${SMOKE_CA_FILE:-}" ] || curl_tls=(--cacert "$SMOKE_CA_FILE")

k() { kubectl -n "$NAMESPACE" "$@"; }
ks() { kubectl -n "$SANDBOX_NAMESPACE" "$@"; }
remaining() { echo $((deadline > SECONDS ? deadline - SECONDS : 1)); }
expired() { [ "$SECONDS" -ge "$deadline" ]; }

if [ "$DRY_RUN" = 1 ]; then
  show_command kubectl -n "$NAMESPACE" get ingress "$gateway" --ignore-not-found -o 'jsonpath={.spec.rules[0].host} {.spec.tls[0].secretName}'
  show_command kubectl -n "$NAMESPACE" get service "$gateway" -o 'jsonpath={.spec.type} {.spec.ports[0].name} {.spec.ports[0].port}'
  show_command curl -fsS --max-time 5 "<scheme>://<host>/readyz"
  show_command kubectl -n "$SANDBOX_NAMESPACE" get sandboxwarmpools.extensions.agents.x-k8s.io "$executor" -o 'jsonpath={.spec.replicas} {.status.readyReplicas}'
  show_command kubectl -n "$SANDBOX_NAMESPACE" get pods -l "app.kubernetes.io/name=executor,app.kubernetes.io/instance=$RELEASE"
  [ "$investigate" = 0 ] || show_command curl -fsS -N -X POST "<scheme>://<host>/investigate"
  exit 0
fi

scratch=$(mktemp -d)
forward_pid=""
cleanup() {
  [ -z "$forward_pid" ] || kill "$forward_pid" 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT

# Forwards a free local port to the gateway Service and sets base to it.
start_port_forward() {
  local service_port=$1 port=""
  k port-forward "service/$gateway" ":$service_port" >"$scratch/forward.log" 2>&1 &
  forward_pid=$!
  until [ -n "$port" ]; do
    expired && die "kubectl port-forward to service $gateway did not start: $(cat "$scratch/forward.log")"
    kill -0 "$forward_pid" 2>/dev/null || die "kubectl port-forward exited: $(cat "$scratch/forward.log")"
    port=$(sed -n 's/^Forwarding from 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$scratch/forward.log" | head -1)
    [ -n "$port" ] || sleep 1
  done
  base="http://127.0.0.1:$port"
}

# Sets base to the URL clients use, as the release's own objects describe it. Not run in a
# subshell, so the port-forward it may start stays ours to stop.
endpoint() {
  local ingress host tls type port_name port scheme address
  read -r type port_name port <<<"$(k get service "$gateway" -o 'jsonpath={.spec.type} {.spec.ports[0].name} {.spec.ports[0].port}')"
  [ -n "$type" ] || die "service $gateway not found in namespace $NAMESPACE"
  if [ "$port_forward" = 1 ]; then
    start_port_forward "$port"
    return
  fi
  ingress=$(k get ingress "$gateway" --ignore-not-found -o 'jsonpath={.spec.rules[0].host} {.spec.tls[0].secretName}')
  if [ -n "$ingress" ]; then
    read -r host tls <<<"$ingress"
    base="$([ -n "$tls" ] && echo https || echo http)://$host"
    return
  fi
  scheme=$(k get service "$gateway" -o 'jsonpath={.metadata.annotations.service\.beta\.kubernetes\.io/aws-load-balancer-scheme}')
  if [ "$type" != LoadBalancer ] || [ "$scheme" = internal ]; then
    log "service $gateway is $type${scheme:+ ($scheme)}: checking through kubectl port-forward"
    start_port_forward "$port"
    return
  fi
  address=""
  until [ -n "$address" ]; do
    expired && die "service $gateway has no load balancer address after ${timeout}s"
    address=$(k get service "$gateway" -o 'jsonpath={.status.loadBalancer.ingress[0].hostname}{.status.loadBalancer.ingress[0].ip}')
    [ -n "$address" ] || sleep 10
  done
  if [ "$port_name" = https ]; then
    base="https://$address$([ "$port" = 443 ] || echo ":$port")"
  else
    base="http://$address$([ "$port" = 80 ] || echo ":$port")"
  fi
}

base=""
endpoint
log "checking $base/readyz"
until body=$(curl -fsS "${curl_tls[@]+"${curl_tls[@]}"}" --max-time 5 "$base/readyz" 2>"$scratch/curl.err"); do
  expired && die "$base/readyz did not answer 200 within ${timeout}s: $(cat "$scratch/curl.err")"
  sleep 5
done
log "ready: $body"

# A warm sandbox from the deployed executor image.
read -r replicas _ <<<"$(ks get sandboxwarmpools.extensions.agents.x-k8s.io "$executor" -o 'jsonpath={.spec.replicas} {.status.readyReplicas}')"
[ -n "${replicas:-}" ] || die "no SandboxWarmPool $executor in namespace $SANDBOX_NAMESPACE"
if [ "$replicas" -gt 0 ]; then
  image=$(ks get sandboxtemplates.extensions.agents.x-k8s.io "$executor" -o 'jsonpath={.spec.podTemplate.spec.containers[0].image}')
  log "waiting for a Ready warm sandbox running $image"
  until ks get pods -l "app.kubernetes.io/name=executor,app.kubernetes.io/instance=$RELEASE" \
    -o 'jsonpath={range .items[*]}{.spec.containers[0].image} {.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' |
    grep -qxF "$image True"; do
    expired && die "no Ready sandbox pod runs $image after ${timeout}s (kubectl -n $SANDBOX_NAMESPACE get sandboxes,pods)"
    sleep 5
  done
  log "a warm sandbox is Ready"
else
  log "the warm pool has 0 replicas: sandboxes start on demand, checked by the investigation"
fi

[ "$investigate" = 1 ] || exit 0
key=${FOXHOUND_KEY:-$(k get secret "$RELEASE-internal" --ignore-not-found -o 'jsonpath={.data.GATEWAY_BOOTSTRAP_ADMIN_KEY}' | base64 -d)}
[ -n "$key" ] || die "no API key for the investigation: set FOXHOUND_KEY (or pass --skip-investigation)"
# The key goes to curl in a private header file, never on its command line.
(umask 077 && printf 'X-API-Key: %s\n' "$key" >"$scratch/headers")
escaped=${prompt//\\/\\\\}
escaped=${escaped//\"/\\\"}
body=$(printf '{"prompt":"%s","namespaces":["%s"]}' "$escaped" "$NAMESPACE")
log "investigating: $prompt"
curl -fsS -N "${curl_tls[@]+"${curl_tls[@]}"}" --max-time "$(remaining)" -X POST "$base/investigate" \
  -H @"$scratch/headers" -H 'Content-Type: application/json' --data "$body" >"$scratch/stream" 2>"$scratch/curl.err" ||
  die "POST $base/investigate failed: $(cat "$scratch/curl.err") $(tail -c 500 "$scratch/stream")"
grep -q '^event: *result$' "$scratch/stream" ||
  die "the investigation did not end in a result (events: $(sed -n 's/^event: *//p' "$scratch/stream" | paste -sd' ' -)): $(tail -c 500 "$scratch/stream")"
log "healthy: the investigation streamed $(grep -c '^event:' "$scratch/stream") events and ended in a result"
