#!/usr/bin/env bash
# Shared by the k8s/scripts/*.sh entry points (sourced, not run): pinned versions, names, logging,
# the --dry-run switch (print each command instead of running it) and the image tag.
# shellcheck disable=SC2034  # the variables below are used by the scripts that source this file

set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Every path below is relative to the repository root.
cd "$REPO_ROOT"

# Pinned versions. Bump them together with the docs in k8s/README.md.
AGENT_SANDBOX_VERSION=${AGENT_SANDBOX_VERSION:-v0.5.6}
GVISOR_RELEASE=${GVISOR_RELEASE:-20250707.0}

# Names, overridable from the environment.
CLUSTER_NAME=${FOXHOUND_CLUSTER:-foxhound}
NAMESPACE=${FOXHOUND_NAMESPACE:-foxhound}
RELEASE=${FOXHOUND_RELEASE:-foxhound}
HELM=${HELM:-helm}
APPS=(gateway sandbox-manager sandbox-router executor)

DRY_RUN=${DRY_RUN:-0}

log() {
  printf '==> %s\n' "$*" >&2
}

die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# Prints a command as a shell would read it back (quoting only the words that need it).
show_command() {
  local word out="+"
  for word in "$@"; do
    if [[ $word =~ ^[A-Za-z0-9_./:=@,+%-]+$ ]]; then out+=" $word"; else out+=" $(printf '%q' "$word")"; fi
  done
  printf '%s\n' "$out"
}

# Runs a command, or prints it when --dry-run is on.
run() {
  if [ "$DRY_RUN" = 1 ]; then
    show_command "$@"
  else
    "$@"
  fi
}

# Fails early, with the install hint, when a tool is missing (skipped in --dry-run).
need() {
  local tool=$1 hint=$2
  [ "$DRY_RUN" = 1 ] && return 0
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed: $hint"
}

# Reads the common flags; prints usage (the calling script's header comment) on --help.
parse_common_flags() {
  local arg
  REST_ARGS=()
  for arg in "$@"; do
    case $arg in
      --dry-run) DRY_RUN=1 ;;
      -h | --help)
        sed -n '2,/^$/s/^# \{0,1\}//p' "$0"
        exit 0
        ;;
      *) REST_ARGS+=("$arg") ;;
    esac
  done
}

# The image tag: $IMAGE_TAG, else the short git SHA, with a content hash of uncommitted changes
# appended when the tree is dirty (so a rebuilt dev image never reuses a tag).
image_tag() {
  if [ -n "${IMAGE_TAG:-}" ]; then
    printf '%s\n' "$IMAGE_TAG"
    return
  fi
  local sha changes
  sha=$(git -C "$REPO_ROOT" rev-parse --short=12 HEAD)
  changes=$(git -C "$REPO_ROOT" status --porcelain --untracked-files=normal)
  if [ -z "$changes" ]; then
    printf '%s\n' "$sha"
    return
  fi
  printf '%s-dirty-%s\n' "$sha" "$({
    git -C "$REPO_ROOT" diff HEAD --binary
    git -C "$REPO_ROOT" ls-files --others --exclude-standard -z | (cd "$REPO_ROOT" && xargs -0 -r sha256sum)
  } | sha256sum | cut -c1-8)"
}

# Image reference of one app: [REGISTRY/]foxhound-<app>:<tag>.
image_ref() {
  local app=$1 tag=$2
  printf '%s%s:%s\n' "${REGISTRY:+${REGISTRY%/}/}" "foxhound-$app" "$tag"
}
