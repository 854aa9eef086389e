// Reads a scenario directory (format: libs/contracts/src/scenario.ts) and loads it into a running
// simulation: objects as captured (uids, ownerReferences and status kept), pod logs current and
// previous, metric series; every timestamp shifted by (now - capturedAt). Several scenarios load
// side by side: a namespaced object defined twice is an error naming the file, a cluster-scoped one
// (a node, a storage class) keeps its first definition.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  MetricSeriesSchema,
  ScenarioManifestSchema,
  type MetricSeries,
  type ScenarioManifest,
} from '@foxhound/contracts';
import { z } from 'zod';
import { apiVersionOf } from '../api/resources';
import { formatLogTime } from '../logs/log-query';
import { type LogStore } from '../logs/log-store';
import { type MetricStore } from '../metrics/metric-store';
import { type KubeStore } from '../store';
import { type KubeObject } from '../types';
import { lineTime, shiftLogTimestamps, shiftTimestamps } from './time-shift';

export interface ScenarioLog {
  namespace: string;
  pod: string;
  container: string;
  current?: string;
  previous?: string;
}

export interface ScenarioContent {
  dir: string;
  name: string;
  manifest: ScenarioManifest;
  /** Milliseconds every timestamp was moved by. */
  offsetMs: number;
  objects: { object: KubeObject; file: string }[];
  logs: ScenarioLog[];
  metrics: MetricSeries[];
}

export interface LoadedScenario {
  dir: string;
  name: string;
  manifest: ScenarioManifest;
  offsetMs: number;
  objectCount: number;
}

const MAX_FILE_BYTES = 64 * 1024 * 1024;
const OBJECT_FILE = /\.(ya?ml|json)$/;

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

async function readText(path: string): Promise<string> {
  const s = await stat(path);
  if (s.size > MAX_FILE_BYTES) throw new ScenarioError(`${path}: larger than ${MAX_FILE_BYTES} bytes`);
  return readFile(path, 'utf8');
}

