// Observed resource use against limits: memory from PodMetrics (metrics-server) and the cAdvisor
// working-set series, CPU throttling from the CFS period counters, when a snapshot carries them.
import { type MetricSeries } from '@foxhound/contracts';
import { type Lookup } from '../lookup';
import { parseQuantity } from '../util/quantity';

export interface MemoryUsage {
  /** Bytes. */
  current?: number;
  /** Highest working set in the series range, bytes. */
  peak?: number;
  source: string;
}

export interface Throttling {
  /** Throttled periods / all periods over the series range, 0..1. */
  ratio: number;
  periods: number;
}

const memo = new WeakMap<Lookup, Map<string, MetricSeries[]>>();

function seriesIndex(l: Lookup): Map<string, MetricSeries[]> {
  let index = memo.get(l);
  if (!index) {
    index = new Map();
    for (const s of l.snapshot.metrics) {
      const { __name__: name, namespace, pod, container } = s.metric;
      if (!name || !namespace || !pod) continue;
      const key = `${name}/${namespace}/${pod}/${container ?? ''}`;
      index.set(key, [...(index.get(key) ?? []), s]);
    }
    memo.set(l, index);
  }
  return index;
}

function series(l: Lookup, name: string, namespace: string, pod: string, container: string): MetricSeries[] {
  return seriesIndex(l).get(`${name}/${namespace}/${pod}/${container}`) ?? [];
}

function values(s: MetricSeries[]): number[] {
  return s.flatMap((x) => x.values.map(([, v]) => Number(v)).filter((v) => Number.isFinite(v)));
}

export function memoryUsage(
  l: Lookup,
  namespace: string,
  pod: string,
  container: string,
): MemoryUsage | undefined {
  const working = values(series(l, 'container_memory_working_set_bytes', namespace, pod, container));
  const metrics = l.snapshot.podMetrics.find(
    (m) => m.metadata.namespace === namespace && m.metadata.name === pod,
  );
  const current = parseQuantity(metrics?.containers.find((c) => c.name === container)?.usage.memory);
  if (!working.length && current === undefined) return undefined;
  return {
    current: current ?? (working.length ? working[working.length - 1] : undefined),
    peak: working.length ? Math.max(...working) : current,
    source: working.length ? 'container_memory_working_set_bytes' : 'PodMetrics',
  };
}

function increase(s: MetricSeries[]): number | undefined {
  const v = values(s);
  if (v.length < 2) return undefined;
  // Counters reset on container restart: sum the positive steps.
  let total = 0;
  for (let i = 1; i < v.length; i++) total += v[i] >= v[i - 1] ? v[i] - v[i - 1] : v[i];
  return total;
}

export function cpuThrottling(
  l: Lookup,
  namespace: string,
  pod: string,
  container: string,
): Throttling | undefined {
  const throttled = increase(
    series(l, 'container_cpu_cfs_throttled_periods_total', namespace, pod, container),
  );
  const periods = increase(series(l, 'container_cpu_cfs_periods_total', namespace, pod, container));
  if (throttled === undefined || !periods) return undefined;
  return { ratio: throttled / periods, periods };
}

/** Pods and containers that have any cAdvisor series, for the usage analyzer to walk. */
export function containersWithSeries(l: Lookup): { namespace: string; pod: string; container: string }[] {
  const seen = new Map<string, { namespace: string; pod: string; container: string }>();
  for (const s of l.snapshot.metrics) {
    const { namespace, pod, container } = s.metric;
    if (namespace && pod && container && l.inScope(namespace))
      seen.set(`${namespace}/${pod}/${container}`, { namespace, pod, container });
  }
  return [...seen.values()];
}
