// Acquisitions waiting for a sandbox to start, served strictly first come, first served (so no
// thread starves behind later arrivals), with a bound on how many may wait and on how long each
// waits. Beyond either bound the caller gets a clear answer with Retry-After instead of a hang.
import { RateLimitedError, ServiceUnavailableError } from '@foxhound/service-kit';

/** 503 with Retry-After: the wait for a sandbox ran out. */
export class QueueTimeoutError extends ServiceUnavailableError {
  override readonly headers: Record<string, string>;
  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.headers = { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) };
  }
}

export interface WaitQueueOptions {
  /** Most acquisitions waiting at once; the next one gets 429. */
  maxWaiting: number;
  /** Longest one acquisition waits; then 503. */
  maxWaitMs: number;
  /** Retry-After for both answers. */
  retryAfterSeconds: () => number;
}

interface Waiter<T> {
  resolve(value: T): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class WaitQueue<T> {
  private readonly waiters: Array<Waiter<T>> = [];

  constructor(private readonly options: WaitQueueOptions) {}

  get size(): number {
    return this.waiters.length;
  }

  /** Waits for the next item offered; rejects with 429 when full, 503 when the wait runs out. */
  wait(): Promise<T> {
    const { maxWaiting, maxWaitMs } = this.options;
    if (this.waiters.length >= maxWaiting) {
      return Promise.reject(
        new RateLimitedError(
          `${this.waiters.length} acquisitions are already waiting for a sandbox to start ` +
            `(SANDBOX_QUEUE_MAX=${maxWaiting}). Retry later.`,
          this.options.retryAfterSeconds(),
        ),
      );
    }
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.drop(waiter);
          reject(
            new QueueTimeoutError(
              `No sandbox became ready within ${Math.round(maxWaitMs / 1000)} s of waiting ` +
                '(SANDBOX_QUEUE_WAIT_SECONDS). Retry later.',
              this.options.retryAfterSeconds(),
            ),
          );
        }, maxWaitMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Hands `item` to the longest waiting acquisition; false when none waits. */
  offer(item: T): boolean {
    const waiter = this.waiters.shift();
    if (waiter === undefined) return false;
    clearTimeout(waiter.timer);
    waiter.resolve(item);
    return true;
  }

  /** Fails the longest waiting acquisition with `err` (a start failed); false when none waits. */
  failOne(err: Error): boolean {
    const waiter = this.waiters.shift();
    if (waiter === undefined) return false;
    clearTimeout(waiter.timer);
    waiter.reject(err);
    return true;
  }

  /** Fails every waiter (shutdown). */
  failAll(err: Error): void {
    while (this.failOne(err));
  }

  private drop(waiter: Waiter<T>): void {
    const index = this.waiters.indexOf(waiter);
    if (index !== -1) this.waiters.splice(index, 1);
  }
}
