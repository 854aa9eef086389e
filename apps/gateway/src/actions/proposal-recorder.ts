// Records the proposals an executor streams. The executor's own ids are only unique within its
// turn, so each proposal gets a gateway id before anyone sees it. An executor may propose only the
// closed set of actions, and nothing that claims to be a rollback; the manager's safety checks and
// dry run run now, and a proposal they refuse is rejected by policy at once, with the reason.
import { randomBytes } from 'node:crypto';
import { ActionSchema, type ActionCheck, type Proposal, type ProposalState } from '@foxhound/contracts';
import { type Logger } from '@foxhound/service-kit';
import { type ProposalsPort } from '../investigations/ports';
import { type ManagerClient } from '../upstream/manager-client';

export const POLICY_ACTOR = 'policy';
export const newActionId = () => `act_${randomBytes(10).toString('hex')}`;

export interface RecordedProposal {
  proposal: Proposal;
  /** Why policy rejected it on arrival, when it did. */
  refusal?: string;
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

  async record(investigationId: string, proposal: Proposal, actor: string): Promise<RecordedProposal> {
    const { proposals, manager, ttlMs, logger } = this.options;
    const id = newActionId();
    const outsideTheSet =
      proposal.rollbackOf !== undefined || !ActionSchema.safeParse(proposal.action).success
        ? `${proposal.action.type} is not an action an investigation may propose.`
        : undefined;
    let check: ActionCheck | undefined;
    if (!outsideTheSet) {
      check = await manager
        .validateAction({ action: proposal.action, expected: proposal.target })
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
    await proposals.record({
      investigationId,
      proposal: recorded,
      actor,
      expiresAt: new Date(now + ttlMs).toISOString(),
    });
    const refusal =
      outsideTheSet ?? (check && !check.ok ? (check.refusal ?? 'the safety checks refused it') : undefined);
    if (refusal) {
      await proposals.transition({
        id,
        from: ['proposed'],
        to: 'rejected',
        actor: POLICY_ACTOR,
        reason: refusal,
      });
    }
    return { proposal: recorded, refusal };
  }
}
