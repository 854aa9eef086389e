// Renders charts/foxhound with the real helm and parses the result. A render is cached on disk
// (.tools/render-cache/<chart content hash>/<arguments hash>.json), so every test file and jest
// worker that asks for the same values shares one helm run, and an edited chart renders afresh.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { HELM_VERSION, helm } from '../support/helm';
import { chartDir, toolsDir } from '../support/repo';
import { type K8sObject } from './manifests';

export const RELEASE = 'foxhound';
export const NAMESPACE = 'foxhound';

export interface RenderOptions {
  /** Values files relative to the chart directory, e.g. `values-production.yaml`. */
  valuesFiles?: string[];
  /** `--set` and `--set-string` pairs. */
  set?: Record<string, string | number | boolean>;
  setString?: Record<string, string>;
  /** Extra values as an object, written to a temp file (for lists and maps). */
  values?: Record<string, unknown>;
  namespace?: string;
}

export interface RenderResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

const cacheDir = path.join(toolsDir, 'render-cache');

function chartFingerprint(): string {
  const hash = createHash('sha256').update(HELM_VERSION);
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else hash.update(path.relative(chartDir, full)).update('\0').update(readFileSync(full)).update('\0');
    }
  };
  walk(chartDir);
  return hash.digest('hex');
}

function helmArgs(options: RenderOptions, valuesFile: string | undefined): string[] {
  const args = ['template', RELEASE, chartDir, '--namespace', options.namespace ?? NAMESPACE];
  for (const file of options.valuesFiles ?? []) args.push('-f', path.join(chartDir, file));
  if (valuesFile) args.push('-f', valuesFile);
  for (const [key, value] of Object.entries(options.set ?? {})) args.push('--set', `${key}=${value}`);
  for (const [key, value] of Object.entries(options.setString ?? {}))
    args.push('--set-string', `${key}=${value}`);
  return args;
}

/** `helm template` with these values; cached. Failures are results, not exceptions. */
let currentDir: string | undefined;

/** The cache folder of the chart as it is now; folders of older chart versions go after an hour. */
function chartCacheDir(): string {
  if (currentDir) return currentDir;
  const fingerprint = chartFingerprint().slice(0, 24);
  mkdirSync(path.join(cacheDir, fingerprint), { recursive: true });
  for (const entry of readdirSync(cacheDir)) {
    const dir = path.join(cacheDir, entry);
    if (entry !== fingerprint && Date.now() - statSync(dir).mtimeMs > 3_600_000) {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  currentDir = path.join(cacheDir, fingerprint);
  return currentDir;
}

export function render(options: RenderOptions = {}): RenderResult {
  const dir = chartCacheDir();
  // Values files outside the chart (tools/delivery/values) are part of the key by content.
  const files = (options.valuesFiles ?? []).map((file) => readFileSync(path.join(chartDir, file), 'utf8'));
  const key = createHash('sha256')
    .update(JSON.stringify([options, files]))
    .digest('hex')
    .slice(0, 32);
  const cached = path.join(dir, `${key}.json`);
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8')) as RenderResult;

  let valuesFile: string | undefined;
  if (options.values) {
    valuesFile = path.join(dir, `${key}.values.json`);
    writeFileSync(valuesFile, JSON.stringify(options.values));
  }
  const { status, stdout, stderr } = helm(helmArgs(options, valuesFile));
  const result: RenderResult = { ok: status === 0, stdout, stderr };
  const staging = `${cached}.${process.pid}.tmp`;
  writeFileSync(staging, JSON.stringify(result));
  renameSync(staging, cached);
  return result;
}

/** Renders and parses; a failed render throws with helm's message. */
export function renderObjects(options: RenderOptions = {}): K8sObject[] {
  const result = render(options);
  if (!result.ok) throw new Error(`helm template failed:\n${result.stderr}`);
  return parseManifests(result.stdout);
}

export function parseManifests(text: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0].message}`);
    const value = doc.toJS() as K8sObject | null;
    if (value) objects.push(value);
  }
  return objects;
}
