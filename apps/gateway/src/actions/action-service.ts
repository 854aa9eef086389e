// Human decisions on proposed actions, and what follows an approval. Approving moves the proposal
// proposed → approved in the store with compare-and-set, so of several concurrent approvals exactly
// one wins and the action is executed once; the others (and later repeats) get the current state.
// The sandbox-manager executes it (it is the only writer, and re-checks safety and dry-runs first);
// the gateway follows the execution through applied to recovered or failed, late recovery included,
// storing and streaming every transition. A rollback is a new proposal carrying the stored inverse,
// approved the same way.
import {
  type ActionExecution,
  type ExecutableAction,
  type InvestigationDetail,
  type Proposal,
  type ProposalState,
  revertsLivePatches,
  type StoredProposal,
} from '@foxhound/contracts';
import { ConflictError, NotAllowedError, NotFoundError, type Logger } from '@foxhound/service-kit';
import { type Principal } from '../auth/principal';
import { type AuditPort, type InvestigationsPort, type ProposalsPort } from '../investigations/ports';
import { type ManagerClient } from '../upstream/manager-client';
import { type ActionEventLog } from './action-events';
import { newActionId } from './proposal-recorder';

export interface ActionServiceOptions {
  proposals: ProposalsPort;
  investigations: InvestigationsPort;
  audit: AuditPort;
  manager: Pick<ManagerClient, 'validateAction' | 'executeAction' | 'getExecution'>;
  events: ActionEventLog;
  logger: Logger;
  allowSelfApproval: boolean;
  ttlMs: number;
  pollMs: number;
  now?: () => number;
  /** Each human decision that took effect, for the metrics. */
  onDecision?: (decision: 'approved' | 'rejected') => void;
}

interface Decision {
  principal: Principal;
  reason: string;
  requestId?: string;
}

/** An approval: for a target Argo CD or Flux manages, it must choose the live patch explicitly. */
interface Approval extends Decision {
  livePatchOnGitOps?: boolean;
}

const DECIDED: ProposalState[] = ['approved', 'applying', 'applied', 'recovered', 'failed'];
/** States whose change may still be undone by a rollback. */
const ROLLBACK_FROM: ProposalState[] = ['applied', 'recovered', 'failed'];

export class ActionService {
  private readonly following = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(private readonly options: ActionServiceOptions) {}

  async get(id: string): Promise<StoredProposal> {
    const stored = await this.options.proposals.get(id);
    if (!stored) throw new NotFoundError(`No action ${id}.`);
    return stored;
  }

  async approve(id: string, decision: Approval): Promise<StoredProposal> {
    const stored = await this.get(id);
    if (DECIDED.includes(stored.state)) return stored; // Approving twice does not apply twice.
    if (stored.state !== 'proposed')
      throw new ConflictError(`Action ${id} is ${stored.state}; it can no longer be approved.`);
    const investigation = await this.investigationOf(stored);
    if (investigation.status === 'running') {
      throw new ConflictError(
        `Investigation ${investigation.id} is still running; approve its actions once it has finished.`,
      );
    }
    const gitOps = revertingManager(stored.proposal);
    if (gitOps && !decision.livePatchOnGitOps) {
      throw new ConflictError(
        `Action ${id} patches an object ${gitOps.tool} manages (${gitOps.owner}, ${gitOps.evidence}); its controller reverts a live patch at the next sync. Change it in Git, or approve with "livePatchOnGitOps": true to choose the live patch explicitly.`,
      );
    }
    await this.checkSeparationOfDuties(stored, investigation, decision);

    const { won, proposal } = await this.options.proposals.transition({
      id,
      from: ['proposed'],
      to: 'approved',
      actor: decision.principal.id,
      actorRole: decision.principal.role,
      reason: decision.reason,
      requestId: decision.requestId,
    });
    if (!proposal) throw new NotFoundError(`No action ${id}.`);
    if (!won) {
      if (DECIDED.includes(proposal.state)) return proposal;
      throw new ConflictError(`Action ${id} is ${proposal.state}; it can no longer be approved.`);
    }
    this.options.onDecision?.('approved');
    if (gitOps) await this.auditLivePatchChoice(proposal, investigation, decision, gitOps);
    await this.announce(proposal, investigation, 'approved', decision.principal.id, decision.reason);
    return this.execute(proposal, investigation, decision.principal);
  }

