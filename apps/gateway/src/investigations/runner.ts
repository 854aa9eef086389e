// Runs investigations: reserves a concurrency slot, records the investigation, gets the thread's
// sandbox (all before any stream starts, so failures are plain HTTP errors), then hands the turn to
// its TurnRelay (relay.ts) in the background. It also keeps the turns it runs here: interrupts,
// live action updates, the ids whose lease it renews, and the drain on shutdown.
import { createHash, randomBytes } from 'node:crypto';
import {
  SandboxOwnerSchema,
  historyExchange,
  MAX_HISTORY_ANSWER_CHARS,
  proposalStateLine,
  type GenericAlert,
  type HistoryTurn,
  type InvestigationDetail,
  type InvestigationSource,
  type SandboxDescriptor,
  type StreamEvent,
} from '@foxhound/contracts';
import { ConflictError, RateLimitedError, type Logger, type Redactor } from '@foxhound/service-kit';
import { type Principal } from '../auth/principal';
import { type SlotPool } from '../limits/rate-limit';
import { type ManagerClient } from '../upstream/manager-client';
import { type RouterClient } from '../upstream/router-client';
import { type ProposalRecorder } from '../actions/proposal-recorder';
import { StoreOutbox } from '../durability/outbox';
import { DEFAULT_RETRY_DELAYS } from '../durability/retry';
import { type LiveHub } from './live-hub';
import { type IdleSandboxRelease } from './idle-release';
import { claimThread } from './thread-owner';
import {
  type AuditPort,
  type EventsPort,
  type EventWriterPort,
  type InvestigationOutcomeInput,
  type InvestigationsPort,
} from './ports';
import { RelayAbort, type AbortReason } from './turn-failure';
import { TurnRelay } from './relay';

export interface StartInvestigationInput {
  prompt: string;
  threadId?: string;
  namespaces?: string[];
  alert?: GenericAlert;
  source: InvestigationSource;
  principal: Principal;
  alertFingerprint?: string;
  title?: string;
  requestId?: string;
  /** An admin continuing another principal's thread (audited); refused for anyone else. */
  takeover?: boolean;
}

export type StartResult =
  | { kind: 'started'; investigation: InvestigationDetail; sandbox: SandboxDescriptor }
  | { kind: 'deduplicated'; investigation: InvestigationDetail };

export interface RunnerOptions {
  investigations: InvestigationsPort;
  events: EventsPort;
  audit: AuditPort;
  manager: ManagerClient;
  router: RouterClient;
  hub: LiveHub;
  concurrency: SlotPool;
  /** Running investigations started by alerts, limited apart from the API's. */
  alertConcurrency?: SlotPool;
  /** Releases a finished turn's sandbox once its thread is idle. */
  idleRelease?: IdleSandboxRelease;
  logger: Logger;
  turnTimeoutMs: number;
  executorIdleMs: number;
  /** How many earlier turns of a thread a replacement sandbox is given. */
  historyTurns?: number;
  /** Records streamed proposals so they can be approved; without it they are only relayed. */
  proposals?: ProposalRecorder;
  /** How long a turn's store writes are retried while the store is unreachable. */
  storeRetryMs: number;
  /** Store writes (audit batches, proposals) a turn may queue while the store is away. */
  maxPendingWrites: number;
  /** Events waiting for the store above which a turn stops reading its executor. */
  eventHighWater: number;
  /** Each retried store write, for the metrics. */
  onStoreRetry?: (write: 'outbox' | 'outcome') => void;
  /** Each ended turn, for the metrics. */
  onFinished?: (outcome: InvestigationOutcomeInput) => void;
  /** Secrets out of what turns store and stream. */
  redactor: Redactor;
}

interface ActiveRun {
  investigationId: string;
  sandbox: SandboxDescriptor;
  abort: AbortController;
  done: Promise<void>;
  /** Persists and publishes an event on this run's stream. */
  publish?: (event: StreamEvent) => number;
  writer?: EventWriterPort;
  /** Set once the terminal event went out; what remains is bookkeeping (flushes, the outcome). */
  ended?: boolean;
}

