// The reaper: every interval, asks the backend to remove sandboxes whose time is up and that the
// platform did not remove (the agent-sandbox controller honours shutdownTime; IncidentFox learned
// not to rely on that alone). Runs never overlap; a failed pass is logged and counted, then retried
// at the next tick.
import { type Logger } from '@foxhound/service-kit';
import { type SandboxBackend } from '../backends/backend';
import { type ManagerMetrics } from '../observability/metrics';

export interface ReaperOptions {
  backend: SandboxBackend;
  intervalMs: number;
  logger: Logger;
  metrics: ManagerMetrics;
  now?: () => Date;
}

export interface Reaper {
  /** Runs one pass now (tests, and the first pass at start-up). */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function startReaper(options: ReaperOptions): Reaper {
  const now = options.now ?? (() => new Date());
  let running: Promise<number> | undefined;
  let stopped = false;

  const runOnce = (): Promise<number> => {
    running ??= (async () => {
      try {
        const reaped = await options.backend.reap(now());
        if (reaped > 0) options.logger.info({ reaped }, 'reaper removed expired sandboxes');
        return reaped;
      } catch (err) {
        options.metrics.failures.inc({ backend: options.backend.name, reason: 'api' });
        options.logger.error({ err }, 'reaper pass failed; retrying at the next interval');
        return 0;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  const timer = setInterval(() => {
    if (!stopped) void runOnce();
  }, options.intervalMs);
  timer.unref();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