  async reject(id: string, decision: Decision): Promise<StoredProposal> {
    const stored = await this.get(id);
    if (stored.state === 'rejected') return stored;
    const investigation = await this.investigationOf(stored);
    const { won, proposal } = await this.options.proposals.transition({
      id,
      from: ['proposed'],
      to: 'rejected',
      actor: decision.principal.id,
      actorRole: decision.principal.role,
      reason: decision.reason,
      requestId: decision.requestId,
    });
    if (!proposal) throw new NotFoundError(`No action ${id}.`);
    if (!won) {
      if (proposal.state === 'rejected') return proposal;
      throw new ConflictError(`Action ${id} is ${proposal.state}; only a proposed action can be rejected.`);
    }
    this.options.onDecision?.('rejected');
    await this.announce(proposal, investigation, 'rejected', decision.principal.id, decision.reason);
    return proposal;
  }

  /**
   * Proposes the stored inverse of an applied action; it needs its own approval. Asking again while
   * one is open returns that one (`created: false`).
   */
  async rollback(id: string, decision: Decision): Promise<{ proposal: StoredProposal; created: boolean }> {
    const original = await this.get(id);
    if (!ROLLBACK_FROM.includes(original.state)) {
      throw new ConflictError(
        `Action ${id} is ${original.state}; only an applied action can be rolled back.`,
      );
    }
    const open = (
      await this.options.proposals.list({ investigationId: original.investigationId, limit: 500 })
    ).find((p) => p.proposal.rollbackOf === id && ['proposed', 'approved', 'applying'].includes(p.state));
    if (open) return { proposal: open, created: false };
    const inverse = inverseOf(original.proposal);
    if (!inverse)
      throw new ConflictError(
        `Action ${id} has no inverse to run: ${original.proposal.rollback.description}`,
      );
    const check = await this.options.manager.validateAction({ action: inverse }).catch(() => undefined);
    const proposal: Proposal = {
      id: newActionId(),
      investigationId: original.investigationId,
      rollbackOf: id,
      action: inverse,
      summary: `Roll back ${original.proposal.action.type} on ${original.proposal.action.namespace}/${original.proposal.action.name}: ${original.proposal.rollback.description}`,
      evidence: [
        { source: 'analysis', excerpt: `Requested by ${decision.principal.id}: ${decision.reason}` },
      ],
      expectedEffect: `Undoes action ${id}.`,
      risk: original.proposal.risk,
      rollback: {
        description: `Approve the original action again.`,
        ...(original.proposal.action.type !== 'RestoreResourceQuota'
          ? { action: original.proposal.action }
          : {}),
      },
      ...(check?.dryRun ? { dryRun: check.dryRun } : {}),
      // The inverse writes the same object: it takes the same lane.
      ...(original.proposal.lane ? { lane: original.proposal.lane } : {}),
    };
    const now = this.options.now?.() ?? Date.now();
    const recorded = await this.options.proposals.record({
      investigationId: original.investigationId,
      proposal,
      actor: decision.principal.id,
      expiresAt: new Date(now + this.options.ttlMs).toISOString(),
      requestId: decision.requestId,
    });
    await this.announce(
      recorded,
      await this.investigationOf(original),
      'proposed',
      decision.principal.id,
      proposal.summary,
    );
    return { proposal: recorded, created: true };
  }

  /** Moves proposals past their TTL to expired and says so on their investigations. */
  async expireDue(): Promise<void> {
    for (const id of await this.options.proposals.expireDue('system')) {
      const stored = await this.options.proposals.get(id);
      if (stored)
        await this.announce(
          stored,
          await this.investigationOf(stored),
          'expired',
          'system',
          'Not approved before it expired.',
        );
    }
  }

  /** Picks up executions that were in flight when the gateway stopped. */
  async resume(): Promise<void> {
    for (const state of ['approved', 'applying', 'applied', 'failed'] as const) {
      for (const stored of await this.options.proposals.list({ state, limit: 500 })) {
        const investigation = await this.options.investigations.get(stored.investigationId);
        if (!investigation) continue;
        if (state === 'approved')
          void this.execute(stored, investigation, { id: 'system', role: 'admin', via: 'open' });
        else this.follow(stored, investigation);
      }
    }
  }

