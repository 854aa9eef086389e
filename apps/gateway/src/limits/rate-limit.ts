// Per-principal token buckets: `perMinute` requests per minute, with bursts up to the same number.
// Buckets idle long enough to be full again are dropped, so memory stays bounded by active callers.
// These count in this process; shared-limits.ts counts the same limits in the database for replicas.
export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds until one more request would be allowed (0 when allowed). */
  retryAfterSeconds: number;
}

/** A rate limit the middleware consults, in this process or shared through the store. */
export interface RateLimit {
  take(key: string): RateLimitDecision | Promise<RateLimitDecision>;
}

/** Slots for running investigations, in this process or shared through the store. */
export interface SlotPool {
  /** Slots in use when last counted (for the refusal's message). */
  readonly inUse: number;
  /** Resolves to a release function, or undefined when every slot is taken. */
  tryAcquire(): Promise<(() => void) | undefined>;
}

export class RateLimiter implements RateLimit {
  private readonly buckets = new Map<string, { tokens: number; updatedMs: number }>();
  private readonly refillPerMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly maxBuckets = 100_000,
  ) {
    this.refillPerMs = perMinute / 60_000;
  }

  take(key: string): RateLimitDecision {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, updatedMs: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.updatedMs) * this.refillPerMs);
    bucket.updatedMs = now;
    if (!this.buckets.has(key)) {
      if (this.buckets.size >= this.maxBuckets) this.evictFull(now);
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: (1 - bucket.tokens) / this.refillPerMs / 1000 };
  }

  private evictFull(now: number): void {
    const fullAfterMs = this.perMinute / this.refillPerMs;
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.updatedMs >= fullAfterMs) this.buckets.delete(key);
    }
  }
}

/** Counts running investigations in this replica; a slot is held from sandbox acquisition to the end. */
export class ConcurrencyLimiter implements SlotPool {
  private running = 0;
  constructor(private readonly max: number) {}

  get inUse(): number {
    return this.running;
  }

  tryAcquire(): Promise<(() => void) | undefined> {
    if (this.running >= this.max) return Promise.resolve(undefined);
    this.running += 1;
    let released = false;
    return Promise.resolve(() => {
      if (released) return;
      released = true;
      this.running -= 1;
    });
  }
}
