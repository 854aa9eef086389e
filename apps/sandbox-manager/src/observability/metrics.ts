// The manager's own Prometheus collectors, on the service's private registry. Labels come from
// fixed sets (backend, outcome, start, reason); never a thread, owner or sandbox id.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type AcquireOutcome = 'created' | 'reused' | 'limited' | 'failed';
export type AcquireStart = 'warm' | 'cold' | 'none';
export type FailureReason = 'start' | 'crash' | 'timeout' | 'not_ready' | 'api';

export interface ManagerMetrics {
  acquisitions: Counter<'backend' | 'outcome' | 'start'>;
  acquisitionDuration: Histogram<'backend' | 'start'>;
  reaped: Counter<'backend' | 'reason'>;
  failures: Counter<'backend' | 'reason'>;
  active: Gauge<'backend'>;
  warm: Gauge<'backend'>;
}

export interface GaugeSource {
  backend: string;
  /** Current counts, read at scrape time. */
  counts(): { active: number; warm: number };
}

export function createManagerMetrics(
  registry: Registry,
  prefix: string,
  source?: GaugeSource,
): ManagerMetrics {
  const registers = [registry];
  return {
    acquisitions: new Counter({
      name: `${prefix}acquisitions_total`,
      help: 'Sandbox acquisitions by outcome (created, reused, limited, failed) and start (warm, cold, none).',
      labelNames: ['backend', 'outcome', 'start'] as const,
      registers,
    }),
    acquisitionDuration: new Histogram({
      name: `${prefix}acquisition_duration_seconds`,
      help: 'Time from request to a ready sandbox, by warm or cold start (reuse counts as none).',
      labelNames: ['backend', 'start'] as const,
      buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    }),
    reaped: new Counter({
      name: `${prefix}sandboxes_reaped_total`,
      help: 'Sandboxes removed by the manager because their time was up (expired, lifetime).',
      labelNames: ['backend', 'reason'] as const,
      registers,
    }),
    failures: new Counter({
      name: `${prefix}sandbox_failures_total`,
      help: 'Sandboxes that failed to start, crashed, or never became ready.',
      labelNames: ['backend', 'reason'] as const,
      registers,
    }),
    active: new Gauge({
      name: `${prefix}sandboxes_active`,
      help: 'Sandboxes assigned to a thread.',
      labelNames: ['backend'] as const,
      registers,
      collect() {
        if (source) this.set({ backend: source.backend }, source.counts().active);
      },
    }),
    warm: new Gauge({
      name: `${prefix}sandboxes_warm`,
      help: 'Ready sandboxes waiting in the warm pool.',
      labelNames: ['backend'] as const,
      registers,
      collect() {
        if (source) this.set({ backend: source.backend }, source.counts().warm);
      },
    }),
  };
}
