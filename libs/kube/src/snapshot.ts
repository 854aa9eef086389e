// collectSnapshot(): one read of a cluster scope for the diagnostics engine. Lists every kind the
// analyzers need in the namespaces in scope (plus nodes, persistent volumes, storage and ingress
// classes, webhooks), events, PodMetrics when metrics-server serves them, bounded logs of every
// container in scope (unhealthy and restarted pods first, then the workloads the focus names, then
// the rest; see snapshot-logs.ts), and Prometheus series when a URL is given. Read-only GETs only.
// What cannot be read becomes a `gap`, never a failure.
import {
  resourcePath,
  SNAPSHOT_KINDS,
  SNAPSHOT_RESOURCES,
  type ClusterSnapshotData,
  type KubeJson,
  type MetricSeries,
  type SnapshotGap,
  type SnapshotKind,
  type SnapshotResource,
} from '@foxhound/contracts';
import { KubeApiError, type KubeClient } from './client';
import { fetchLogs } from './snapshot-log-fetch';
import { planLogReads } from './snapshot-logs';
import { queryPrometheus } from './snapshot-metrics';

export interface CollectOptions {
  /** Namespaces in scope; empty lists every namespace. */
  namespaces: string[];
  /** Lines kept per container log (default 200). */
  logTailLines?: number;
  /** Bytes kept per container log (default 64 KiB). */
  logLimitBytes?: number;
  /** Pods whose logs are read (default 300), in priority order: unhealthy, focused, the rest. */
  maxPodsWithLogs?: number;
  /** Bytes of log text read per investigation, all containers together (default 16 MiB). */
  maxLogBytes?: number;
  /** Log requests in flight at once (default 8). */
  logConcurrency?: number;
  /** The prompt or alert text: pods of the workloads it names have their logs read before the rest. */
  focus?: string;
  /** Objects kept per kind and namespace (default 10,000); more becomes a gap. */
  maxObjectsPerKind?: number;
  /** List Secret names (metadata only; data is dropped on arrival). Off by default: it needs `list secrets`. */
  includeSecretNames?: boolean;
  /** Prometheus base URL: cAdvisor CPU and memory series for the scope are read when set. */
  prometheusUrl?: string;
  /** Range of the Prometheus queries (default 1 h). */
  metricsWindowSeconds?: number;
  /** Requests in flight at once (default 6). */
  concurrency?: number;
  now?: () => Date;
}

interface KindSpec {
  key: SnapshotKind;
  kind: string;
  apiVersion: string;
  /** The API path, namespaced or cluster-wide. */
  path: (namespace?: string) => string;
  namespaced: boolean;
}

function spec(key: SnapshotKind, resource: SnapshotResource = SNAPSHOT_RESOURCES[key]): KindSpec {
  return {
    key,
    kind: resource.kind,
    apiVersion: resource.apiVersion,
    namespaced: resource.namespaced,
    path: (namespace) => resourcePath(resource, namespace),
  };
}

/** Listed per namespace in scope; Secret names only when asked for. */
const NAMESPACED: KindSpec[] = SNAPSHOT_KINDS.filter(
  (k) => SNAPSHOT_RESOURCES[k].namespaced && k !== 'secrets',
).map((k) => spec(k));
const SECRETS = spec('secrets');
/** Listed cluster-wide (namespaces separately: only those in scope are kept). */
const CLUSTER: KindSpec[] = SNAPSHOT_KINDS.filter(
  (k) => !SNAPSHOT_RESOURCES[k].namespaced && k !== 'namespaces',
).map((k) => spec(k));
const POD_METRICS = spec('pods', {
  kind: 'PodMetrics',
  apiVersion: 'metrics.k8s.io/v1beta1',
  plural: 'pods',
  namespaced: true,
});

const PAGE = 500;

interface ListBody {
  items?: KubeJson[];
  metadata?: { continue?: string };
}

