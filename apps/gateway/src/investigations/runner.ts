// Runs investigations: reserves a concurrency slot, records the investigation, gets the thread's
// sandbox (all before any stream starts, so failures are plain HTTP errors), then relays the
// executor's events in the background: each one is persisted (batched), audited when it is a tool
// call, and published to the clients following it. The persisted stream always ends with exactly
// one `result` or `error`, whatever the executor does; a lost sandbox is released so the thread's
// next turn starts fresh, seeded with the stored history.
import { createHash, randomBytes } from 'node:crypto';
import {
  SandboxOwnerSchema,
  StreamEventSchema,
  historyExchange,
  makeEvent,
  MAX_HISTORY_ANSWER_CHARS,
  proposalStateLine,
  type GenericAlert,
  type HistoryTurn,
  type InvestigationDetail,
  type InvestigationSource,
  type Proposal,
  type SandboxDescriptor,
  type StreamEvent,
} from '@foxhound/contracts';
import { ConflictError, RateLimitedError, type Logger } from '@foxhound/service-kit';
import { type Principal } from '../auth/principal';
import { type ConcurrencyLimiter } from '../limits/rate-limit';
import { type ManagerClient } from '../upstream/manager-client';
import { type RouterClient } from '../upstream/router-client';
import { POLICY_ACTOR, type ProposalRecorder } from '../actions/proposal-recorder';
import { type LiveHub } from './live-hub';
import {
  type AuditInput,
  type AuditPort,
  type EventWriterPort,
  type EventsPort,
  type InvestigationOutcomeInput,
  type InvestigationsPort,
} from './ports';

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
  concurrency: ConcurrencyLimiter;
  logger: Logger;
  turnTimeoutMs: number;
  executorIdleMs: number;
  /** How many earlier turns of a thread a replacement sandbox is given. */
  historyTurns?: number;
  /** Records streamed proposals so they can be approved; without it they are only relayed. */
  proposals?: ProposalRecorder;
}

