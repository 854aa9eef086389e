// Metric series loaded from scenarios (or added by tests and controllers), in the Prometheus
// range-query shape. Samples stay sorted by time; series with the same label set merge.
import { type MetricSeries } from '@foxhound/contracts';

export interface Sample {
  t: number;
  v: number;
}

export interface Series {
  labels: Record<string, string>;
  samples: Sample[];
}

function seriesKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export class MetricStore {
  private readonly series = new Map<string, Series>();

  add(list: MetricSeries[]): void {
    for (const s of list) {
      const key = seriesKey(s.metric);
      const existing = this.series.get(key) ?? { labels: { ...s.metric }, samples: [] };
      for (const [t, v] of s.values) existing.samples.push({ t, v: Number(v) });
      existing.samples.sort((a, b) => a.t - b.t);
      this.series.set(key, existing);
    }
  }

  all(): Series[] {
    return [...this.series.values()];
  }

  clear(): void {
    this.series.clear();
  }
}
