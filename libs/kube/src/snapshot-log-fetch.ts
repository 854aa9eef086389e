// Reads the planned container logs (snapshot-logs.ts) within the investigation's bounds: lines and
// bytes per container, a pod count and a byte total per investigation, a cap on requests in flight.
// Reads start in plan order, so when the budget runs out it is the lowest-priority logs that are
// left; every log not read is named in one gap that says why (pod limit, byte budget, read error).
import { type ContainerLog, type SnapshotGap } from '@foxhound/contracts';
import { KubeApiError, type KubeClient } from './client';
import { type LogRequest, type PodLogPlan } from './snapshot-logs';

export interface LogBounds {
  /** Lines kept per container log. */
  tailLines: number;
  /** Bytes kept per container log. */
  limitBytes: number;
  /** Pods whose logs are read, in plan order; the rest become a gap. */
  maxPods: number;
  /** Bytes read across all logs of one investigation. */
  maxTotalBytes: number;
  /** Log requests in flight at once. */
  concurrency: number;
}

/** Below this much budget left, a read would return too little to be worth a request. */
const MIN_READ_BYTES = 1024;
/** Names listed in one gap; the rest are counted. */
const NAMES_PER_GAP = 10;

const label = (r: LogRequest): string =>
  `${r.namespace}/${r.pod} ${r.container}${r.previous ? ' (previous)' : ''}`;

function listed(names: string[]): string {
  const shown = names.slice(0, NAMES_PER_GAP).join(', ');
  return names.length > NAMES_PER_GAP ? `${shown} and ${names.length - NAMES_PER_GAP} more` : shown;
}

const formatBytes = (bytes: number): string =>
  bytes >= 1024 * 1024
    ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`
    : `${Math.round(bytes / 1024)} KiB`;

export interface LogFetchResult {
  logs: ContainerLog[];
  gaps: SnapshotGap[];
  /** Bytes of log text read. */
  bytes: number;
}

export async function fetchLogs(
  client: KubeClient,
  plan: PodLogPlan[],
  bounds: LogBounds,
  describeError: (err: unknown) => string,
): Promise<LogFetchResult> {
  const gaps: SnapshotGap[] = [];
  const read = plan.slice(0, bounds.maxPods);
  const overLimit = plan.slice(bounds.maxPods);
  if (overLimit.length)
    gaps.push({
      what: `container logs of ${overLimit.length} pod(s)`,
      reason: `not read: the limit is ${bounds.maxPods} pods per investigation (${listed(overLimit.map((p) => `${p.namespace}/${p.pod}`))})`,
    });

  const requests = read.flatMap((p) => p.requests);
  const results: (ContainerLog | undefined)[] = new Array(requests.length);
  const overBudget: string[] = [];
  const failures: string[] = [];
  let remaining = bounds.maxTotalBytes;
  let used = 0;
  let next = 0;

  const readOne = async (r: LogRequest): Promise<ContainerLog | undefined> => {
    if (remaining < MIN_READ_BYTES) {
      overBudget.push(label(r));
      return undefined;
    }
    // Reserve before the request, so concurrent reads can never overrun the total together.
    const reserved = Math.min(bounds.limitBytes, remaining);
    remaining -= reserved;
    let text: string;
    try {
      text = await client.getText(
        `/api/v1/namespaces/${encodeURIComponent(r.namespace)}/pods/${encodeURIComponent(r.pod)}/log`,
        {
          container: r.container,
          previous: r.previous || undefined,
          tailLines: bounds.tailLines,
          limitBytes: reserved,
        },
      );
    } catch (err) {
      remaining += reserved;
      // A container that never ran (or has no previous instance) has no log: that is not a gap.
      if (!(err instanceof KubeApiError && (err.status === 400 || err.status === 404)))
        failures.push(`${label(r)}: ${describeError(err)}`);
      return undefined;
    }
    // A server that ignores limitBytes must not break the bound either.
    let size = Buffer.byteLength(text);
    if (size > reserved) {
      text = Buffer.from(text).subarray(0, reserved).toString('utf8');
      size = reserved;
    }
    used += size;
    remaining += reserved - size;
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return { ...r, lines, truncated: lines.length >= bounds.tailLines || size >= reserved };
  };

  const worker = async () => {
    while (next < requests.length) {
      const i = next++;
      results[i] = await readOne(requests[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(bounds.concurrency, requests.length) }, worker));

  if (overBudget.length)
    gaps.push({
      what: `${overBudget.length} container log(s)`,
      reason: `not read: the log budget of ${formatBytes(bounds.maxTotalBytes)} per investigation was used up by higher-priority pods (${listed(overBudget)})`,
    });
  if (failures.length)
    gaps.push({ what: `${failures.length} container log(s)`, reason: `read failed: ${listed(failures)}` });
  return { logs: results.filter((x): x is ContainerLog => !!x), gaps, bytes: used };
}