  /** Stops following executions (shutdown); their state stays in the store and resume() picks it up. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.following.values()]);
  }

  private async execute(
    proposal: StoredProposal,
    investigation: InvestigationDetail,
    approver: Principal,
  ): Promise<StoredProposal> {
    let execution: ActionExecution;
    try {
      execution = await this.options.manager.executeAction({
        proposalId: proposal.proposal.id,
        investigationId: investigation.id,
        action: proposal.proposal.action,
        expected: proposal.proposal.target,
        ...gitOpsChoice(proposal, approver),
        approvedBy: approver.id,
      });
    } catch (err) {
      // Stays approved: resume() retries it, and an operator sees why in the logs.
      this.options.logger.error(
        { err, proposalId: proposal.proposal.id },
        'the sandbox-manager did not take the approved action',
      );
      throw err;
    }
    const applying = await this.move(
      proposal,
      investigation,
      ['approved'],
      'applying',
      'sandbox-manager',
      execution.message,
    );
    const current = (await this.sync(applying ?? proposal, investigation, execution)) ?? applying ?? proposal;
    if (!execution.final) this.follow(current, investigation);
    return current;
  }

  /** Polls the manager until the execution is final, recording each state it reaches. */
  private follow(proposal: StoredProposal, investigation: InvestigationDetail): void {
    const id = proposal.proposal.id;
    if (this.following.has(id)) return;
    const run = (async () => {
      let current = proposal;
      while (!this.stopped) {
        await new Promise((resolve) => setTimeout(resolve, this.options.pollMs));
        let execution: ActionExecution;
        try {
          execution = await this.options.manager.getExecution(id);
        } catch (err) {
          this.options.logger.warn({ err, proposalId: id }, 'could not read the execution; will retry');
          continue;
        }
        current = (await this.sync(current, investigation, execution)) ?? current;
        if (execution.final) return;
      }
    })()
      .catch((err: unknown) =>
        this.options.logger.error({ err, proposalId: id }, 'following the execution failed'),
      )
      .finally(() => this.following.delete(id));
    this.following.set(id, run);
  }

  /** Records the execution's state when the stored proposal is behind it. */
  private async sync(
    proposal: StoredProposal,
    investigation: InvestigationDetail,
    execution: ActionExecution,
  ) {
    const target = execution.state;
    if (target === 'applying' || proposal.state === target) return undefined;
    const from: ProposalState[] =
      target === 'applied'
        ? ['applying']
        : target === 'recovered'
          ? ['applied', 'failed']
          : ['applying', 'applied'];
    let stored = proposal;
    // An execution can jump from applying straight to recovered: record applied on the way.
    if (target === 'recovered' && proposal.state === 'applying') {
      stored =
        (await this.move(stored, investigation, ['applying'], 'applied', 'sandbox-manager', 'Applied.')) ??
        stored;
    }
    return this.move(
      stored,
      investigation,
      from,
      target,
      'sandbox-manager',
      execution.message,
      execution.evidence,
    );
  }

  private async move(
    proposal: StoredProposal,
    investigation: InvestigationDetail,
    from: ProposalState[],
    to: ProposalState,
    actor: string,
    reason: string,
    evidence: string[] = [],
  ): Promise<StoredProposal | undefined> {
    const { won, proposal: next } = await this.options.proposals.transition({
      id: proposal.proposal.id,
      from,
      to,
      actor,
      reason,
    });
    if (!won || !next) return next ?? undefined;
    await this.announce(next, investigation, to, actor, reason, evidence);
    return next;
  }

  private announce(
    proposal: StoredProposal,
    investigation: InvestigationDetail,
    state: ProposalState,
    actor: string,
    reason: string,
    evidence: string[] = [],
  ): Promise<void> {
    return this.options.events.append({
      investigationId: investigation.id,
      threadId: investigation.threadId,
      proposalId: proposal.proposal.id,
      state,
      actor,
      reason,
      evidence,
    });
  }

