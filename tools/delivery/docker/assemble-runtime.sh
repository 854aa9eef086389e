#!/usr/bin/env bash
# Assembles one service's runtime tree inside its image build (./Dockerfile, stage `assemble`):
# the production node_modules npm installed for that one workspace, plus, for every workspace package
# those modules link to (the app and the libs it imports), only what runs: package.json, dist/ and
# data folders such as skills/; never src/ (nor the console's TypeScript, built into the gateway's dist/),
# tests, build configs or top-level docs.
#
# Usage: assemble-runtime.sh <built-source-root> <prod-deps-root> <output-dir>
set -euo pipefail

if [ "$#" -ne 3 ]; then
  echo "usage: $0 <built-source-root> <prod-deps-root> <output-dir>" >&2
  exit 2
fi
src=$1
deps=$2
out=$3

mkdir -p "$out"
cp "$deps/package.json" "$out/package.json"
cp -a "$deps/node_modules" "$out/node_modules"

linked=0
for link in "$deps"/node_modules/@foxhound/*; do
  [ -L "$link" ] || continue
  # npm links a workspace package as ../../<libs|apps>/<name>.
  workspace=$(readlink "$link")
  workspace=${workspace#../../}
  if [ ! -d "$src/$workspace/dist" ]; then
    echo "assemble-runtime: $workspace has no dist/ in $src: build it before assembling" >&2
    exit 1
  fi
  mkdir -p "$out/$workspace"
  for entry in "$src/$workspace"/* "$src/$workspace"/.[!.]*; do
    [ -e "$entry" ] || continue
    case $(basename "$entry") in
      src | console | node_modules | coverage | Dockerfile | jest.config.* | tsconfig*.json | *.tsbuildinfo | .eslintrc* | *.md) continue ;;
    esac
    cp -a "$entry" "$out/$workspace/"
  done
  # Dependencies npm had to nest under the workspace (version conflicts).
  if [ -d "$deps/$workspace/node_modules" ]; then
    cp -a "$deps/$workspace/node_modules" "$out/$workspace/node_modules"
  fi
  linked=$((linked + 1))
done

if [ "$linked" -eq 0 ]; then
  echo "assemble-runtime: no @foxhound workspace packages in $deps/node_modules" >&2
  exit 1
fi
echo "assemble-runtime: $linked workspace package(s) into $out"