const newThreadId = () => `thread-${randomBytes(6).toString('hex')}`;

/** The principal as a sandbox owner: its id when the manager accepts it as is, else a digest of it. */
function ownerOf(principal: Principal): string {
  return SandboxOwnerSchema.safeParse(principal.id).success
    ? principal.id
    : `p:${createHash('sha256').update(principal.id).digest('hex').slice(0, 32)}`;
}

export class InvestigationRunner {
  private readonly active = new Map<string, ActiveRun>();
  /** Threads whose next turn is being set up (before it is active): taken synchronously, so two requests cannot both start one. */
  private readonly starting = new Set<string>();

  constructor(private readonly options: RunnerOptions) {}

  async start(input: StartInvestigationInput): Promise<StartResult> {
    const { investigations, logger } = this.options;
    const concurrency =
      input.source === 'api'
        ? this.options.concurrency
        : (this.options.alertConcurrency ?? this.options.concurrency);
    const threadId = input.threadId ?? newThreadId();
    const busy = () =>
      new ConflictError(`Thread ${threadId} already has a running turn; wait for it or interrupt it.`);
    const previous = this.active.get(threadId);
    if (this.starting.has(threadId) || (previous && !previous.ended)) throw busy();
    this.starting.add(threadId);
    this.options.idleRelease?.cancel(threadId);
    let release: (() => void) | undefined;
    let handedOff = false;
    try {
      // A client may follow up the moment it reads the result: let the last turn's bookkeeping finish.
      if (previous) await previous.done;
      const access = input.threadId
        ? await claimThread(this.options, {
            threadId,
            principal: input.principal,
            takeover: input.takeover,
            requestId: input.requestId,
          })
        : { tookOver: false };
      if (access.takenOverSandboxId) {
        // The previous owner's sandbox is theirs: the new owner's turn starts fresh, seeded with the history.
        await this.options.manager.release(access.takenOverSandboxId).catch((err: unknown) => {
          logger.warn({ err, threadId }, 'could not release the sandbox of a thread taken over');
        });
      }
      release = await concurrency.tryAcquire();
      if (!release) {
        throw new RateLimitedError(
          `${concurrency.inUse} investigations are already running; try again shortly.`,
          10,
        );
      }
      const { investigation, created } = await investigations.create({
        threadId,
        source: input.source,
        prompt: input.prompt,
        title: input.title,
        principal: input.principal.id,
        alert: input.alert,
        alertFingerprint: input.alertFingerprint,
      });
      if (!created) return { kind: 'deduplicated', investigation };
      const log = logger.child({ investigationId: investigation.id, threadId });

      let sandbox: SandboxDescriptor;
      try {
        sandbox = await this.options.manager.acquire({
          threadId,
          labels: { 'investigation-source': input.source },
          // The manager's per-owner sandbox limit counts by who asked.
          owner: ownerOf(input.principal),
        });
      } catch (err) {
        await investigations.finish(investigation.id, {
          status: 'failed',
          error: { message: err instanceof Error ? err.message : String(err), code: 'sandbox_unavailable' },
        });
        throw err;
      }
      await investigations.setSandbox(investigation.id, sandbox.sandboxId);
      log.info(
        { sandboxId: sandbox.sandboxId, reused: sandbox.reused, backend: sandbox.backend },
        'sandbox ready',
      );

      const writer = await this.options.events.writer(investigation.id);
      this.options.hub.open(investigation.id);
      const abort = new AbortController();
      const run: ActiveRun = { investigationId: investigation.id, sandbox, abort, done: Promise.resolve() };
      this.active.set(threadId, run);
      handedOff = true;
      const releaseSlot = release;
      const o = this.options;
      const retry = { deadlineMs: o.storeRetryMs, ...DEFAULT_RETRY_DELAYS };
      const relay = new TurnRelay(
        {
          router: o.router,
          manager: o.manager,
          hub: o.hub,
          investigations,
          audit: o.audit,
          proposals: o.proposals,
          turnTimeoutMs: o.turnTimeoutMs,
          executorIdleMs: o.executorIdleMs,
          retry,
          eventHighWater: o.eventHighWater,
          redactor: o.redactor,
          onStoreRetry: o.onStoreRetry,
          onFinished: o.onFinished,
        },
        {
          input,
          investigation,
          sandbox,
          writer,
          outbox: new StoreOutbox({
            maxPending: o.maxPendingWrites,
            retry,
            log,
            onRetry: () => o.onStoreRetry?.('outbox'),
          }),
          abort,
          log,
          history: () => this.history(threadId, investigation.id),
          onEnded: () => (run.ended = true),
        },
      );
      run.publish = relay.publish;
      run.writer = writer;
      run.done = relay
        .run()
        .catch((err: unknown) => log.error({ err }, 'investigation relay failed'))
        .finally(() => {
          this.active.delete(threadId);
          releaseSlot();
          this.options.idleRelease?.schedule({
            threadId,
            investigationId: investigation.id,
            sandboxId: sandbox.sandboxId,
            source: input.source,
          });
        });
      return { kind: 'started', investigation: { ...investigation, sandboxId: sandbox.sandboxId }, sandbox };
    } finally {
      this.starting.delete(threadId);
      if (!handedOff) release?.();
    }
  }

