// A turn's store writes other than its events (tool-call audit batches, proposals, the outcome), in the
// order they were queued, one at a time, each retried while the store is unreachable. The queue is
// bounded: past `maxPending` writes `enqueue` throws OutboxFullError, and the relay ends the turn with
// a clear error instead of buffering without limit. Every write must be idempotent (audit dedup keys,
// proposal ids derived from the turn, a compare-and-set outcome), because retries may repeat one.
import { type Logger } from '@foxhound/service-kit';
import { retryUnavailable, type RetryPolicy } from './retry';

export class OutboxFullError extends Error {
  override readonly name = 'OutboxFullError';
}

export interface OutboxOptions {
  maxPending: number;
  retry: RetryPolicy;
  log: Logger;
  /** Each retry of a write, for the store-retry metric. */
  onRetry?: () => void;
}

export class StoreOutbox {
  private chain: Promise<void> = Promise.resolve();
  private queued = 0;
  /** Writes that failed for good (past the deadline, or refused): logged, counted here for the caller. */
  private lost: string[] = [];

  constructor(private readonly options: OutboxOptions) {}

  /** Writes waiting or in flight. */
  get pending(): number {
    return this.queued;
  }

  /** What could not be written, by description. */
  get failures(): readonly string[] {
    return this.lost;
  }

  /** Queues a write after the ones before it. Throws OutboxFullError past the bound. */
  enqueue(what: string, write: () => Promise<unknown>): void {
    const { maxPending, retry, log, onRetry } = this.options;
    if (this.queued >= maxPending) {
      throw new OutboxFullError(
        `${this.queued} store writes are waiting for the database (the bound is ${maxPending}); could not queue ${what}`,
      );
    }
    this.queued += 1;
    this.chain = this.chain.then(async () => {
      try {
        await retryUnavailable(write, retry, (err, attempt) => {
          onRetry?.();
          log.warn({ err: err.message, attempt, what }, 'store unavailable; retrying a write');
        });
      } catch (err) {
        this.lost.push(what);
        log.error({ err, what }, 'a store write failed for good');
      } finally {
        this.queued -= 1;
      }
    });
  }

  /** Resolves once every write queued so far has been written or has failed for good. */
  drain(): Promise<void> {
    return this.chain;
  }
}
