// captureScenario(): reads a live cluster through a kubeconfig (GET only) into a scenario
// directory kube-sim can replay: the selected namespaces' objects with status, the cluster
// objects they run on, events, current and previous container logs (bounded), PodMetrics when
// metrics-server answers, Secrets redacted; and a scenario.yaml to finish by hand.
import { z } from 'zod';
import { formatTime } from '../store/meta';
import { type KubeObject } from '../types';
import { ApiReadError, clusterReader, type ClusterCredentials, type ClusterReader } from './http';
import { CAPTURED_KINDS, listPath, type CapturedKind } from './kinds';
import { asPrinted, redactSecret } from './redact';
import { ensureEmptyDir, writeScenario, type CapturedLog } from './write';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const CaptureOptionsSchema = z.object({
  namespaces: z.array(z.string().regex(DNS_LABEL, 'not a namespace name').max(63)).min(1).max(100),
  /** The scenario directory to write; it must not exist or be empty. */
  out: z.string().min(1),
  /** Only events and log lines from the last `since` seconds. */
  sinceSeconds: z
    .number()
    .int()
    .positive()
    .max(30 * 24 * 3600)
    .optional(),
  /** Newest lines kept per container log (default 200, as the scenarios keep). */
  logLines: z.number().int().min(0).max(100_000).default(200),
  /** Bytes kept per container log (default 1 MiB). */
  logBytes: z
    .number()
    .int()
    .positive()
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  /** Pods whose logs are read, at most (default 500). */
  maxPodsWithLogs: z.number().int().min(0).max(10_000).default(500),
  /** Requests in flight at once (default 6). */
  concurrency: z.number().int().min(1).max(32).default(6),
});
export type CaptureOptions = z.input<typeof CaptureOptionsSchema> & { now?: () => Date };

export interface CaptureSummary {
  dir: string;
  capturedAt: string;
  /** Objects written, by kind. */
  objects: Record<string, number>;
  logs: number;
  /** What could not be read (RBAC, unserved kinds, bounds reached). */
  warnings: string[];
}

const PAGE = 500;

async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

async function listAll(reader: ClusterReader, k: CapturedKind, namespace?: string): Promise<KubeObject[]> {
  const items: KubeObject[] = [];
  let token: string | undefined;
  do {
    const page = await reader.json<{ items?: Json[]; metadata?: { continue?: string } }>(
      listPath(k, namespace),
      {
        limit: PAGE,
        continue: token,
      },
    );
    for (const item of page.items ?? []) items.push(asPrinted(item, k.apiVersion, k.kind));
    token = page.metadata?.continue || undefined;
  } while (token);
  return items;
}

/** When an event last happened: lastTimestamp, else series.lastObservedTime, else eventTime. */
function eventTime(e: Json): number {
  return Date.parse(
    e.lastTimestamp ?? e.series?.lastObservedTime ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '',
  );
}

async function readLogs(
  reader: ClusterReader,
  pods: KubeObject[],
  o: z.output<typeof CaptureOptionsSchema>,
  warnings: string[],
) {
  if (pods.length > o.maxPodsWithLogs) {
    warnings.push(`logs: ${pods.length} pods, logs read for the first ${o.maxPodsWithLogs} only`);
  }
  const tasks: (() => Promise<CapturedLog | undefined>)[] = [];
  for (const pod of pods.slice(0, o.maxPodsWithLogs)) {
    const spec: Json = (pod as Json).spec ?? {};
    const names = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].map((c: Json) =>
      String(c.name),
    );
    const { namespace, name } = pod.metadata as { namespace: string; name: string };
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/log`;
    for (const container of names) {
      const read = async (previous: boolean) => {
        try {
          return await reader.text(path, {
            container,
            previous: previous || undefined,
            timestamps: true,
            tailLines: o.logLines,
            limitBytes: o.logBytes,
            sinceSeconds: o.sinceSeconds,
          });
        } catch (err) {
          // 400: waiting to start, or no previous container; either way there is no log.
          if (err instanceof ApiReadError && err.status === 400) return undefined;
          warnings.push(
            `logs of ${namespace}/${name} ${container}${previous ? ' (previous)' : ''}: ${(err as Error).message}`,
          );
          return undefined;
        }
      };
      tasks.push(async () => {
        const [current, previous] = [await read(false), await read(true)];
        if (current === undefined && previous === undefined) return undefined;
        return { namespace, pod: name, container, current, previous };
      });
    }
  }
  return (await pool(tasks, o.concurrency)).filter((l): l is CapturedLog => Boolean(l));
}

export async function captureScenario(
  credentials: ClusterCredentials,
  options: CaptureOptions,
): Promise<CaptureSummary> {
  const o = CaptureOptionsSchema.parse(options);
  const now = (options.now ?? (() => new Date()))();
  await ensureEmptyDir(o.out);
  const reader = clusterReader(credentials);
  const namespaces = [...new Set(o.namespaces)];
  const warnings: string[] = [];
  const objects: KubeObject[] = [];
  for (const ns of namespaces) {
    try {
      objects.push(asPrinted(await reader.json<Json>(`/api/v1/namespaces/${ns}`), 'v1', 'Namespace'));
    } catch (err) {
      if (err instanceof ApiReadError && err.status === 404)
        throw new Error(`namespace "${ns}" not found on ${reader.server}`, { cause: err });
      throw err;
    }
  }
  const tasks = CAPTURED_KINDS.flatMap((k) =>
    (k.namespaced ? namespaces : [undefined]).map((ns) => async () => {
      try {
        return await listAll(reader, k, ns);
      } catch (err) {
        const unserved = err instanceof ApiReadError && err.status === 404;
        if (!(unserved && k.optional))
          warnings.push(`${k.kind}${ns ? ` in ${ns}` : ''}: ${(err as Error).message}`);
        return [];
      }
    }),
  );
  const since = o.sinceSeconds ? now.getTime() - o.sinceSeconds * 1000 : undefined;
  for (const item of (await pool(tasks, o.concurrency)).flat()) {
    const claim = (item as Json).spec?.claimRef;
    if (item.kind === 'PersistentVolume' && !namespaces.includes(claim?.namespace)) continue;
    if (item.kind === 'Event' && since !== undefined && !(eventTime(item as Json) >= since)) continue;
    objects.push(item.kind === 'Secret' ? redactSecret(item) : item);
  }
  const pods = objects.filter((x) => x.kind === 'Pod');
  const logs = await readLogs(reader, pods, o, warnings);
  const capturedAt = formatTime(now);
  await writeScenario(o.out, { capturedAt, namespaces, server: reader.server, objects, logs });
  const counts: Record<string, number> = {};
  for (const x of objects) counts[x.kind] = (counts[x.kind] ?? 0) + 1;
  return { dir: o.out, capturedAt, objects: counts, logs: logs.length, warnings };
}
