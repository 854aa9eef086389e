// Writes a capture in the scenario format (libs/contracts/src/scenario.ts): objects/<topic>.yaml
// as `kind: List` documents, logs/<ns>/<pod>/<container>[.previous].log, and a scenario.yaml whose
// title, prompt and expectations the user fills in. Names become paths only if they are names.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ScenarioManifestSchema } from '@foxhound/contracts';
import { type KubeObject } from '../types';
import { CAPTURED_KINDS } from './kinds';

export interface CapturedLog {
  namespace: string;
  pod: string;
  container: string;
  current?: string;
  previous?: string;
}

export interface Capture {
  capturedAt: string;
  namespaces: string[];
  server: string;
  objects: KubeObject[];
  logs: CapturedLog[];
}

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function segment(name: string): string {
  if (!NAME.test(name) || name.includes('..') || name.length > 253) {
    throw new Error(`refusing to write a path for "${name}": not a Kubernetes object name`);
  }
  return name;
}

/** Fails unless `dir` is missing or empty, so a capture never mixes with other files. */
export async function ensureEmptyDir(dir: string): Promise<void> {
  try {
    if ((await readdir(dir)).length)
      throw new Error(`${dir} is not empty: choose a new directory for the capture`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

function fileOf(o: KubeObject): string {
  if (o.kind === 'Namespace') return 'namespaces';
  const k = CAPTURED_KINDS.find((c) => c.kind === o.kind && c.apiVersion === o.apiVersion);
  if (!k) throw new Error(`no objects/ file for ${o.apiVersion} ${o.kind}`);
  return k.file;
}

function manifest(c: Capture): string {
  const scope = c.namespaces.join(', ');
  const doc = {
    title: `Capture of ${scope} at ${c.capturedAt}`,
    description: '',
    capturedAt: c.capturedAt,
    namespaces: c.namespaces,
    prompt: `What is wrong in ${scope}?`,
    expect: {},
    tags: ['captured'],
  };
  ScenarioManifestSchema.parse(doc);
  return [
    `# Captured by \`kube-sim snapshot\` from ${c.server} at ${c.capturedAt}.`,
    '# Before using it as a test scenario, write the title, the prompt (or an alert) an on-call engineer',
    '# would send, a description of what happened, and `expect` (healthy, rootCause, object, actions):',
    '# see scenarios/README.md. Secret values are redacted; logs are bounded.',
    stringify(doc, { lineWidth: 0 }),
  ].join('\n');
}

export async function writeScenario(dir: string, c: Capture): Promise<void> {
  await ensureEmptyDir(dir);
  await mkdir(join(dir, 'objects'), { recursive: true });
  const files = new Map<string, KubeObject[]>();
  for (const o of c.objects) files.set(fileOf(o), [...(files.get(fileOf(o)) ?? []), o]);
  for (const [file, items] of files) {
    const list = { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
    await writeFile(join(dir, 'objects', `${file}.yaml`), stringify(list, { lineWidth: 0 }));
  }
  for (const log of c.logs) {
    const podDir = join(dir, 'logs', segment(log.namespace), segment(log.pod));
    await mkdir(podDir, { recursive: true });
    const container = segment(log.container);
    if (log.current !== undefined) await writeFile(join(podDir, `${container}.log`), log.current);
    if (log.previous !== undefined) await writeFile(join(podDir, `${container}.previous.log`), log.previous);
  }
  await writeFile(join(dir, 'scenario.yaml'), manifest(c));
}
