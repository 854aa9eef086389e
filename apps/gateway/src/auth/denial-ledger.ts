// Denied requests from callers who are not authenticated (no or bad credentials, or refused by the
// per-source limit) are counted per source address and minute, and each source-minute becomes one
// audit entry with its count and reasons once the minute is over. A flood therefore costs O(1) audit
// rows per source and minute instead of one row (and one lock on the chain head) per request.
// Memory is bounded: past `maxSources` sources in a minute, further ones are counted under "other".
import { randomBytes } from 'node:crypto';
import { type Logger } from '@foxhound/service-kit';
import { type AuditPort } from '../investigations/ports';

interface Tally {
  count: number;
  reasons: Record<string, number>;
}

const MINUTE_MS = 60_000;
export const OTHER_SOURCES = 'other';

export class DenialLedger {
  /** minute start (ms) → source → tally */
  private readonly minutes = new Map<number, Map<string, Tally>>();
  private readonly replica = randomBytes(4).toString('hex');
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: {
      audit: Pick<AuditPort, 'appendMany'>;
      logger: Logger;
      maxSources?: number;
      now?: () => number;
      /** Each denial as it happens, for the metrics. */
      onDenied?: (reason: string) => void;
    },
  ) {}

  record(source: string, reason: string): void {
    this.options.onDenied?.(reason);
    const minute = Math.floor(this.now() / MINUTE_MS) * MINUTE_MS;
    let sources = this.minutes.get(minute);
    if (!sources) this.minutes.set(minute, (sources = new Map()));
    const key =
      sources.has(source) || sources.size < (this.options.maxSources ?? 10_000) ? source : OTHER_SOURCES;
    const tally = sources.get(key) ?? { count: 0, reasons: {} };
    tally.count += 1;
    tally.reasons[reason] = (tally.reasons[reason] ?? 0) + 1;
    sources.set(key, tally);
  }

  /** Writes finished minutes every 15 s. */
  start(): void {
    this.timer = setInterval(() => void this.flush(false), 15_000);
    this.timer.unref();
  }

  /** Stops the timer and writes everything counted, the current minute included. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush(true);
  }

  /** Writes the minutes that are over (all of them with `all`), one audit entry per source-minute. */
  flush(all: boolean): Promise<void> {
    this.flushing = this.flushing.then(() => this.write(all));
    return this.flushing;
  }

  private async write(all: boolean): Promise<void> {
    const current = Math.floor(this.now() / MINUTE_MS) * MINUTE_MS;
    for (const [minute, sources] of [...this.minutes]) {
      if (!all && minute >= current) continue;
      this.minutes.delete(minute);
      const at = new Date(minute).toISOString();
      const entries = [...sources].map(([source, tally]) => ({
        kind: 'request' as const,
        actor: 'unauthenticated',
        action: 'denied requests',
        outcome: 'denied' as const,
        // A retry after a lost commit answer writes the source-minute once.
        dedupKey: `denials:${this.replica}:${at}:${source}`,
        details: { source, minute: at, count: tally.count, reasons: tally.reasons },
      }));
      for (let i = 0; i < entries.length; i += 500) {
        await this.options.audit.appendMany(entries.slice(i, i + 500)).catch((err: unknown) => {
          this.options.logger.error({ err, minute: at }, 'could not audit denied requests');
        });
      }
    }
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
