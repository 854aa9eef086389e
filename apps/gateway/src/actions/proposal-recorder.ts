// Records the proposals an executor streams. The executor's own ids are only unique within its
// turn, so each proposal gets a gateway id before anyone sees it. An executor may propose only the
// closed set of actions, and nothing that claims to be a rollback; the manager's safety checks and
// dry run run now, and a proposal they refuse is rejected by policy at once, with the reason.
// Checking (`prepare`) and storing (`persist`) are separate steps so the relay can show a proposal
// while the store is away and store it once it is back: the gateway id is derived from the turn and
// the executor's id, so storing it again after a lost answer is a no-op.
import { createHash, randomBytes } from 'node:crypto';
import { ActionSchema, type ActionCheck, type Proposal, type ProposalState } from '@foxhound/contracts';
import { type Logger } from '@foxhound/service-kit';
import { type ProposalsPort } from '../investigations/ports';
import { type ManagerClient } from '../upstream/manager-client';

export const POLICY_ACTOR = 'policy';
export const newActionId = () => `act_${randomBytes(10).toString('hex')}`;

/** The gateway id of an executor's proposal: the same for the same turn and executor id. */
export const turnActionId = (investigationId: string, executorId: string) =>
  `act_${createHash('sha256').update(`${investigationId}\0${executorId}`).digest('hex').slice(0, 20)}`;

export interface PreparedProposal {
  proposal: Proposal;
  /** Why policy rejected it on arrival, when it did. */
  refusal?: string;
  expiresAt: string;
}

export class ProposalRecorder {
  constructor(
    private readonly options: {
      proposals: ProposalsPort;
      manager: Pick<ManagerClient, 'validateAction'>;
      ttlMs: number;
      logger: Logger;
      now?: () => number;
    },
  ) {}

  /** What became of an investigation's proposals, for the history a thread's new sandbox is given. */
  async statesOf(investigationId: string): Promise<{ proposal: Proposal; state: ProposalState }[]> {
    const stored = await this.options.proposals.list({ investigationId, limit: 50 });
    return stored.map((s) => ({ proposal: s.proposal, state: s.state }));
  }

  /** Checks a streamed proposal and gives it its gateway id and expiry; stores nothing. */
  async prepare(investigationId: string, proposal: Proposal): Promise<PreparedProposal> {
    const { manager, ttlMs, logger } = this.options;
    const id = turnActionId(investigationId, proposal.id);
    const outsideTheSet =
      proposal.rollbackOf !== undefined || !ActionSchema.safeParse(proposal.action).success
        ? `${proposal.action.type} is not an action an investigation may propose.`
        : undefined;
    let check: ActionCheck | undefined;
    if (!outsideTheSet) {
      check = await manager
        .validateAction({
          action: proposal.action,
          expected: proposal.target,
          // A live patch on a GitOps object is the approver's choice to make (the proposal states
          // its lane); on arrival, everything else is checked.
          ...(proposal.lane?.managedBy
            ? { livePatchOnGitOps: { reason: 'checked on arrival; an approver chooses the live patch' } }
            : {}),
        })
        .catch((err: unknown) => {
          logger.warn(
            { err, proposalId: id },
            'could not check a proposal with the sandbox-manager; it will be checked before execution',
          );
          return undefined;
        });
    }
    const { rollbackOf: _ignored, ...fromExecutor } = proposal;
    const recorded: Proposal = { ...fromExecutor, id, ...(check?.dryRun ? { dryRun: check.dryRun } : {}) };
    const now = this.options.now?.() ?? Date.now();
    const refusal =
      outsideTheSet ?? (check && !check.ok ? (check.refusal ?? 'the safety checks refused it') : undefined);
    return { proposal: recorded, refusal, expiresAt: new Date(now + ttlMs).toISOString() };
  }

  /** Stores a prepared proposal (and its policy rejection). Idempotent: safe to retry. */
  async persist(investigationId: string, prepared: PreparedProposal, actor: string): Promise<void> {
    const { proposals } = this.options;
    const { proposal, refusal, expiresAt } = prepared;
    await proposals.record({ investigationId, proposal, actor, expiresAt });
    // Compare-and-set from `proposed`: a retry after the rejection was stored changes nothing.
    if (refusal) {
      await proposals.transition({
        id: proposal.id,
        from: ['proposed'],
        to: 'rejected',
        actor: POLICY_ACTOR,
        reason: refusal,
      });
    }
  }
}
