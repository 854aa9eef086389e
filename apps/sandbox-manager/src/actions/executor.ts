// Runs approved actions: the state machine applying → applied → recovered | failed (failed →
// recovered late; `final` once the observer concluded). An execution is recorded in the cluster
// before anything is written (records.ts: the create is the lock), the checks and a dry run run
// right before the write, the write goes through the scoped identity, and the observer then looks
// at the target every interval until it recovers or the late-recovery window closes. Requests for
// a known proposal get its execution: nothing is ever applied twice, across restarts included.
import { randomUUID } from 'node:crypto';
import {
  type ActionCheck,
  type ActionExecution,
  type ExecuteActionRequest,
  type ExecutableAction,
  type ValidateActionRequest,
} from '@foxhound/contracts';
import { createKubeClient, isConflict, toKubeApiError, type KubeClient } from '@foxhound/kube';
import { type Logger } from '@foxhound/service-kit';
import { type KubeConfig } from '@kubernetes/client-node';
import { type ApprovalContext, checkAction } from './checks';
import { observe, type AppliedContext } from './observer';
import { type ExecutionRecord, type ExecutionRecords } from './records';
import { namespaceRefusal, type SafetyPolicy } from './safety';
import { type ScopedIdentity, type ScopedRun } from './scoped-identity';
import { alreadyApplied, readTarget } from './target';
import { write, type WriteInput } from './writes';

