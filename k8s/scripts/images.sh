#!/usr/bin/env bash
# Builds the service images (./Dockerfile, one target per app as docker-bake.hcl names them) tagged with the git SHA.
#
# Usage: k8s/scripts/images.sh [--dry-run] [--push] [--platform linux/amd64,linux/arm64] [app...]
#   app          gateway, sandbox-manager, sandbox-router, executor (default: all four)
#   --push       build with buildx and push (needs REGISTRY and a docker login)
#   --platform   platforms for a buildx build (implies buildx)
#   --dry-run    print the docker commands instead of running them
# Environment: REGISTRY (e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com), IMAGE_TAG (default: git SHA).

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
parse_common_flags "$@"

push=0
platform=""
apps=()
set -- "${REST_ARGS[@]+"${REST_ARGS[@]}"}"
while [ "$#" -gt 0 ]; do
  case $1 in
    --push) push=1 ;;
    --platform)
      [ "$#" -ge 2 ] || die "--platform needs a value, e.g. linux/amd64,linux/arm64"
      platform=$2
      shift
      ;;
    --platform=*) platform=${1#--platform=} ;;
    -*) die "unknown option $1 (see --help)" ;;
    *)
      [[ " ${APPS[*]} " == *" $1 "* ]] || die "unknown app $1: choose from ${APPS[*]}"
      apps+=("$1")
      ;;
  esac
  shift
done
[ "${#apps[@]}" -gt 0 ] || apps=("${APPS[@]}")
[ "$push" = 0 ] || [ -n "${REGISTRY:-}" ] || die "--push needs REGISTRY"

need docker "https://docs.docker.com/engine/install/"
tag=$(image_tag)
revision=$(git -C "$REPO_ROOT" rev-parse HEAD)

for app in "${apps[@]}"; do
  ref=$(image_ref "$app" "$tag")
  log "building $ref"
  # The Dockerfile's target and port per app (docker-bake.hcl names the same).
  case $app in
    gateway) target=gateway port=8000 ;;
    sandbox-manager) target=service port=8081 ;;
    sandbox-router) target=service port=8080 ;;
    executor) target=executor port=8888 ;;
  esac
  args=(--file Dockerfile --target "$target" --build-arg "APP=$app" --build-arg "PORT=$port" --tag "$ref"
    --label "org.opencontainers.image.revision=$revision" --label "org.opencontainers.image.title=foxhound-$app")
  if [ "$push" = 1 ] || [ -n "$platform" ]; then
    run docker buildx build ${platform:+--platform "$platform"} "${args[@]}" \
      "$([ "$push" = 1 ] && echo --push || echo --load)" .
  else
    run docker build "${args[@]}" .
  fi
done
log "images tagged $tag"
