// Evaluates a parsed PromQL expression at one instant over the metric store, the way Prometheus
// does for the supported subset: instant selectors take the newest sample within the 5-minute
// lookback, range functions read the samples inside their window, aggregations group by labels.
import { type MetricStore, type Sample, type Series } from '../metrics/metric-store';
import { PromQLError, type Expr, type Matcher } from './promql';

export interface VectorSample {
  metric: Record<string, string>;
  value: number;
}

const LOOKBACK_SECONDS = 300;

function matches(labels: Record<string, string>, matchers: Matcher[]): boolean {
  return matchers.every((m) => {
    const v = labels[m.label] ?? '';
    switch (m.op) {
      case '=':
        return v === m.value;
      case '!=':
        return v !== m.value;
      case '=~':
        return m.re!.test(v);
      case '!~':
        return !m.re!.test(v);
    }
  });
}

export function selectSeries(store: MetricStore, matchers: Matcher[]): Series[] {
  return store.all().filter((s) => matches(s.labels, matchers));
}

function window(samples: Sample[], from: number, to: number): Sample[] {
  return samples.filter((s) => s.t > from && s.t <= to);
}

/** Increase over samples, counting a drop as a counter reset (as Prometheus does). */
function increase(samples: Sample[]): number {
  let total = 0;
  for (let i = 1; i < samples.length; i++) {
    const d = samples[i].v - samples[i - 1].v;
    total += d >= 0 ? d : samples[i].v;
  }
  return total;
}

function rangeFunction(fn: string, s: Sample[], rangeSeconds: number): number | undefined {
  if (s.length === 0) return undefined;
  const values = s.map((x) => x.v);
  switch (fn) {
    // No extrapolation to the window edges: a scenario author reads exactly what the samples say.
    case 'rate':
      return s.length < 2 ? undefined : increase(s) / (s[s.length - 1].t - s[0].t);
    case 'increase':
      return s.length < 2 ? undefined : increase(s);
    case 'irate': {
      if (s.length < 2) return undefined;
      const [a, b] = s.slice(-2);
      return (b.v >= a.v ? b.v - a.v : b.v) / (b.t - a.t);
    }
    case 'delta':
      return s.length < 2
        ? undefined
        : ((s[s.length - 1].v - s[0].v) / (s[s.length - 1].t - s[0].t)) * rangeSeconds;
    case 'max_over_time':
      return Math.max(...values);
    case 'min_over_time':
      return Math.min(...values);
    case 'avg_over_time':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'sum_over_time':
      return values.reduce((a, b) => a + b, 0);
    case 'count_over_time':
      return values.length;
    case 'last_over_time':
      return values[values.length - 1];
    default:
      throw new PromQLError(`unsupported function ${fn}`);
  }
}

function withoutName(labels: Record<string, string>): Record<string, string> {
  const { __name__: _n, ...rest } = labels;
  return rest;
}

function aggregate(
  op: string,
  grouping: Extract<Expr, { type: 'aggregate' }>['grouping'],
  input: VectorSample[],
) {
  const groups = new Map<string, { metric: Record<string, string>; values: number[] }>();
  for (const s of input) {
    const metric: Record<string, string> = {};
    const labels = withoutName(s.metric);
    if (grouping?.mode === 'by')
      for (const l of grouping.labels) if (labels[l] !== undefined) metric[l] = labels[l];
    if (grouping?.mode === 'without') {
      Object.assign(metric, labels);
      for (const l of grouping.labels) delete metric[l];
    }
    const key = JSON.stringify(Object.entries(metric).sort());
    const g = groups.get(key) ?? { metric, values: [] };
    g.values.push(s.value);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => {
    const v = g.values;
    const value =
      op === 'sum'
        ? v.reduce((a, b) => a + b, 0)
        : op === 'min'
          ? Math.min(...v)
          : op === 'max'
            ? Math.max(...v)
            : op === 'avg'
              ? v.reduce((a, b) => a + b, 0) / v.length
              : v.length;
    return { metric: g.metric, value };
  });
}

/** A vector (or a scalar for number literals) at time `t` (unix seconds). */
export function evaluate(expr: Expr, store: MetricStore, t: number): VectorSample[] | number {
  switch (expr.type) {
    case 'number':
      return expr.value;
    case 'selector': {
      if (expr.rangeSeconds !== undefined)
        throw new PromQLError('a range vector must be wrapped in a function such as rate()');
      const out: VectorSample[] = [];
      for (const s of selectSeries(store, expr.matchers)) {
        const last = window(s.samples, t - LOOKBACK_SECONDS, t).pop();
        if (last) out.push({ metric: s.labels, value: last.v });
      }
      return out;
    }
    case 'call': {
      const sel = expr.arg as Extract<Expr, { type: 'selector' }>;
      const range = sel.rangeSeconds!;
      const out: VectorSample[] = [];
      for (const s of selectSeries(store, sel.matchers)) {
        const value = rangeFunction(expr.fn, window(s.samples, t - range, t), range);
        if (value !== undefined)
          out.push({ metric: expr.fn === 'last_over_time' ? s.labels : withoutName(s.labels), value });
      }
      return out;
    }
    case 'aggregate': {
      const input = evaluate(expr.arg, store, t);
      if (typeof input === 'number') throw new PromQLError(`${expr.op}() expects an instant vector`);
      return aggregate(expr.op, expr.grouping, input);
    }
  }
}
