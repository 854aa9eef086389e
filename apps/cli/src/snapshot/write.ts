// Writes a collected snapshot as a scenario directory (scenarios/README.md): objects/<kind>.yaml as
// `kind: List`, logs/<ns>/<pod>/<container>[.previous].log, metrics/series.yaml, and a scenario.yaml
// to finish by hand. Files are JSON, which is YAML. Only DNS-style names become path segments.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SNAPSHOT_RESOURCES, type ClusterSnapshotData, type SnapshotKind } from '@foxhound/contracts';
import { usageError } from '../errors';
import { redactObject } from './redact';

const SAFE_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** The directory must be new or empty: a snapshot never mixes with files already there. */
export async function assertEmptyOrAbsent(dir: string): Promise<void> {
  const entries = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw usageError(`cannot use ${dir}: ${err.code ?? err.message}`);
  });
  if (entries.length) throw usageError(`${dir} is not empty; choose a new directory with -o`);
}

/** Checked again right before writing, then created private (0700): logs can hold sensitive lines. */
export async function ensureEmptyDir(dir: string): Promise<void> {
  await assertEmptyOrAbsent(dir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

const json = (value: unknown) => `${JSON.stringify(value, null, 1)}\n`;

export interface WrittenSnapshot {
  objects: number;
  logs: number;
  redacted: number;
  skipped: string[];
}

export async function writeSnapshot(
  dir: string,
  snapshot: ClusterSnapshotData,
  meta: { server: string },
): Promise<WrittenSnapshot> {
  const written: WrittenSnapshot = { objects: 0, logs: 0, redacted: 0, skipped: [] };
  await mkdir(path.join(dir, 'objects'), { recursive: true });
  for (const [kind, items] of Object.entries(snapshot.objects) as [SnapshotKind, typeof snapshot.objects.pods][]) {
    if (!items.length) continue;
    const { apiVersion, kind: kindName } = SNAPSHOT_RESOURCES[kind];
    const out = items.map((item) => {
      const { object, count } = redactObject({ apiVersion, kind: kindName, ...item });
      written.redacted += count;
      return object;
    });
    await writeFile(path.join(dir, 'objects', `${kind.toLowerCase()}.yaml`), json({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: out }));
    written.objects += out.length;
  }
  if (snapshot.podMetrics.length) {
    const items = snapshot.podMetrics.map((m) => ({ apiVersion: 'metrics.k8s.io/v1beta1', kind: 'PodMetrics', ...m }));
    await writeFile(path.join(dir, 'objects', 'podmetrics.yaml'), json({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items }));
  }
  for (const log of snapshot.logs) {
    if (![log.namespace, log.pod, log.container].every((n) => SAFE_NAME.test(n))) {
      written.skipped.push(`log ${log.namespace}/${log.pod}/${log.container}: not a DNS name`);
      continue;
    }
    const podDir = path.join(dir, 'logs', log.namespace, log.pod);
    await mkdir(podDir, { recursive: true });
    const text = log.lines.length ? `${log.lines.join('\n')}\n` : '';
    await writeFile(path.join(podDir, `${log.container}${log.previous ? '.previous' : ''}.log`), text);
    written.logs++;
  }
  if (snapshot.metrics.length) {
    await mkdir(path.join(dir, 'metrics'), { recursive: true });
    await writeFile(path.join(dir, 'metrics', 'series.yaml'), json(snapshot.metrics));
  }
  const scope = snapshot.namespaces.join(', ') || 'the cluster';
  const manifest = {
    title: `Snapshot of ${scope} from ${meta.server}`,
    description: `Captured by foxhound snapshot. Collector gaps: ${snapshot.gaps.map((g) => `${g.what} (${g.reason})`).join('; ') || 'none'}.`,
    capturedAt: snapshot.capturedAt,
    namespaces: snapshot.namespaces,
    prompt: `What is wrong in ${scope}?`,
    expect: {},
  };
  await writeFile(path.join(dir, 'scenario.yaml'), json(manifest));
  return written;
}
