// propose_action: the remediator's one way to suggest a change. The action must come from the
// closed set; the proposal (rollback, risk, dry run) is built from the target's current state and
// emitted as a `proposal` event. Nothing is executed.
import { ActionSchema, EvidenceSchema } from '@foxhound/contracts';
import { z } from 'zod';
import { buildProposal } from '../../proposals/build';
import { defineTool, failed, ok } from '../define';
import { type Toolset } from '../registry';

export const proposeAction = defineTool({
  name: 'propose_action',
  description:
    'Propose one typed remediation for a human to approve: RollbackDeployment, PatchDeploymentImage, ScaleDeployment, RolloutRestart, DeletePod or DeleteResourceQuota. The rollback, risk and a server-side dry run are computed from the target as it is now. Nothing is executed. Link the finding it fixes.',
  params: z.object({
    action: ActionSchema,
    findingId: z
      .string()
      .max(300)
      .optional()
      .describe('The id of the finding this fixes (run_diagnostics prints it).'),
    summary: z.string().min(10).max(600).describe('What the action does and why, in one or two sentences.'),
    evidence: z
      .array(EvidenceSchema)
      .max(10)
      .optional()
      .describe("Evidence that motivates it; defaults to the finding's."),
    expectedEffect: z.string().max(600).optional(),
  }),
  summary: (p) => `Proposing ${p.action.type} on ${p.action.namespace}/${p.action.name}`,
  run: async (p, ctx) => {
    const outcome = await buildProposal(p, ctx);
    if ('refusal' in outcome) return failed(`Not proposed: ${outcome.refusal}`);
    const proposal = outcome.proposal;
    const added = await ctx.turn.addProposal(proposal, ctx.emitter);
    const dryRun = proposal.dryRun
      ? `Dry run: ${proposal.dryRun.ok ? 'accepted' : `refused: ${proposal.dryRun.message}`}.`
      : 'Dry run: not available.';
    const text = `${added ? 'Proposed' : 'Already proposed'}: ${proposal.summary}\nRisk: ${proposal.risk}. Rollback: ${proposal.rollback.description}\n${dryRun}`;
    return ok(
      text,
      `${added ? 'Proposed' : 'Already proposed'} ${proposal.action.type} on ${proposal.action.namespace}/${proposal.action.name} (risk ${proposal.risk})`,
      proposal,
    );
  },
});

export const remediationToolset: Toolset = {
  name: 'remediation/proposals',
  description: 'Typed remediation proposals, never executed here.',
  tools: [proposeAction],
};
