// The manager's own Prometheus collectors, on the service's private registry. Labels come from
// fixed sets (backend, outcome, start, reason); never a thread, owner or sandbox id.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { type BackendCounts } from '../backends/backend';

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
  starting: Gauge<'backend'>;
  queued: Gauge<'backend'>;
  desired: Gauge<'backend'>;
  burst: Gauge<'backend'>;
}

export interface GaugeSource {
  backend: string;
  /** Current counts, read at scrape time. */
  counts(): BackendCounts;
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
    starting: poolGauge(
      registers,
      source,
      `${prefix}pool_starting`,
      'Sandboxes starting for the pool or a waiting acquisition.',
      (c) => c.starting,
    ),
    queued: poolGauge(
      registers,
      source,
      `${prefix}queue_depth`,
      'Acquisitions waiting for a sandbox to start.',
      (c) => c.queued,
    ),
    desired: poolGauge(
      registers,
      source,
      `${prefix}pool_desired`,
      'Warm sandboxes the pool sizes itself to from demand.',
      (c) => c.desired,
    ),
    burst: poolGauge(
      registers,
      source,
      `${prefix}pool_burst`,
      '1 while the pool is in burst mode (acquisitions queued for starts recently).',
      (c) => (c.burst === undefined ? undefined : Number(c.burst)),
    ),
  };
}

/** A gauge read from the backend's counts at scrape time; absent for a backend without the field. */
function poolGauge(
  registers: Registry[],
  source: GaugeSource | undefined,
  name: string,
  help: string,
  read: (counts: BackendCounts) => number | undefined,
): Gauge<'backend'> {
  return new Gauge({
    name,
    help,
    labelNames: ['backend'] as const,
    registers,
    collect() {
      const value = source === undefined ? undefined : read(source.counts());
      if (source !== undefined && value !== undefined) this.set({ backend: source.backend }, value);
    },
  });
}
