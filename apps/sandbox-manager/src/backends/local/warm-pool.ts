// Pre-started local sandboxes, ready before anyone asks. `take` hands one out and triggers a refill
// in the background; refills run one at a time (the machine may have two cores) and back off after
// failures so a broken sandbox command does not spin.
import { type Logger } from '@foxhound/service-kit';
import { type LocalSandbox } from './local-sandbox';

const MAX_BACKOFF_MS = 30_000;

export interface WarmPoolOptions {
  size: number;
  /** Starts a sandbox and resolves once it is ready; rejects (having cleaned up) otherwise. */
  launch: () => Promise<LocalSandbox>;
  logger: Logger;
}

export class WarmPool {
  private readonly ready: LocalSandbox[] = [];
  private filling: Promise<void> | undefined;
  private consecutiveFailures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: WarmPoolOptions) {}

  get desired(): number {
    return this.options.size;
  }

  counts(): { ready: number; starting: number } {
    return { ready: this.ready.length, starting: this.filling === undefined ? 0 : 1 };
  }

  start(): void {
    this.refill();
  }

  /** A ready sandbox, or undefined when the pool is empty (the caller cold-starts). */
  take(): LocalSandbox | undefined {
    let sandbox: LocalSandbox | undefined;
    while (sandbox === undefined && this.ready.length > 0) {
      const next = this.ready.shift();
      if (next?.running) sandbox = next;
    }
    // Refill after the caller has its answer: starting a process competes for the same CPU.
    setImmediate(() => this.refill());
    return sandbox;
  }

  /** Forgets a pooled sandbox that died or aged out; true if it was in the pool. */
  remove(sandbox: LocalSandbox): boolean {
    const index = this.ready.indexOf(sandbox);
    if (index === -1) return false;
    this.ready.splice(index, 1);
    this.refill();
    return true;
  }

  /** Waits for a refill in progress and stops every pooled sandbox. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    await this.filling;
    await Promise.all(this.ready.splice(0).map((sandbox) => sandbox.destroy()));
  }

  private refill(): void {
    if (this.closed || this.filling !== undefined || this.retryTimer !== undefined) return;
    if (this.ready.length >= this.options.size) return;
    this.filling = this.fill().finally(() => {
      this.filling = undefined;
    });
  }

  private async fill(): Promise<void> {
    while (!this.closed && this.ready.length < this.options.size) {
      try {
        const sandbox = await this.options.launch();
        if (this.closed) {
          await sandbox.destroy();
          return;
        }
        this.ready.push(sandbox);
        this.consecutiveFailures = 0;
        this.options.logger.debug({ sandboxId: sandbox.id, ready: this.ready.length }, 'warm sandbox ready');
      } catch (err) {
        this.consecutiveFailures += 1;
        const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** this.consecutiveFailures);
        this.options.logger.error({ err, retryInMs: delay }, 'warm pool could not start a sandbox');
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.refill();
        }, delay);
        this.retryTimer.unref();
        return;
      }
    }
  }
}