interface ActiveRun {
  investigationId: string;
  sandbox: SandboxDescriptor;
  abort: AbortController;
  done: Promise<void>;
  /** Persists and publishes an event on this run's stream. */
  publish?: (event: StreamEvent) => void;
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
    const { investigations, concurrency, logger } = this.options;
    const threadId = input.threadId ?? newThreadId();
    const busy = () =>
      new ConflictError(`Thread ${threadId} already has a running turn; wait for it or interrupt it.`);
    const previous = this.active.get(threadId);
    if (this.starting.has(threadId) || (previous && !previous.ended)) throw busy();
    this.starting.add(threadId);
    let release: (() => void) | undefined;
    let handedOff = false;
    try {
      // A client may follow up the moment it reads the result: let the last turn's bookkeeping finish.
      if (previous) await previous.done;
      release = concurrency.tryAcquire();
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
      run.done = this.relay({ input, investigation, sandbox, writer, abort, log, run })
        .catch((err: unknown) => log.error({ err }, 'investigation relay failed'))
        .finally(() => {
          this.active.delete(threadId);
          releaseSlot();
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
    if (status < 200 || status >= 300) run.abort.abort(new Error('interrupted'));
    return true;
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
    const timer = setTimeout(
      () => runs.forEach((r) => r.abort.abort(new Error('gateway shutting down'))),
      deadlineMs,
    );
    await Promise.allSettled(runs.map((r) => r.done));
    clearTimeout(timer);
  }

  private async relay(ctx: {
    input: StartInvestigationInput;
    investigation: InvestigationDetail;
    sandbox: SandboxDescriptor;
    writer: EventWriterPort;
    abort: AbortController;
    log: Logger;
    run: ActiveRun;
  }): Promise<void> {
    const { input, investigation, sandbox, writer, abort, log, run } = ctx;
    const { hub, investigations } = this.options;
    const threadId = investigation.threadId;
    const started = Date.now();
    let outcome: InvestigationOutcomeInput | undefined;

    // Tool calls are audited in batches: one chained transaction per batch instead of one per call.
    let toolAudits: AuditInput[] = [];
    const flushToolAudits = () => {
      if (toolAudits.length === 0) return Promise.resolve();
      const batch = toolAudits;
      toolAudits = [];
      return this.options.audit
        .appendMany(batch)
        .then(() => undefined)
        .catch((err: unknown) => log.error({ err, entries: batch.length }, 'could not audit tool calls'));
    };
    const publish = (event: StreamEvent) => {
      const seq = writer.append(event);
      hub.publish(investigation.id, { seq, event });
      if (event.type === 'tool_end') {
        toolAudits.push(toolCallAudit(event, investigation.id, sandbox.sandboxId));
        if (toolAudits.length >= TOOL_AUDIT_BATCH) void flushToolAudits();
      }
    };
    run.publish = publish;
    publish(
      makeEvent(
        'session',
        {
          thread_id: threadId,
          sandbox_id: sandbox.sandboxId,
          reused: sandbox.reused,
          investigation_id: investigation.id,
          backend: sandbox.backend,
        },
        threadId,
      ),
    );

    const turnTimer = setTimeout(() => abort.abort(new Error('turn timeout')), this.options.turnTimeoutMs);
    try {
      const history = sandbox.reused ? undefined : await this.history(threadId, investigation.id);
      const stream = await this.options.router.execute(
        sandbox,
        {
          prompt: input.prompt,
          thread_id: threadId,
          alert: input.alert,
          context: input.namespaces?.length ? { namespaces: input.namespaces } : undefined,
          history: history?.length ? history : undefined,
        },
        abort.signal,
        this.options.executorIdleMs,
      );
      if (stream.status !== 200) {
        const body = (await stream.text().catch(() => '')).slice(0, 500);
        // 409: the executor is still running a turn on this thread (another gateway replica started
        // it). The sandbox is fine; only this turn is refused.
        if (stream.status === 409)
          throw new ThreadBusyError(`The thread already has a turn running in its sandbox: ${body}`);
        throw new SandboxLostError(`The sandbox refused the turn (HTTP ${stream.status}): ${body}`);
      }
      // The executor's proposal ids → what the gateway recorded them as (ids an approver can use).
      const recorded = new Map<string, Proposal>();
      for await (const frame of stream.frames) {
        const parsed = StreamEventSchema.safeParse(safeJson(frame.data));
        if (!parsed.success) {
          log.warn({ frame: frame.data.slice(0, 200) }, 'dropped an event that does not match the contract');
          continue;
        }
        let event = { ...parsed.data, thread_id: threadId } as StreamEvent;
        if (event.type === 'proposal' && this.options.proposals) {
          const proposal = await this.recordProposal(
            event,
            investigation.id,
            sandbox.sandboxId,
            publish,
            log,
          );
          if (proposal) recorded.set(event.data.id, proposal);
          continue;
        }
        if (event.type === 'result' && event.data.report && recorded.size > 0) {
          // The report lists the same proposals: under the ids they can be approved by.
          const report = event.data.report;
          const proposals = report.proposals.map((p) => recorded.get(p.id) ?? p);
          event = { ...event, data: { ...event.data, report: { ...report, proposals } } };
        }
        publish(event);
        if (event.type === 'result') {
          run.ended = true;
          outcome = {
            status:
              event.data.subtype === 'interrupted'
                ? 'interrupted'
                : event.data.success
                  ? 'completed'
                  : 'failed',
            report: event.data.report,
            resultText: event.data.text,
            usage: event.data.usage,
            provider: event.data.provider,
            model: event.data.model,
            durationMs: Date.now() - started,
          };
          break;
        }
        if (event.type === 'error') {
          run.ended = true;
          outcome = { status: 'failed', error: { message: event.data.message, code: event.data.code } };
          break;
        }
      }
      stream.close();
      if (!outcome) throw new SandboxLostError('The sandbox ended the stream without a result.');
    } catch (err) {
      const reason = abort.signal.aborted
        ? String((abort.signal.reason as Error)?.message ?? 'aborted')
        : undefined;
      const timedOut = reason === 'turn timeout';
      const busy = err instanceof ThreadBusyError;
      const code = timedOut ? 'turn_timeout' : busy ? 'thread_busy' : 'sandbox_lost';
      const message = timedOut
        ? `The investigation ran longer than ${this.options.turnTimeoutMs / 1000} s and was stopped.`
        : busy
          ? `${describe(err)} Wait for it to finish, or interrupt it.`
          : `The sandbox stopped responding before the investigation finished (${describe(err)}). Ask again on this thread to continue in a fresh sandbox.`;
      log.warn({ err: describe(err), code }, 'investigation stream failed');
      publish(makeEvent('error', { message, recoverable: true, code }, threadId));
      // A follow-up now waits for the release below (start() awaits this run), then gets a fresh sandbox.
      run.ended = true;
      outcome = { status: 'failed', error: { message, code }, durationMs: Date.now() - started };
      if (code === 'sandbox_lost') {
        // The next turn on this thread must get a fresh sandbox, not this broken one.
        await this.options.manager
          .release(sandbox.sandboxId)
          .catch((e: unknown) => log.warn({ err: describe(e) }, 'could not release the lost sandbox'));
      }
    } finally {
      clearTimeout(turnTimer);
    }
    try {
      await writer.close();
    } catch (err) {
      log.error({ err }, 'the end of the event stream could not be stored');
    }
    await flushToolAudits();
    await investigations.finish(investigation.id, outcome);
    hub.close(investigation.id);
    log.info({ status: outcome.status, durationMs: Date.now() - started }, 'investigation finished');
  }

  /** Records a streamed proposal under its gateway id, then streams it (and a policy rejection). */
  private async recordProposal(
    event: Extract<StreamEvent, { type: 'proposal' }>,
    investigationId: string,
    sandboxId: string,
    publish: (event: StreamEvent) => void,
    log: Logger,
  ): Promise<Proposal | undefined> {
    try {
      const { proposal, refusal } = await this.options.proposals!.record(
        investigationId,
        event.data,
        `executor:${sandboxId}`,
      );
      publish({ ...event, data: proposal });
      if (refusal) {
        publish(
          makeEvent(
            'action_update',
            { proposal_id: proposal.id, state: 'rejected', actor: POLICY_ACTOR, reason: refusal },
            event.thread_id,
          ),
        );
      }
      return proposal;
    } catch (err) {
      log.error({ err }, 'could not record a proposal; it is shown but cannot be approved');
      publish(event);
      return undefined;
    }
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

/** Tool calls audited per batch. */
const TOOL_AUDIT_BATCH = 25;

function toolCallAudit(
  event: Extract<StreamEvent, { type: 'tool_end' }>,
  investigationId: string,
  sandboxId: string,
): AuditInput {
  return {
    kind: 'tool_call',
    actor: `executor:${sandboxId}`,
    action: event.data.name,
    outcome: event.data.success ? 'success' : event.data.status === 'refused' ? 'denied' : 'failure',
    investigationId,
    details: {
      toolUseId: event.data.tool_use_id,
      status: event.data.status,
      summary: event.data.summary,
      parentToolUseId: event.data.parent_tool_use_id,
      role: event.data.role,
    },
  };
}

class SandboxLostError extends Error {
  override readonly name = 'SandboxLostError';
}

class ThreadBusyError extends Error {
  override readonly name = 'ThreadBusyError';
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));
