// A remediation proposal: a typed action plus everything an approver needs to decide. The executor
// emits proposals; only a human's approval turns one into a change (sandbox-manager executes it).
import { z } from 'zod';
import { ActionSchema, RiskSchema, RollbackPlanSchema } from './actions';
import { EvidenceSchema } from './findings';

export const ProposalStateSchema = z.enum([
  'proposed',
  'approved',
  'rejected',
  'expired',
  'applying',
  'applied',
  'recovered',
  'failed',
]);
export type ProposalState = z.infer<typeof ProposalStateSchema>;

export const ProposalSchema = z.object({
  id: z.string(),
  investigationId: z.string().optional(),
  /** The finding that motivated it. */
  findingId: z.string().optional(),
  action: ActionSchema,
  summary: z.string(),
  evidence: z.array(EvidenceSchema),
  expectedEffect: z.string(),
  risk: RiskSchema,
  rollback: RollbackPlanSchema,
  /**
   * What the target looked like when the action was proposed (resourceVersion and a digest of the
   * fields the action touches), so execution can refuse a target that changed since.
   */
  target: z.object({ resourceVersion: z.string().optional(), digest: z.string().optional() }).optional(),
  /** Result of a server-side dry run at proposal time, when the cluster allowed one. */
  dryRun: z.object({ ok: z.boolean(), message: z.string().optional() }).optional(),
});
export type Proposal = z.infer<typeof ProposalSchema>;
