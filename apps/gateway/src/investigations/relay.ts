// One turn's relay, as an explicit state machine:
//
//   opening ──> streaming ──> ending ──> recording ──> done
//      └────────────┴──(failure)──^
//
// opening: the session event, the thread's history, the executor's stream through the router.
// streaming: each event is numbered, published live, buffered for the store; proposals are checked
// and shown at once and stored through the outbox; tool calls are audited in batches.
// ending: exactly one terminal event (`result` from the executor, or an `error` naming the failed hop)
// goes out, so every client stream ends however the turn did.
// recording: the event tail, the outbox (audits, proposals) and then the outcome are written, each
// retried with backoff while the store is away, up to the retry deadline; past it the lease lapses and
// the sweeper ends the investigation.
import {
  makeEvent,
  StreamEventSchema,
  type GenericAlert,
  type HistoryTurn,
  type InvestigationDetail,
  type Proposal,
  type SandboxDescriptor,
  type StreamEvent,
} from '@foxhound/contracts';
import { type Logger, type Redactor } from '@foxhound/service-kit';
import { POLICY_ACTOR, type ProposalRecorder } from '../actions/proposal-recorder';
import { type StoreOutbox } from '../durability/outbox';
import { storableCopy } from '../input/storable';
import { retryUnavailable, type RetryPolicy } from '../durability/retry';
import { type ManagerClient } from '../upstream/manager-client';
import { type RouterClient } from '../upstream/router-client';
import { type LiveHub } from './live-hub';
import { redactEvent, redactProposal } from './redact-event';
import {
  type AuditInput,
  type AuditPort,
  type EventWriterPort,
  type InvestigationOutcomeInput,
  type InvestigationsPort,
} from './ports';
import { classifyFailure, describe, HopError, refusalOf, RelayAbort, type TurnFailure } from './turn-failure';

export type RelayState = 'opening' | 'streaming' | 'ending' | 'recording' | 'done';

export interface RelayDeps {
  router: RouterClient;
  manager: Pick<ManagerClient, 'release'>;
  hub: LiveHub;
  investigations: Pick<InvestigationsPort, 'finish'>;
  audit: Pick<AuditPort, 'appendMany'>;
  proposals?: ProposalRecorder;
  turnTimeoutMs: number;
  executorIdleMs: number;
  retry: RetryPolicy;
  /** Events waiting for the store above which the relay stops reading the executor until they drain. */
  eventHighWater: number;
  /** Secrets out of every event, proposal and outcome before they are stored or sent. */
  redactor: Redactor;
  onStoreRetry?: (write: 'outcome') => void;
  onFinished?: (outcome: InvestigationOutcomeInput) => void;
}

export interface TurnInput {
  prompt: string;
  alert?: GenericAlert;
  namespaces?: string[];
}

export interface TurnContext {
  input: TurnInput;
  investigation: InvestigationDetail;
  sandbox: SandboxDescriptor;
  writer: EventWriterPort;
  outbox: StoreOutbox;
  abort: AbortController;
  log: Logger;
  /** The thread's earlier turns, read only for a sandbox that starts without them. */
  history: () => Promise<HistoryTurn[]>;
  /** Called once the terminal event went out: what remains is bookkeeping. */
  onEnded: () => void;
}

/** Tool calls audited per batch: one chained transaction per batch instead of one per call. */
const TOOL_AUDIT_BATCH = 25;

export class TurnRelay {
  private state: RelayState = 'opening';
  private readonly started = Date.now();
  private toolAudits: AuditInput[] = [];
  /** The executor's proposal ids → what the gateway recorded them as (ids an approver can use). */
  private readonly recorded = new Map<string, Proposal>();

  constructor(
    private readonly deps: RelayDeps,
    private readonly ctx: TurnContext,
  ) {}

  get current(): RelayState {
    return this.state;
  }

  /** Persists and publishes one event on this turn's stream; returns its seq. */
  readonly publish = (raw: StreamEvent): number => {
    const { writer, investigation, sandbox, outbox } = this.ctx;
    const event = redactEvent(raw, this.deps.redactor);
    const seq = writer.append(event);
    this.deps.hub.publish(investigation.id, { seq, event });
    if (event.type === 'tool_end') {
      // Keyed by seq: a batch retried after a lost commit answer is audited once.
      this.toolAudits.push(storableCopy(toolCallAudit(event, investigation.id, sandbox.sandboxId, seq)));
      if (this.toolAudits.length >= TOOL_AUDIT_BATCH) this.queueToolAudits(outbox);
    }
    return seq;
  };

