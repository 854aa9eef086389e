// Releases a finished turn's sandbox once its thread has been idle for a while, so sandboxes kept for
// follow-ups do not pile up against the manager's per-owner limit (an alert integration's key would
// otherwise hit it after a handful of alerts). Alert-started turns get their own, shorter window. A
// follow-up that starts here cancels the timer; one that started elsewhere (another replica) is seen
// in the store: only the thread's latest turn, finished, releases its sandbox. The next turn on the
// thread then starts in a fresh sandbox seeded with the thread's history.
import { type InvestigationSource } from '@foxhound/contracts';
import { type Logger } from '@foxhound/service-kit';
import { type ManagerClient } from '../upstream/manager-client';
import { type InvestigationsPort } from './ports';

export interface IdleReleaseOptions {
  manager: Pick<ManagerClient, 'release'>;
  investigations: Pick<InvestigationsPort, 'list'>;
  logger: Logger;
  idleMs: number;
  alertIdleMs: number;
  /** True while a turn on the thread starts or runs in this process. */
  busy: (threadId: string) => boolean;
}

export class IdleSandboxRelease {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly options: IdleReleaseOptions) {}

  schedule(turn: {
    threadId: string;
    investigationId: string;
    sandboxId: string;
    source: InvestigationSource;
  }): void {
    this.cancel(turn.threadId);
    const window = turn.source === 'api' ? this.options.idleMs : this.options.alertIdleMs;
    const timer = setTimeout(() => {
      this.timers.delete(turn.threadId);
      void this.release(turn);
    }, window);
    timer.unref();
    this.timers.set(turn.threadId, timer);
  }

  cancel(threadId: string): void {
    clearTimeout(this.timers.get(threadId));
    this.timers.delete(threadId);
  }

  /** Drops every pending release (shutdown): the manager's own TTL reaps what is left. */
  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private async release(turn: {
    threadId: string;
    investigationId: string;
    sandboxId: string;
  }): Promise<void> {
    const { manager, investigations, logger, busy } = this.options;
    try {
      const latest = (await investigations.list({ threadId: turn.threadId, limit: 1 })).items[0];
      // A newer turn (here or on another replica) owns the sandbox now, or this one has not ended.
      if (latest?.id !== turn.investigationId || latest.status === 'running' || busy(turn.threadId)) return;
      await manager.release(turn.sandboxId);
      logger.info({ threadId: turn.threadId, sandboxId: turn.sandboxId }, 'released an idle sandbox');
    } catch (err) {
      logger.warn({ err, threadId: turn.threadId }, 'could not release an idle sandbox');
    }
  }
}
