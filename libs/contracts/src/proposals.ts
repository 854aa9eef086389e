// A remediation proposal: a typed action plus everything an approver needs to decide. The executor
// emits proposals; only a human's approval turns one into a change (sandbox-manager executes it).
import { z } from 'zod';
import { RiskSchema, RollbackPlanSchema } from './actions';
import { ExecutableActionSchema } from './remediation';
import { EvidenceSchema } from './findings';
import { DeliveryLaneSchema } from './gitops';

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
  /**
   * One of the closed set of actions. Only a rollback (`rollbackOf` set) may carry the inverse-only
   * RestoreResourceQuota: the gateway accepts nothing but the closed set from an executor.
   */
  action: ExecutableActionSchema,
  /** Set on a proposal that undoes an applied one: that proposal's id. */
  rollbackOf: z.string().optional(),
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
  /** Live patch or pull request, and why: whether Argo CD, Flux or Helm manages the target. */
  lane: DeliveryLaneSchema.optional(),
  /** Result of a server-side dry run at proposal time, when the cluster allowed one. */
  dryRun: z.object({ ok: z.boolean(), message: z.string().optional() }).optional(),
});
export type Proposal = z.infer<typeof ProposalSchema>;