  /** Asks the executor to stop the thread's running turn; false when nothing runs here for it. */
  async interrupt(threadId: string): Promise<boolean> {
    const run = this.active.get(threadId);
    if (!run) return false;
    const status = await this.options.router.interrupt(run.sandbox, { thread_id: threadId }).catch(() => 0);
    if (status < 200 || status >= 300) abortWith(run.abort, { kind: 'interrupt_unanswered' });
    return true;
  }

  /** Events of the turns running here that wait for the store. */
  storeBacklog(): number {
    let total = 0;
    for (const run of this.active.values()) total += run.writer?.backlog ?? 0;
    return total;
  }

  /** True while a turn on the thread starts or runs here. */
  isBusy(threadId: string): boolean {
    return this.starting.has(threadId) || this.active.has(threadId);
  }

  /** Investigations running here: their leases are renewed, and no sweep may end them. */
  activeIds(): string[] {
    return [...this.active.values()].map((r) => r.investigationId);
  }

  /** Emits an event on a running investigation's stream; false when it does not run here. */
  emitLive(investigationId: string, event: StreamEvent): boolean {
    for (const run of this.active.values()) {
      if (run.investigationId === investigationId && run.publish) {
        run.publish(event);
        return true;
      }
    }
    return false;
  }

  /** Waits for every running relay (graceful shutdown), aborting those still running at the deadline. */
  async drain(deadlineMs: number): Promise<void> {
    const runs = [...this.active.values()];
    const timer = setTimeout(() => runs.forEach((r) => abortWith(r.abort, { kind: 'shutdown' })), deadlineMs);
    await Promise.allSettled(runs.map((r) => r.done));
    clearTimeout(timer);
  }

  /** Earlier turns of the thread, oldest first, for a sandbox that starts without them. */
  private async history(threadId: string, currentId: string): Promise<HistoryTurn[]> {
    const page = await this.options.investigations.list({ threadId, limit: this.options.historyTurns ?? 10 });
    const turns: HistoryTurn[] = [];
    for (const summary of page.items.reverse()) {
      if (summary.id === currentId) continue;
      const detail = await this.options.investigations.get(summary.id);
      if (!detail?.resultText) continue;
      // What became of the turn's proposals (approved, rejected, applied...), so the new sandbox's
      // follow-up refers to them as they stand instead of proposing them again.
      const states = (await this.options.proposals?.statesOf(summary.id)) ?? [];
      const lines = states.map((s) => proposalStateLine(s.proposal.action, s.proposal.summary, s.state));
      const tail = lines.length ? `\n\n### What became of the proposals\n\n${lines.join('\n')}` : '';
      turns.push(
        ...historyExchange(
          detail.prompt,
          `${detail.resultText.slice(0, MAX_HISTORY_ANSWER_CHARS - tail.length)}${tail}`,
        ),
      );
    }
    return turns;
  }
}

const abortWith = (abort: AbortController, reason: AbortReason) => abort.abort(new RelayAbort(reason));