export interface ActionExecutorOptions {
  /** The manager's own identity: reads, records, bindings; never the writes themselves. */
  kubeConfig: KubeConfig;
  policy: SafetyPolicy;
  identity: ScopedIdentity;
  records: ExecutionRecords;
  recoveryWindowMs: number;
  lateRecoveryWindowMs: number;
  observeIntervalMs: number;
  logger: Logger;
  now?: () => Date;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class ActionExecutor {
  private readonly client: KubeClient;
  private readonly known = new Map<string, ExecutionRecord>();
  /** Runs and observer loops in flight, by proposal. */
  private readonly active = new Map<string, Promise<void>>();
  /** Pending observer sleeps: stop() wakes them so every loop ends. */
  private readonly sleeping = new Map<NodeJS.Timeout, () => void>();
  private stopped = false;

  constructor(private readonly options: ActionExecutorOptions) {
    this.client = createKubeClient(options.kubeConfig);
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** The checks and a dry run through the scoped identity; changes nothing. */
  async validate(request: ValidateActionRequest): Promise<ActionCheck> {
    try {
      const checked = await this.checkAndWrite(request.action, request, 'validation', true);
      if (checked.refusal !== undefined) return { ok: false, refusal: checked.refusal };
      return { ok: true, dryRun: { ok: true, message: `Dry run accepted: ${checked.run.result}` } };
    } catch (err) {
      const message = err instanceof DryRunRefused ? err.message : errorText(toKubeApiError(err, 'dry run'));
      return {
        ok: false,
        refusal: `The API server refused the change in a dry run: ${message}`,
        dryRun: { ok: false, message },
      };
    }
  }

  /** Starts (or finds) the execution of an approved action. */
  async execute(request: ExecuteActionRequest): Promise<ActionExecution> {
    const existing = await this.get(request.proposalId);
    if (existing) return existing;
    const at = this.now().toISOString();
    const record: ExecutionRecord = {
      execution: {
        proposalId: request.proposalId,
        action: request.action,
        state: 'applying',
        message: `Checking ${request.action.namespace}/${request.action.name} and dry-running the change.`,
        evidence: [],
        startedAt: at,
        updatedAt: at,
        final: false,
      },
      investigationId: request.investigationId,
      approvedBy: request.approvedBy,
      ...(request.expected ? { expected: request.expected } : {}),
      ...(request.livePatchOnGitOps ? { livePatchOnGitOps: request.livePatchOnGitOps } : {}),
    };
    if (!(await this.options.records.create(record))) {
      // Another request (or replica) recorded it first: that one runs it.
      return (await this.get(request.proposalId)) ?? record.execution;
    }
    this.known.set(request.proposalId, record);
    this.options.logger.info(
      { proposalId: request.proposalId, action: request.action.type, approvedBy: request.approvedBy },
      'executing an approved action',
    );
    this.track(request.proposalId, this.apply(record, false));
    return record.execution;
  }

  /** The execution of a proposal, from memory or the cluster (then followed here too). */
  async get(proposalId: string): Promise<ActionExecution | undefined> {
    const cached = this.known.get(proposalId);
    if (cached) return cached.execution;
    const stored = await this.options.records.get(proposalId);
    if (!stored) return undefined;
    this.adopt(stored);
    return stored.execution;
  }

  /** Picks up executions a previous manager left unfinished. */
  async resume(): Promise<void> {
    const { records, unreadable } = await this.options.records.unfinished();
    for (const err of unreadable)
      this.options.logger.error({ err }, 'skipping an unreadable execution record');
    for (const record of records) this.adopt(record);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const [timer, wake] of this.sleeping) {
      clearTimeout(timer);
      wake();
    }
    this.sleeping.clear();
    await Promise.allSettled([...this.active.values()]);
  }

  private adopt(record: ExecutionRecord): void {
    const id = record.execution.proposalId;
    if (this.known.has(id)) return;
    this.known.set(id, record);
    if (record.execution.final || this.active.has(id)) return;
    this.track(
      id,
      record.execution.state === 'applying' ? this.apply(record, true) : this.observeLoop(record),
    );
  }

  private track(id: string, run: Promise<void>): void {
    const tracked = run
      .catch((err: unknown) => this.options.logger.error({ err, proposalId: id }, 'action execution failed'))
      .finally(() => {
        if (this.active.get(id) === tracked) this.active.delete(id);
      });
    this.active.set(id, tracked);
  }

  /** Checks, dry run, write; `resumed`: a previous manager may have written already. */
  private async apply(record: ExecutionRecord, resumed: boolean): Promise<void> {
    const { proposalId, action } = record.execution;
    try {
      // Protected namespaces first: not even a read decides anything there.
      const protectedNs = namespaceRefusal(action, this.options.policy);
      if (protectedNs) return await this.conclude(record, 'failed', `Refused: ${protectedNs}`, true);
      const current = await readTarget(this.client, action);
      if (
        alreadyApplied(action, current, proposalId) &&
        (resumed || action.type === 'DeleteResourceQuota' || action.type === 'DeletePod')
      ) {
        const message = resumed
          ? `Already applied before a restart: ${describe(action)}.`
          : `Nothing to do: ${describe(action)} is already gone.`;
        return await this.applied(record, message, { appliedAt: this.now().toISOString() });
      }
      const checked = await this.checkAndWrite(action, record, proposalId, false);
      if (checked.refusal !== undefined)
        return await this.conclude(record, 'failed', `Refused: ${checked.refusal}`, true);
      const { input, run } = checked;
      const owner = input.target?.metadata.ownerReferences?.find((o) => o.controller);
      const context: AppliedContext = {
        appliedAt: '',
        ...(action.type === 'DeletePod'
          ? {
              deletedPod: {
                uid: input.target?.metadata.uid,
                ...(owner ? { owner: { kind: owner.kind, name: owner.name, uid: owner.uid } } : {}),
              },
            }
          : {}),
      };
      record.execution.identity = run.identity;
      context.appliedAt = this.now().toISOString();
      await this.applied(record, [run.result, checked.note].filter(Boolean).join(' '), context);
    } catch (err) {
      const message =
        err instanceof DryRunRefused
          ? `Refused: the API server refused the change in a dry run: ${err.message}`
          : `Failed: ${errorText(toKubeApiError(err, 'execute the action'))}`;
      await this.conclude(record, 'failed', message, true);
    }
  }

  /**
   * The checks, the dry run and (unless `dryRunOnly`) the write. A replace (typed edits, restores)
   * carries the resourceVersion the checks read, so a controller's status update in between makes
   * it fail with 409 and write nothing; the checks then run again on the new version (a spec change
   * since the proposal is still refused by its digest), at most WRITE_ATTEMPTS times.
   */
  private async checkAndWrite(
    action: ExecutableAction,
    approval: ApprovalContext,
    proposalId: string,
    dryRunOnly: boolean,
  ): Promise<
    { refusal: string } | { refusal: undefined; input: WriteInput; run: ScopedRun<string>; note?: string }
  > {
    for (let attempt = 1; ; attempt++) {
      const checked = await checkAction(this.client, this.options.policy, action, approval);
      if (checked.refusal !== undefined) return checked;
      const input = { ...checked.input, proposalId, now: this.now() };
      const key = dryRunOnly ? `validate:${randomUUID()}` : proposalId;
      try {
        const run = await this.options.identity.run(input.action, key, async (apis) => {
          try {
            const result = await write(apis, input, true);
            if (dryRunOnly) return result;
          } catch (err) {
            if (isConflict(err)) throw err;
            throw new DryRunRefused(errorText(toKubeApiError(err, 'dry run')));
          }
          return write(apis, input, false);
        });
        return { refusal: undefined, input, run, note: checked.note };
      } catch (err) {
        if (!isConflict(err) || attempt >= WRITE_ATTEMPTS) throw err;
        this.options.logger.info(
          { proposalId, attempt },
          'the target moved between read and write; checking again',
        );
      }
    }
  }

  private async applied(record: ExecutionRecord, message: string, context: AppliedContext): Promise<void> {
    record.applied = context;
    await this.conclude(record, 'applied', message, false);
    this.options.logger.info({ proposalId: record.execution.proposalId, message }, 'action applied');
    await this.observeLoop(record);
  }

  /** Looks at the target every interval until it recovered or the late window closed. */
  private async observeLoop(record: ExecutionRecord): Promise<void> {
    const applied = record.applied ?? { appliedAt: record.execution.updatedAt };
    const start = Date.parse(applied.appliedAt);
    while (!this.stopped && !record.execution.final) {
      let seen;
      try {
        seen = await observe(this.client, record.execution.action, applied);
      } catch (err) {
        this.options.logger.warn(
          { err, proposalId: record.execution.proposalId },
          'could not observe the target; will retry',
        );
      }
      const elapsed = this.now().getTime() - start;
      if (seen?.recovered) {
        const late = record.execution.state === 'failed';
        await this.conclude(
          record,
          'recovered',
          late ? `Recovered late, ${Math.round(elapsed / 1000)} s after the apply.` : 'Recovered.',
          true,
          seen.evidence,
        );
        return;
      }
      if (seen) record.execution.evidence = seen.evidence;
      if (record.execution.state === 'applied' && elapsed >= this.options.recoveryWindowMs) {
        await this.conclude(
          record,
          'failed',
          `Not recovered within ${this.options.recoveryWindowMs / 1000} s of the apply; still watching for a late recovery.`,
          false,
          seen?.evidence,
        );
      } else if (record.execution.state === 'failed' && elapsed >= this.options.lateRecoveryWindowMs) {
        await this.conclude(
          record,
          'failed',
          `Not recovered within ${this.options.lateRecoveryWindowMs / 1000} s of the apply.`,
          true,
          seen?.evidence,
        );
        return;
      }
      await this.sleep(this.options.observeIntervalMs);
    }
  }

  private async conclude(
    record: ExecutionRecord,
    state: ActionExecution['state'],
    message: string,
    final: boolean,
    evidence?: string[],
  ): Promise<void> {
    record.execution = {
      ...record.execution,
      state,
      message,
      final,
      evidence: evidence ?? record.execution.evidence,
      updatedAt: this.now().toISOString(),
    };
    await this.options.records.save(record);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopped) return resolve();
      const timer = setTimeout(() => {
        this.sleeping.delete(timer);
        resolve();
      }, ms);
      this.sleeping.set(timer, resolve);
    });
  }
}

class DryRunRefused extends Error {}

/** Tries of a write whose target moved between the checks' read and the write (409). */
const WRITE_ATTEMPTS = 3;

const describe = (action: ExecutableAction) => `${action.type} ${action.namespace}/${action.name}`;
