// Local sandboxes started ahead of demand, and the queue of acquisitions waiting for one. The size
// comes from demand (pool/demand.ts: floor, ceiling, recent rate, burst mode); starts run in
// parallel up to the CPU budget; a sandbox that becomes ready goes to the longest waiting
// acquisition first, else into the pool. A failed start fails the longest waiter with its cause
// and backs off, so a broken sandbox command neither spins nor leaves callers hanging.
import { ServiceUnavailableError, type Logger } from '@foxhound/service-kit';
import { type Demand, type PoolMode } from '../../pool/demand';
import { type WaitQueue } from '../../pool/wait-queue';
import { type LocalSandbox } from './local-sandbox';

const MAX_BACKOFF_MS = 30_000;
/** How often the size is recomputed without an acquisition (to grow with the rate, or shrink). */
const TICK_MS = 1000;

export interface WarmPoolOptions {
  demand: Demand;
  queue: WaitQueue<LocalSandbox>;
  /** Starts in flight at once: the CPU budget for starting sandboxes. */
  concurrency: number;
  /** Starts a sandbox and resolves once it is ready; rejects (having cleaned up) otherwise. */
  launch: () => Promise<LocalSandbox>;
  logger: Logger;
}

export interface PoolCounts {
  ready: number;
  starting: number;
  queued: number;
  desired: number;
  mode: PoolMode;
}

export class WarmPool {
  private readonly ready: LocalSandbox[] = [];
  private starting = 0;
  private readonly inflight = new Set<Promise<void>>();
  private consecutiveFailures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: WarmPoolOptions) {}

  counts(): PoolCounts {
    const { demand, queue } = this.options;
    return {
      ready: this.ready.length,
      starting: this.starting,
      queued: queue.size,
      desired: demand.desired(),
      mode: demand.mode,
    };
  }

  start(): void {
    this.tickTimer = setInterval(() => {
      this.trim();
      this.refill();
    }, TICK_MS);
    this.tickTimer.unref();
    this.refill();
  }

  /**
   * A ready sandbox (`warm`), or the next one to become ready after waiting in the queue; rejects
   * with 429 when the queue is full, 503 when the wait runs out, or the cause of a failed start.
   */
  async acquire(): Promise<{ sandbox: LocalSandbox; warm: boolean }> {
    const { demand, queue } = this.options;
    demand.recordAcquisition();
    const sandbox = this.takeReady();
    if (sandbox !== undefined) {
      // Refill after the caller has its answer: starting a process competes for the same CPU.
      setImmediate(() => this.refill());
      return { sandbox, warm: true };
    }
    const waiting = queue.wait();
    demand.observeWaiting(queue.size);
    this.refill();
    return { sandbox: await waiting, warm: false };
  }

  /** Forgets a pooled sandbox that died or aged out; true if it was in the pool. */
  remove(sandbox: LocalSandbox): boolean {
    const index = this.ready.indexOf(sandbox);
    if (index === -1) return false;
    this.ready.splice(index, 1);
    this.refill();
    return true;
  }

  /** Fails every waiter, waits for starts in flight and stops every pooled sandbox. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.tickTimer);
    this.options.queue.failAll(new ServiceUnavailableError('The sandbox manager is shutting down.'));
    await Promise.allSettled([...this.inflight]);
    await Promise.all(this.ready.splice(0).map((sandbox) => sandbox.destroy()));
  }

  private takeReady(): LocalSandbox | undefined {
    while (this.ready.length > 0) {
      const next = this.ready.shift();
      if (next?.running) return next;
    }
    return undefined;
  }

  /** Starts sandboxes until the pool plus the waiters are covered, within the CPU budget. */
  private refill(): void {
    if (this.closed) return;
    const { demand, queue, concurrency } = this.options;
    // Burst mode lasts a window past the last moment several acquisitions waited, not past the
    // first: a storm that takes longer than the window to serve stays in burst mode throughout.
    demand.observeWaiting(queue.size);
    if (this.retryTimer !== undefined) return;
    const target = demand.desired() + queue.size;
    while (this.ready.length + this.starting < target && this.starting < concurrency) this.launchOne();
  }

  /** Stops idle sandboxes above the desired size, oldest first (demand fell). */
  private trim(): void {
    const excess = this.ready.length - this.options.demand.desired();
    if (excess <= 0 || this.options.queue.size > 0) return;
    for (const sandbox of this.ready.splice(0, excess)) void sandbox.destroy();
    this.options.logger.info({ stopped: excess, ready: this.ready.length }, 'warm pool shrank with demand');
  }

  private launchOne(): void {
    const { demand, queue, logger } = this.options;
    this.starting += 1;
    const began = performance.now();
    const run = this.options
      .launch()
      .then(
        async (sandbox) => {
          this.starting -= 1;
          this.consecutiveFailures = 0;
          demand.recordStart(performance.now() - began);
          if (this.closed) {
            await sandbox.destroy();
            return;
          }
          if (queue.offer(sandbox)) return;
          if (this.ready.length < demand.ceiling) {
            this.ready.push(sandbox);
            logger.debug({ sandboxId: sandbox.id, ready: this.ready.length }, 'warm sandbox ready');
          } else {
            // Started for a waiter that gave up, with the pool already at its ceiling.
            await sandbox.destroy();
          }
        },
        (err: unknown) => {
          this.starting -= 1;
          this.consecutiveFailures += 1;
          queue.failOne(err instanceof Error ? err : new Error(String(err)));
          if (this.closed) return;
          const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** this.consecutiveFailures);
          logger.error({ err, retryInMs: delay }, 'could not start a sandbox; backing off');
          clearTimeout(this.retryTimer);
          this.retryTimer = setTimeout(() => {
            this.retryTimer = undefined;
            this.refill();
          }, delay);
          this.retryTimer.unref();
        },
      )
      .finally(() => {
        this.inflight.delete(run);
        this.refill();
      });
    this.inflight.add(run);
  }
}