  async run(): Promise<void> {
    const { abort, log, investigation } = this.ctx;
    const turnTimer = setTimeout(
      () => abort.abort(new RelayAbort({ kind: 'turn_timeout' })),
      this.deps.turnTimeoutMs,
    );
    let outcome: InvestigationOutcomeInput;
    try {
      outcome = await this.stream();
    } catch (err) {
      const failure = classifyFailure(err, abort.signal, this.deps.turnTimeoutMs);
      log.warn(
        { err: describe(err), code: failure.code, hop: failure.hop, state: this.state },
        'investigation stream failed',
      );
      outcome = await this.fail(failure);
    } finally {
      clearTimeout(turnTimer);
    }
    this.state = 'recording';
    await this.record(outcome);
    this.deps.onFinished?.(outcome);
    this.state = 'done';
    this.deps.hub.close(investigation.id);
    log.info({ status: outcome.status, durationMs: Date.now() - this.started }, 'investigation finished');
  }

  /** opening → streaming → ending: relays the executor's stream up to and including its terminal event. */
  private async stream(): Promise<InvestigationOutcomeInput> {
    const { input, investigation, sandbox, abort, log, writer } = this.ctx;
    const threadId = investigation.threadId;
    this.publish(
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
    const history = sandbox.reused ? undefined : await this.ctx.history();
    const stream = await this.deps.router
      .execute(
        sandbox,
        {
          prompt: input.prompt,
          thread_id: threadId,
          alert: input.alert,
          context: input.namespaces?.length ? { namespaces: input.namespaces } : undefined,
          history: history?.length ? history : undefined,
        },
        abort.signal,
        this.deps.executorIdleMs,
      )
      .catch((err: unknown) => {
        if (abort.signal.aborted) throw err;
        // Nothing answered yet, and the router is the only hop contacted so far.
        throw new HopError(
          'router',
          'router_unavailable',
          `The sandbox-router could not be reached (${describe(err)}); the sandbox is kept.`,
          { cause: err },
        );
      });
    if (stream.status !== 200) throw refusalOf(stream.status, await stream.text().catch(() => ''));
    this.state = 'streaming';
    try {
      for await (const frame of stream.frames) {
        const parsed = StreamEventSchema.safeParse(safeJson(frame.data));
        if (!parsed.success) {
          log.warn({ frame: frame.data.slice(0, 200) }, 'dropped an event that does not match the contract');
          continue;
        }
        const event = { ...parsed.data, thread_id: threadId } as StreamEvent;
        if (event.type === 'proposal' && this.deps.proposals) {
          await this.relayProposal(event, this.deps.proposals);
        } else if (event.type === 'result' || event.type === 'error') {
          return this.end(event);
        } else {
          this.publish(event);
        }
        // Back-pressure: while the store is away, stop reading the executor once enough waits for it.
        if (writer.backlog >= this.deps.eventHighWater) await writer.waitForRoom(this.deps.eventHighWater);
      }
    } finally {
      stream.close();
    }
    throw new HopError('executor', 'sandbox_lost', 'The sandbox ended the stream without a result.');
  }

  /** ending, the executor's way: its terminal event, with proposals under the ids they can be approved by. */
  private end(event: Extract<StreamEvent, { type: 'result' | 'error' }>): InvestigationOutcomeInput {
    this.state = 'ending';
    if (event.type === 'error') {
      this.publish(event);
      this.ctx.onEnded();
      return { status: 'failed', error: { message: event.data.message, code: event.data.code } };
    }
    let result = event;
    if (event.data.report && this.recorded.size > 0) {
      const report = event.data.report;
      const proposals = report.proposals.map((p) => this.recorded.get(p.id) ?? p);
      result = { ...event, data: { ...event.data, report: { ...report, proposals } } };
    }
    this.publish(result);
    this.ctx.onEnded();
    return {
      status:
        result.data.subtype === 'interrupted' ? 'interrupted' : result.data.success ? 'completed' : 'failed',
      report: result.data.report,
      resultText: result.data.text,
      usage: result.data.usage,
      provider: result.data.provider,
      model: result.data.model,
      durationMs: Date.now() - this.started,
    };
  }

  /** ending, the gateway's way: an `error` naming the failed hop; a lost sandbox is released. */
  private async fail(failure: TurnFailure): Promise<InvestigationOutcomeInput> {
    const { investigation, sandbox, log } = this.ctx;
    this.state = 'ending';
    const event = makeEvent(
      'error',
      { message: failure.message, recoverable: true, code: failure.code },
      investigation.threadId,
    );
    if (!failure.keepSandbox) {
      // Released before the client reads the error, so a follow-up it sends at once gets a fresh sandbox.
      await this.deps.manager
        .release(sandbox.sandboxId)
        .catch((e: unknown) => log.warn({ err: describe(e) }, 'could not release the lost sandbox'));
    }
    this.publish(event);
    this.ctx.onEnded();
    return {
      status: failure.status,
      error: { message: failure.message, code: failure.code },
      durationMs: Date.now() - this.started,
    };
  }

  /** recording: the event tail, then audits and proposals, then the outcome, each retried while the store is away. */
  private async record(outcome: InvestigationOutcomeInput): Promise<void> {
    const { writer, outbox, investigation, log } = this.ctx;
    try {
      await writer.close();
    } catch (err) {
      log.error({ err }, 'the end of the event stream could not be stored');
    }
    try {
      this.queueToolAudits(outbox);
    } catch (err) {
      log.error({ err }, 'the last tool-call audit entries could not be queued');
    }
    await outbox.drain();
    const storable = storableCopy(this.deps.redactor.value(outcome));
    try {
      await retryUnavailable(
        () => this.deps.investigations.finish(investigation.id, storable),
        this.deps.retry,
        () => this.deps.onStoreRetry?.('outcome'),
      );
    } catch (err) {
      // Its lease is no longer renewed once this run is gone: the sweeper ends it.
      log.error({ err }, 'the outcome could not be stored; the sweeper will end the investigation');
    }
  }

  /** Checks and shows a proposal at once; stores it (and a policy rejection) through the outbox. */
  private async relayProposal(
    event: Extract<StreamEvent, { type: 'proposal' }>,
    recorder: ProposalRecorder,
  ): Promise<void> {
    const { investigation, sandbox, outbox } = this.ctx;
    const checked = await recorder.prepare(investigation.id, event.data);
    const prepared = { ...checked, proposal: redactProposal(checked.proposal, this.deps.redactor) };
    const actor = `executor:${sandbox.sandboxId}`;
    outbox.enqueue(`proposal ${prepared.proposal.id}`, () =>
      recorder.persist(investigation.id, prepared, actor),
    );
    this.recorded.set(event.data.id, prepared.proposal);
    this.publish({ ...event, data: prepared.proposal });
    if (prepared.refusal) {
      this.publish(
        makeEvent(
          'action_update',
          {
            proposal_id: prepared.proposal.id,
            state: 'rejected',
            actor: POLICY_ACTOR,
            reason: prepared.refusal,
          },
          event.thread_id,
        ),
      );
    }
  }

  private queueToolAudits(outbox: StoreOutbox): void {
    if (this.toolAudits.length === 0) return;
    const batch = this.toolAudits;
    this.toolAudits = [];
    outbox.enqueue(`${batch.length} tool-call audit entries`, () => this.deps.audit.appendMany(batch));
  }
}

function toolCallAudit(
  event: Extract<StreamEvent, { type: 'tool_end' }>,
  investigationId: string,
  sandboxId: string,
  seq: number,
): AuditInput {
  return {
    kind: 'tool_call',
    actor: `executor:${sandboxId}`,
    action: event.data.name,
    outcome: event.data.success ? 'success' : event.data.status === 'refused' ? 'denied' : 'failure',
    investigationId,
    dedupKey: `${investigationId}:event:${seq}`,
    details: {
      toolUseId: event.data.tool_use_id,
      status: event.data.status,
      summary: event.data.summary,
      parentToolUseId: event.data.parent_tool_use_id,
      role: event.data.role,
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
