// A controller's work queue, after client-go's rate-limited workqueue: keys (`namespace/name`) are
// deduplicated while waiting, processed one at a time off the event loop (so an API write returns
// before the controllers react to it, as with a real cluster), retried with per-key exponential
// backoff, and requeued after a delay when a reconcile asks for it. stop() clears every timer.
import { StatusError } from '../api/status';

/** What a reconcile asks for: nothing (done), a retry with backoff, or another look after a delay. */
export type ReconcileResult = void | 'backoff' | { afterMs: number };

export interface WorkQueueOptions {
  name: string;
  reconcile(key: string): ReconcileResult;
  /** First retry delay after a failure (default 100 ms); doubles per consecutive failure. */
  baseBackoffMs?: number;
  /** Largest retry delay (default 30 s). A real controller goes up to ~16 min; a simulation need not. */
  maxBackoffMs?: number;
  /** Where unexpected reconcile errors go; the default prints a process warning. */
  onError?: (error: unknown, key: string) => void;
}

export class WorkQueue {
  private readonly pending = new Set<string>();
  private readonly delayed = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly failures = new Map<string, number>();
  private immediate?: NodeJS.Immediate;
  private stopped = false;
  private readonly base: number;
  private readonly max: number;
  private readonly onError: (error: unknown, key: string) => void;

  constructor(private readonly options: WorkQueueOptions) {
    this.base = options.baseBackoffMs ?? 100;
    this.max = options.maxBackoffMs ?? 30_000;
    this.onError =
      options.onError ??
      ((error, key) =>
        process.emitWarning(
          `kube-sim ${options.name}: reconciling ${key} failed: ${(error as Error)?.message ?? String(error)}`,
          'KubeSimWarning',
        ));
  }

  add(key: string): void {
    if (this.stopped) return;
    this.pending.add(key);
    this.immediate ??= setImmediate(() => this.drain());
  }

  /** Processes `key` after `ms`, unless it is already due sooner. */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) return this.add(key);
    const at = Date.now() + ms;
    const existing = this.delayed.get(key);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    timer.unref();
    this.delayed.set(key, { at, timer });
  }

  /** Forgets a key's failures, so its next retry starts from the base delay. */
  forget(key: string): void {
    this.failures.delete(key);
  }

  stop(): void {
    this.stopped = true;
    if (this.immediate) clearImmediate(this.immediate);
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    this.pending.clear();
  }

  private backoff(key: string): void {
    const n = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, n);
    this.addAfter(key, Math.min(this.max, this.base * 2 ** (n - 1)));
  }

  private drain(): void {
    this.immediate = undefined;
    const keys = [...this.pending];
    this.pending.clear();
    for (const key of keys) {
      if (this.stopped) return;
      let result: ReconcileResult;
      try {
        result = this.options.reconcile(key);
      } catch (error) {
        // A conflict means someone else wrote first: look again with fresh state, quietly.
        if (!(error instanceof StatusError && error.code === 409)) this.onError(error, key);
        this.backoff(key);
        continue;
      }
      if (result === 'backoff') {
        this.backoff(key);
        continue;
      }
      this.forget(key);
      if (result) this.addAfter(key, result.afterMs);
    }
  }
}
