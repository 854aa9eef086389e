// Retries a store write while the database is unreachable: capped exponential backoff up to a
// deadline. Only StoreUnavailableError is retried; anything else (bad input, a conflict) would fail
// the same way again, so it is thrown at once. The operation must be idempotent, since a write whose
// commit answer was lost is sent again.
import { StoreUnavailableError } from '@foxhound/store';

export interface RetryPolicy {
  /** Give up this long after the first attempt. */
  deadlineMs: number;
  /** First wait; doubles up to `maxDelayMs`. */
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_DELAYS = { initialDelayMs: 200, maxDelayMs: 5_000 } as const;

export async function retryUnavailable<T>(
  op: () => Promise<T>,
  policy: RetryPolicy,
  onRetry: (err: StoreUnavailableError, attempt: number) => void = () => undefined,
): Promise<T> {
  const deadline = Date.now() + policy.deadlineMs;
  let delay = policy.initialDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      const left = deadline - Date.now();
      if (!(err instanceof StoreUnavailableError) || left <= 0) throw err;
      onRetry(err, attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.min(delay, left)));
      delay = Math.min(delay * 2, policy.maxDelayMs);
    }
  }
}
