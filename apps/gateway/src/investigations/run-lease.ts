// Keeps running investigations honest across processes. On a timer, this gateway renews the lease of
// every investigation it runs, then sweeps: investigations still `running` whose lease lapsed (the
// gateway that ran them exited, crashed, or lost the store past its retry deadline) are ended by the
// store as `interrupted` with a terminal `error` event. It sweeps once at start-up too, so what a
// crashed predecessor left running ends as soon as the lease says it is orphaned.
import { randomBytes } from 'node:crypto';
import { type Logger } from '@foxhound/service-kit';

export interface LeasePort {
  heartbeat(runnerId: string, ids: readonly string[]): Promise<number>;
  sweep(request: { staleMs: number; exclude?: readonly string[]; actor: string }): Promise<{ id: string }[]>;
}

export interface RunLeaseOptions {
  store: LeasePort;
  /** The investigations this process runs now. */
  activeIds: () => string[];
  leaseMs: number;
  logger: Logger;
  /** Each investigation the sweep ended, for the metrics. */
  onSwept?: (count: number) => void;
}

export class RunLease {
  readonly runnerId = `gw-${randomBytes(6).toString('hex')}`;
  private timer: NodeJS.Timeout | undefined;
  private tick: Promise<void> = Promise.resolve();

  constructor(private readonly options: RunLeaseOptions) {}

  /** Sweeps now, then renews and sweeps every quarter lease. */
  start(): void {
    this.tick = this.renewAndSweep();
    this.timer = setInterval(() => {
      this.tick = this.tick.then(() => this.renewAndSweep());
    }, this.options.leaseMs / 4);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.tick;
  }

  /** One renewal and one sweep; failures are logged (the store may be away) and retried next tick. */
  async renewAndSweep(): Promise<void> {
    const { store, activeIds, leaseMs, logger, onSwept } = this.options;
    const active = activeIds();
    try {
      await store.heartbeat(this.runnerId, active);
      const swept = await store.sweep({
        staleMs: leaseMs,
        exclude: active,
        actor: `gateway:${this.runnerId}`,
      });
      if (swept.length > 0) {
        onSwept?.(swept.length);
        logger.warn({ investigations: swept.map((s) => s.id) }, 'ended investigations nobody runs any more');
      }
    } catch (err) {
      logger.error({ err }, 'could not renew leases or sweep orphaned investigations');
    }
  }
}
