// The Prometheus part of a snapshot: range queries for the cAdvisor series the diagnostics read
// (memory working set, CPU use, CFS periods and throttled periods) per namespace in scope, with a
// timeout, a series cap and Prometheus's own error messages turned into gaps.
import { MetricSeriesSchema, type MetricSeries, type SnapshotGap } from '@foxhound/contracts';
import { z } from 'zod';

export const CADVISOR_SERIES = [
  'container_memory_working_set_bytes',
  'container_cpu_usage_seconds_total',
  'container_cpu_cfs_periods_total',
  'container_cpu_cfs_throttled_periods_total',
] as const;

export interface PrometheusOptions {
  windowSeconds: number;
  now: Date;
  /** Points per series at most (default 120): the step follows from the window. */
  maxPoints?: number;
  /** Series kept per query (default 500). */
  maxSeries?: number;
  timeoutMs?: number;
}

const ResponseSchema = z.object({
  status: z.enum(['success', 'error']),
  error: z.string().optional(),
  data: z.object({ resultType: z.string(), result: z.array(MetricSeriesSchema) }).optional(),
});

const LABEL_VALUE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function prometheusBase(url: string): URL {
  const base = new URL(url);
  if (base.protocol !== 'http:' && base.protocol !== 'https:')
    throw new Error(`Prometheus URL must be http(s): ${url}`);
  return base;
}

export async function queryPrometheus(
  url: string,
  namespaces: string[],
  options: PrometheusOptions,
): Promise<{ series: MetricSeries[]; gaps: SnapshotGap[] }> {
  const base = prometheusBase(url);
  const end = Math.floor(options.now.getTime() / 1000);
  const start = end - options.windowSeconds;
  const step = Math.max(15, Math.ceil(options.windowSeconds / (options.maxPoints ?? 120)));
  const maxSeries = options.maxSeries ?? 500;
  const series: MetricSeries[] = [];
  const gaps: SnapshotGap[] = [];
  const scopes = namespaces.length ? namespaces.filter((n) => LABEL_VALUE.test(n)) : [undefined];
  for (const name of CADVISOR_SERIES) {
    for (const namespace of scopes) {
      const selector = `${name}{container!=""${namespace ? `,namespace="${namespace}"` : ''}}`;
      const target = new URL('api/v1/query_range', base.href.endsWith('/') ? base : `${base.href}/`);
      target.search = new URLSearchParams({
        query: selector,
        start: String(start),
        end: String(end),
        step: String(step),
      }).toString();
      try {
        const res = await fetch(target, { signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
        const body = ResponseSchema.parse(await res.json());
        if (body.status !== 'success' || !body.data) throw new Error(body.error ?? `HTTP ${res.status}`);
        if (body.data.result.length > maxSeries)
          gaps.push({
            what: `Prometheus ${selector}`,
            reason: `${body.data.result.length} series; kept ${maxSeries}`,
          });
        series.push(...body.data.result.slice(0, maxSeries));
      } catch (err) {
        gaps.push({
          what: `Prometheus ${selector}`,
          reason: err instanceof Error ? err.message : String(err),
        });
      }
    }
  }
  return { series, gaps };
}