  private async investigationOf(stored: StoredProposal): Promise<InvestigationDetail> {
    const investigation = await this.options.investigations.get(stored.investigationId);
    if (!investigation)
      throw new NotFoundError(
        `Investigation ${stored.investigationId} of action ${stored.proposal.id} is gone.`,
      );
    return investigation;
  }

  /** The explicit choice of a live patch on a GitOps-managed object, in the audit trail. */
  private async auditLivePatchChoice(
    proposal: StoredProposal,
    investigation: InvestigationDetail,
    decision: Approval,
    managedBy: ManagedBy,
  ): Promise<void> {
    await this.options.audit.append({
      kind: 'decision',
      actor: decision.principal.id,
      actorRole: decision.principal.role,
      action: 'proposal.live_patch_on_gitops_chosen',
      outcome: 'success',
      investigationId: investigation.id,
      target: `proposal/${proposal.proposal.id}`,
      requestId: decision.requestId,
      details: {
        tool: managedBy.tool,
        owner: managedBy.owner,
        evidence: managedBy.evidence,
        reason: decision.reason,
      },
    });
  }

  /**
   * The approver must not be whoever started the investigation (nor whoever asked for this
   * rollback), unless single-operator mode waives it, which is audited every time.
   */
  private async checkSeparationOfDuties(
    stored: StoredProposal,
    investigation: InvestigationDetail,
    decision: Decision,
  ) {
    const requester = stored.proposal.rollbackOf ? stored.history[0]?.actor : undefined;
    const own = [investigation.principal, requester].filter((p): p is string => Boolean(p));
    if (!own.includes(decision.principal.id)) return;
    if (!this.options.allowSelfApproval) {
      throw new NotAllowedError(
        `${decision.principal.id} started this investigation (or asked for this rollback) and may not approve its actions; another approver must.`,
      );
    }
    await this.options.audit.append({
      kind: 'decision',
      actor: decision.principal.id,
      actorRole: decision.principal.role,
      action: 'proposal.self_approval_waived',
      outcome: 'success',
      investigationId: investigation.id,
      target: `proposal/${stored.proposal.id}`,
      requestId: decision.requestId,
      details: { reason: 'GATEWAY_ALLOW_SELF_APPROVAL=true' },
    });
  }
}

type ManagedBy = NonNullable<NonNullable<Proposal['lane']>['managedBy']>;

/** The Argo CD or Flux object that would revert a live patch on the proposal's target (Helm does not). */
function revertingManager(proposal: Proposal): ManagedBy | undefined {
  const managedBy = proposal.lane?.managedBy;
  return managedBy && revertsLivePatches(managedBy.tool) ? managedBy : undefined;
}

/**
 * The manager refuses a live patch on an Argo CD or Flux object without the approver's explicit
 * choice. An approved proposal on such a target was approved with that choice (approve() refuses
 * it otherwise, and audits it), so the choice and the approver's reason travel with the execution,
 * also when resume() executes it after a restart.
 */
function gitOpsChoice(proposal: StoredProposal, approver: Principal) {
  const managedBy = revertingManager(proposal.proposal);
  if (!managedBy) return {};
  const approval = proposal.decision?.approved ? proposal.decision : undefined;
  const by = approval?.actor ?? approver.id;
  const reason = `${by} chose a live patch although ${managedBy.tool} manages the target (${managedBy.owner}): ${approval?.reason ?? 'approved'}`;
  return { livePatchOnGitOps: { reason: reason.slice(0, 500) } };
}

/** The stored inverse as an executable action: a typed action, or a deleted quota restored. */
function inverseOf(proposal: Proposal): ExecutableAction | undefined {
  if (proposal.rollback.action) return proposal.rollback.action;
  const manifest = proposal.rollback.manifest as
    { kind?: string; spec?: { hard?: Record<string, string>; scopes?: string[] } } | undefined;
  if (
    proposal.action.type === 'DeleteResourceQuota' &&
    manifest?.kind === 'ResourceQuota' &&
    manifest.spec?.hard
  ) {
    return {
      type: 'RestoreResourceQuota',
      namespace: proposal.action.namespace,
      name: proposal.action.name,
      hard: manifest.spec.hard,
      ...(manifest.spec.scopes?.length ? { scopes: manifest.spec.scopes } : {}),
    };
  }
  return undefined;
}
