// prometheus_query: one PromQL query against the configured Prometheus, instant or over a range,
// answered as one line per series (labels, then the value, or last/min/max over the range) instead
// of raw JSON, so a model reads trends, not sample dumps.
import { z } from 'zod';
import { defineTool, failed, noData, ok } from '../define';

export interface PrometheusOptions {
  /** Unset: the toolset is disabled and the registry never runs this tool. */
  url?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

interface PromResponse {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: 'vector' | 'matrix' | 'scalar' | 'string'; result: unknown };
}

type Series = { metric: Record<string, string>; value?: [number, string]; values?: [number, string][] };

const MAX_SERIES = 40;

export function prometheusQuery(options: PrometheusOptions) {
  const doFetch = options.fetch ?? fetch;
  return defineTool({
    name: 'prometheus_query',
    description:
      'Run one PromQL query against Prometheus, instant or over the last N minutes. Useful: container_memory_working_set_bytes, rate(container_cpu_cfs_throttled_periods_total[5m]) / rate(container_cpu_cfs_periods_total[5m]), request rates and latency histograms. Always filter by namespace and pod or service labels.',
    params: z.object({
      query: z
        .string()
        .min(1)
        .max(2_000)
        .describe(
          'PromQL, e.g. max_over_time(container_memory_working_set_bytes{namespace="shop",pod=~"checkout-.*"}[30m])',
        ),
      minutes: z
        .number()
        .int()
        .min(1)
        .max(24 * 60)
        .optional()
        .describe('Query a range ending now, this many minutes long; omit for an instant query.'),
      stepSeconds: z
        .number()
        .int()
        .min(5)
        .max(3_600)
        .optional()
        .describe('Range resolution (default: about 60 points).'),
    }),
    summary: (p) => `Querying Prometheus${p.minutes ? ` over ${p.minutes}m` : ''}: ${p.query.slice(0, 120)}`,
    run: async (p, ctx) => {
      if (!options.url) return failed('Prometheus is not configured (PROMETHEUS_URL).');
      const now = ctx.now().getTime() / 1000;
      const params = new URLSearchParams({ query: p.query });
      let path = '/api/v1/query';
      if (p.minutes) {
        path = '/api/v1/query_range';
        params.set('start', String(now - p.minutes * 60));
        params.set('end', String(now));
        params.set('step', String(p.stepSeconds ?? Math.max(15, Math.round((p.minutes * 60) / 60))));
      } else params.set('time', String(now));
      const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(options.timeoutMs ?? 10_000)]);
      const response = await doFetch(new URL(`${path}?${params}`, options.url), { signal });
      const body = (await response.json().catch(() => undefined)) as PromResponse | undefined;
      if (!response.ok || body?.status !== 'success') {
        return failed(
          `Prometheus answered ${response.status}: ${body?.error ?? 'no error message'}. Check the PromQL.`,
        );
      }
      const result = (Array.isArray(body.data?.result) ? body.data.result : []) as Series[];
      if (result.length === 0) return noData(`No series match ${p.query}.`, 'No matching series');
      const lines = result
        .slice(0, MAX_SERIES)
        .map((s) => `${labels(s.metric)}  ${s.values ? rangeText(s.values) : (s.value?.[1] ?? '?')}`);
      if (result.length > MAX_SERIES)
        lines.push(`(${result.length - MAX_SERIES} more series; aggregate or filter the query)`);
      return ok(lines.join('\n'), `${result.length} series`, result);
    },
  });
}

function labels(metric: Record<string, string>): string {
  const { __name__: name, ...rest } = metric;
  const inner = Object.entries(rest)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  return `${name ?? ''}{${inner}}`;
}

function rangeText(values: [number, string][]): string {
  const nums = values.map(([, v]) => Number(v)).filter(Number.isFinite);
  if (nums.length === 0) return 'no samples';
  const round = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Number(n.toPrecision(3)).toString());
  return `last ${round(nums[nums.length - 1]!)}, min ${round(Math.min(...nums))}, max ${round(Math.max(...nums))}, first ${round(nums[0]!)} (${nums.length} samples)`;
}