async function listDir(path: string): Promise<string[]> {
  try {
    return (await readdir(path)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

function parseDocuments(text: string, file: string): unknown[] {
  return parseAllDocuments(text).flatMap((doc) => {
    if (doc.errors.length) throw new ScenarioError(`${file}: ${doc.errors[0].message}`);
    const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
    return value === null || value === undefined ? [] : [value];
  });
}

/** Flattens `kind: List` (and `PodList`-style lists) into their items. */
function flatten(value: unknown, file: string): KubeObject[] {
  const o = value as KubeObject & { items?: unknown[] };
  if (!o || typeof o !== 'object' || Array.isArray(o))
    throw new ScenarioError(`${file}: a document is not an object`);
  if (Array.isArray(o.items) && typeof o.kind === 'string' && o.kind.endsWith('List')) {
    return o.items.flatMap((i) => flatten(i, file));
  }
  if (
    typeof o.apiVersion !== 'string' ||
    typeof o.kind !== 'string' ||
    typeof o.metadata?.name !== 'string'
  ) {
    throw new ScenarioError(`${file}: every object needs apiVersion, kind and metadata.name`);
  }
  return [o];
}

async function readLogs(dir: string, offsetMs: number): Promise<ScenarioLog[]> {
  const out = new Map<string, ScenarioLog>();
  const root = join(dir, 'logs');
  for (const namespace of await listDir(root)) {
    for (const pod of await listDir(join(root, namespace))) {
      for (const file of await listDir(join(root, namespace, pod))) {
        const m = /^(.+?)(\.previous)?\.log$/.exec(file);
        if (!m) continue;
        const container = m[1];
        const k = `${namespace}/${pod}/${container}`;
        const entry = out.get(k) ?? { namespace, pod, container };
        const text = shiftLogTimestamps(await readText(join(root, namespace, pod, file)), offsetMs);
        if (m[2]) entry.previous = text;
        else entry.current = text;
        out.set(k, entry);
      }
    }
  }
  return [...out.values()];
}

async function readMetrics(dir: string, offsetMs: number): Promise<MetricSeries[]> {
  const out: MetricSeries[] = [];
  for (const file of (await listDir(join(dir, 'metrics'))).filter((f) => OBJECT_FILE.test(f))) {
    const path = join(dir, 'metrics', file);
    for (const doc of parseDocuments(await readText(path), path)) {
      const parsed = z.array(MetricSeriesSchema).safeParse(doc);
      if (!parsed.success)
        throw new ScenarioError(`${path}: not a list of metric series: ${parsed.error.issues[0].message}`);
      const shift = offsetMs / 1000;
      for (const s of parsed.data)
        out.push({ metric: s.metric, values: s.values.map(([t, v]) => [t + shift, v]) });
    }
  }
  return out;
}

/** Reads and validates a scenario directory, shifting its timestamps to `now`. */
export async function readScenario(dir: string, now: Date = new Date()): Promise<ScenarioContent> {
  const manifestPath = join(dir, 'scenario.yaml');
  const manifestText = await readText(manifestPath).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT')
      throw new ScenarioError(`${dir}: no scenario.yaml, so not a scenario directory`);
    throw err;
  });
  const [manifestDoc] = parseDocuments(manifestText, manifestPath);
  const parsed = ScenarioManifestSchema.safeParse(manifestDoc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ScenarioError(`${manifestPath}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const offsetMs = now.getTime() - Date.parse(parsed.data.capturedAt);
  const objects: ScenarioContent['objects'] = [];
  for (const file of (await listDir(join(dir, 'objects'))).filter((f) => OBJECT_FILE.test(f))) {
    const path = join(dir, 'objects', file);
    for (const doc of parseDocuments(await readText(path), path)) {
      for (const object of flatten(doc, path))
        objects.push({ object: shiftTimestamps(object, offsetMs), file: path });
    }
  }
  return {
    dir,
    name: basename(dir),
    manifest: parsed.data,
    offsetMs,
    objects,
    logs: await readLogs(dir, offsetMs),
    metrics: await readMetrics(dir, offsetMs),
  };
}

const LOAD_ORDER = ['Namespace', 'CustomResourceDefinition'];

/** Puts a read scenario into the store, log store and metric store. */
export function applyScenario(
  content: ScenarioContent,
  target: { store: KubeStore; logs: LogStore; metrics: MetricStore },
): LoadedScenario {
  const { store } = target;
  const rank = (o: KubeObject) => {
    const i = LOAD_ORDER.indexOf(o.kind);
    return i < 0 ? LOAD_ORDER.length : i;
  };
  const ordered = [...content.objects].sort((a, b) => rank(a.object) - rank(b.object));
  const namespaces = new Set(content.manifest.namespaces);
  for (const { object } of ordered) if (object.metadata.namespace) namespaces.add(object.metadata.namespace);
  for (const ns of namespaces) {
    const declared = ordered.some((o) => o.object.kind === 'Namespace' && o.object.metadata.name === ns);
    if (!declared && !store.find('namespaces', undefined, ns)) {
      store.load('namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns },
        status: { phase: 'Active' },
      });
    }
  }
  for (const { object, file } of ordered) {
    const r = store.registry.forKind(object.apiVersion, object.kind);
    if (!r)
      throw new ScenarioError(
        `${file}: kube-sim does not serve ${object.apiVersion} ${object.kind} (no such resource or CRD)`,
      );
    const existing = store.find(r, object.metadata.namespace ?? 'default', object.metadata.name as string);
    // Cluster-scoped objects (nodes, storage classes, cluster roles) are shared: the first scenario's copy stays.
    if (existing && r.namespaced) {
      throw new ScenarioError(
        `${file}: ${apiVersionOf(r)} ${object.kind} ${object.metadata.namespace ? object.metadata.namespace + '/' : ''}${object.metadata.name} is already loaded (defined twice across scenarios)`,
      );
    }
    if (!existing) store.load(r, object);
  }
  for (const log of content.logs) {
    target.logs.set(log.namespace, log.pod, log.container, {
      current: log.current === undefined ? undefined : withKubeletTimes(log.current),
      previous: log.previous === undefined ? undefined : withKubeletTimes(log.previous),
    });
  }
  target.metrics.add(content.metrics);
  return {
    dir: content.dir,
    name: content.name,
    manifest: content.manifest,
    offsetMs: content.offsetMs,
    objectCount: content.objects.length,
  };
}

/**
 * Loads a manifest file (multi-document YAML, `kind: List`, or JSON) as given: RBAC policy for
 * `serve --load`, or any fixture. Namespaces first; a missing namespace is created.
 */
export async function loadManifestFile(store: KubeStore, path: string): Promise<number> {
  const objects = parseDocuments(await readText(path), path).flatMap((doc) => flatten(doc, path));
  objects.sort((a, b) => Number(b.kind === 'Namespace') - Number(a.kind === 'Namespace'));
  for (const object of objects) {
    const r = store.registry.forKind(object.apiVersion, object.kind);
    if (!r) throw new ScenarioError(`${path}: kube-sim does not serve ${object.apiVersion} ${object.kind}`);
    const ns = object.metadata.namespace;
    if (r.namespaced && ns && !store.find('namespaces', undefined, ns)) {
      store.load('namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns },
        status: { phase: 'Active' },
      });
    }
    store.load(r, object);
  }
  return objects.length;
}

/** Every scenario directory (one holding a scenario.yaml) directly under `root`. */
export async function findScenarioDirs(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await listDir(root)) {
    const dir = join(root, entry);
    try {
      if ((await stat(join(dir, 'scenario.yaml'))).isFile()) out.push(dir);
    } catch {
      // not a scenario directory
    }
  }
  return out;
}

/**
 * The kubelet's time before a line, as `kubectl logs --timestamps` prints it. A file whose every line
 * starts so was captured that way; an application that writes an RFC 3339 time on every line of its
 * own (no stack trace, no banner) is read the same way, losing only that time from its text.
 */
const KUBELET_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d) /;

/**
 * A scenario's log as `kubectl logs` prints it, with each line given the time the kubelet would have
 * recorded: the time the application wrote on it (its own timestamp, in any format the shifter
 * knows), else the last one before it. The log store keeps that time out of the output unless
 * `timestamps=true` asks, so the application's own line (a Spring Boot line that starts with an
 * RFC 3339 time, say) is served exactly as written, and `sinceTime` and `--timestamps` follow the
 * application's clock.
 */
function withKubeletTimes(text: string): string {
  const lines = text.split('\n');
  // A log captured with --timestamps (as `kube-sim snapshot` writes it) already carries them.
  if (lines.every((line) => line === '' || KUBELET_TIME.test(line))) return text;
  const year = new Date().getUTCFullYear();
  const trailing = lines[lines.length - 1] === '' ? lines.pop() : undefined;
  const times = lines.map((line) => lineTime(line, year));
  let last = times.find((t) => t !== undefined) ?? Date.now();
  const stamped = lines.map((line, i) => {
    last = times[i] ?? last;
    return `${formatLogTime(new Date(last))} ${line}`;
  });
  return stamped.join('\n') + (trailing !== undefined ? '\n' : '');
}