function describeError(err: unknown): string {
  if (err instanceof KubeApiError) {
    if (err.status === 403) return 'forbidden (RBAC)';
    if (err.status === 404) return 'not served by this API server';
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

/** Runs `tasks` with at most `limit` in flight. */
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

function secretMetadataOnly(secret: KubeJson): KubeJson {
  const { metadata, type } = secret as KubeJson & { type?: string };
  const { annotations, ...meta } = metadata as KubeJson['metadata'] & {
    annotations?: Record<string, string>;
  };
  // last-applied-configuration would carry the data we just dropped.
  const kept = annotations
    ? Object.fromEntries(
        Object.entries(annotations).filter(([k]) => k !== 'kubectl.kubernetes.io/last-applied-configuration'),
      )
    : undefined;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: kept ? { ...meta, annotations: kept } : meta,
    type,
  } as KubeJson;
}

export async function collectSnapshot(
  client: KubeClient,
  options: CollectOptions,
): Promise<ClusterSnapshotData> {
  const now = options.now ?? (() => new Date());
  const capturedAt = now().toISOString();
  const maxObjects = options.maxObjectsPerKind ?? 10_000;
  const concurrency = options.concurrency ?? 6;
  const namespaces = [...new Set(options.namespaces)];
  const gaps: SnapshotGap[] = [];
  const objects = {} as Record<SnapshotKind, KubeJson[]>;

  const listAll = async (s: KindSpec, namespace?: string): Promise<KubeJson[]> => {
    const items: KubeJson[] = [];
    let token: string | undefined;
    const where = namespace ? ` in ${namespace}` : '';
    try {
      do {
        const page = await client.getJson<ListBody>(s.path(namespace), { limit: PAGE, continue: token });
        for (const item of page.items ?? []) items.push({ apiVersion: s.apiVersion, kind: s.kind, ...item });
        token = page.metadata?.continue || undefined;
        if (items.length >= maxObjects && token) {
          gaps.push({
            what: `${s.kind}${where}`,
            reason: `more than ${maxObjects} objects; the rest were not read`,
          });
          break;
        }
      } while (token);
    } catch (err) {
      gaps.push({ what: `${s.kind}${where}`, reason: describeError(err) });
    }
    return items;
  };

  const scoped = options.includeSecretNames ? [...NAMESPACED, SECRETS] : NAMESPACED;
  const tasks: (() => Promise<void>)[] = [];
  for (const s of scoped) {
    objects[s.key] = [];
    const targets = namespaces.length ? namespaces : [undefined];
    for (const namespace of targets) {
      tasks.push(async () => {
        const items = await listAll(s, namespace);
        objects[s.key].push(...(s.key === 'secrets' ? items.map(secretMetadataOnly) : items));
      });
    }
  }
  for (const s of CLUSTER) tasks.push(async () => void (objects[s.key] = await listAll(s)));
  objects.namespaces = [];
  if (namespaces.length) {
    for (const name of namespaces) {
      tasks.push(async () => {
        try {
          objects.namespaces.push({
            apiVersion: 'v1',
            kind: 'Namespace',
            ...(await client.getJson<KubeJson>(`/api/v1/namespaces/${encodeURIComponent(name)}`)),
          });
        } catch (err) {
          gaps.push({ what: `Namespace ${name}`, reason: describeError(err) });
        }
      });
    }
  } else {
    tasks.push(async () => void (objects.namespaces = await listAll(spec('namespaces'))));
  }
  let podMetrics: KubeJson[] = [];
  tasks.push(async () => {
    const before = gaps.length;
    for (const namespace of namespaces.length ? namespaces : [undefined])
      podMetrics.push(...(await listAll(POD_METRICS, namespace)));
    // metrics-server is optional: name its absence once rather than per namespace.
    if (gaps.length > before) {
      gaps.splice(before, gaps.length - before, {
        what: 'PodMetrics (metrics.k8s.io)',
        reason: 'metrics-server not available; memory and CPU use come from Prometheus only',
      });
      podMetrics = [];
    }
  });
  await pool(tasks, concurrency);
  if (!options.includeSecretNames)
    gaps.push({
      what: 'Secret names',
      reason: 'not listed (least privilege); missing Secrets are seen through kubelet events only',
    });

  const read = await fetchLogs(
    client,
    planLogReads(objects.pods ?? [], options.focus),
    {
      tailLines: options.logTailLines ?? 200,
      limitBytes: options.logLimitBytes ?? 64 * 1024,
      maxPods: options.maxPodsWithLogs ?? 300,
      maxTotalBytes: options.maxLogBytes ?? 16 * 1024 * 1024,
      concurrency: options.logConcurrency ?? 8,
    },
    describeError,
  );
  const logs = read.logs;
  gaps.push(...read.gaps);
  let metrics: MetricSeries[] = [];
  if (options.prometheusUrl) {
    const result = await queryPrometheus(options.prometheusUrl, namespaces, {
      windowSeconds: options.metricsWindowSeconds ?? 3600,
      now: now(),
    });
    metrics = result.series;
    gaps.push(...result.gaps);
  } else {
    gaps.push({
      what: 'Prometheus series',
      reason: 'no Prometheus URL configured: CPU throttling and memory history not read',
    });
  }
  return { capturedAt, namespaces, objects, logs, podMetrics, metrics, gaps };
}
