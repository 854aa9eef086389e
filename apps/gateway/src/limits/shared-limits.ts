// The per-credential rate limits and the running-investigation slots, counted in the database so every
// gateway replica on one PostgreSQL enforces the same numbers (the store decides atomically; see its
// `limits` repository). The per-source limit before authentication stays in each process on purpose:
// it exists to make a flood cheap, and a database write per refused request would not be.
import { randomBytes } from 'node:crypto';
import { type Logger } from '@foxhound/service-kit';
import { StoreUnavailableError, type RateDecision, type SlotResult } from '@foxhound/store';
import { RateLimiter, type RateLimit, type RateLimitDecision, type SlotPool } from './rate-limit';

export interface LimitsPort {
  take(key: string, perMinute: number): Promise<RateDecision>;
  pruneRates(): Promise<number>;
  acquireSlot(request: { pool: string; max: number; runnerId: string; staleMs: number }): Promise<SlotResult>;
  releaseSlot(slotId: string): Promise<boolean>;
  renewSlots(runnerId: string, slotIds: readonly string[]): Promise<number>;
}

/**
 * A rate limit shared through the store. While the store is unreachable it falls back to a bucket in
 * this process (each replica then allows up to the limit on its own) rather than refusing everyone.
 */
export class SharedRateLimiter implements RateLimit {
  private readonly fallback: RateLimiter;

  constructor(
    private readonly options: {
      limits: LimitsPort;
      /** Keeps this limit's buckets apart from other limits' for the same credential. */
      scope: string;
      perMinute: number;
      logger: Logger;
      onFallback?: () => void;
    },
  ) {
    this.fallback = new RateLimiter(options.perMinute);
  }

  async take(key: string): Promise<RateLimitDecision> {
    const { limits, scope, perMinute, logger, onFallback } = this.options;
    try {
      return await limits.take(`${scope}:${key}`, perMinute);
    } catch (err) {
      if (!(err instanceof StoreUnavailableError)) throw err;
      onFallback?.();
      logger.warn(
        { err: err.message, scope },
        'rate limit counted in this replica: the store is unavailable',
      );
      return this.fallback.take(key);
    }
  }
}

/**
 * Running-investigation slots shared through the store. Slots this process holds are renewed every
 * quarter of `staleMs`; a replica that dies stops renewing, and its slots are reclaimed after `staleMs`.
 * Acquisitions take turns in this process: the database serialises them per pool anyway, and a burst
 * queued here waits in memory instead of holding pool connections that other requests need.
 */
export class SharedSlotPool implements SlotPool {
  private readonly runnerId = `slots-${randomBytes(6).toString('hex')}`;
  private readonly held = new Set<string>();
  private lastInUse = 0;
  private timer: NodeJS.Timeout | undefined;
  private renewal: Promise<void> = Promise.resolve();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly options: {
      limits: LimitsPort;
      pool: string;
      max: number;
      staleMs: number;
      logger: Logger;
    },
  ) {}

  get inUse(): number {
    return this.lastInUse;
  }

  async tryAcquire(): Promise<(() => void) | undefined> {
    const { limits, pool, max, staleMs, logger } = this.options;
    const turn = this.queue.then(() => limits.acquireSlot({ pool, max, runnerId: this.runnerId, staleMs }));
    this.queue = turn.catch(() => undefined);
    const result = await turn;
    if (!result.acquired) {
      this.lastInUse = result.inUse;
      return undefined;
    }
    const { slotId } = result;
    this.held.add(slotId);
    return () => {
      if (!this.held.delete(slotId)) return;
      // Not renewed any more: if this delete fails, the slot is reclaimed once it is stale.
      limits.releaseSlot(slotId).catch((err: unknown) => {
        logger.warn({ err, pool }, 'could not release a slot; it is reclaimed when it goes stale');
      });
    };
  }

  start(): void {
    this.timer = setInterval(() => {
      this.renewal = this.renewal.then(() => this.renew());
    }, this.options.staleMs / 4);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.renewal;
  }

  private async renew(): Promise<void> {
    if (this.held.size === 0) return;
    try {
      await this.options.limits.renewSlots(this.runnerId, [...this.held]);
    } catch (err) {
      this.options.logger.warn({ err, pool: this.options.pool }, 'could not renew slots; retrying next tick');
    }
  }
}

/** Forgets full rate buckets on a timer, so the table stays bounded by recently active credentials. */
export function pruneRatesEvery(limits: LimitsPort, everyMs: number, logger: Logger): () => void {
  const timer = setInterval(() => {
    limits.pruneRates().catch((err: unknown) => logger.warn({ err }, 'could not prune rate buckets'));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
