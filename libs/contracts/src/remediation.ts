// Remediation beyond the proposal: what the gateway asks the sandbox-manager (the only component
// that writes to the cluster) to check and to execute once a human approved, and how an execution
// reports its progress. The executable set is the closed set of actions plus two inverse-only
// actions: RestoreObject (a captured pre-image put back, actions.ts) and RestoreResourceQuota
// (what proposals recorded before pre-images were captured roll back with). The agent can never
// propose them; the gateway builds them only from a stored rollback plan.
import { z } from 'zod';
import { ActionSchema, RestoreObjectSchema } from './actions';
import { NamespaceSchema, ObjectNameSchema } from './kubernetes';

const quantity = z
  .string()
  .regex(
    /^[+-]?[0-9.]+([eE][+-]?[0-9]+)?(m|k|Ki|Mi|Gi|Ti|Pi|Ei|M|G|T|P|E)?$/,
    'must be a Kubernetes quantity',
  );

export const RestoreResourceQuotaSchema = z
  .object({
    type: z.literal('RestoreResourceQuota'),
    namespace: NamespaceSchema,
    name: ObjectNameSchema,
    /** `spec.hard` of the quota as it was before it was deleted. */
    hard: z.record(z.string().max(253), quantity),
    scopes: z.array(z.string().max(100)).max(20).optional(),
  })
  .strict();
export type RestoreResourceQuota = z.infer<typeof RestoreResourceQuotaSchema>;

export const ExecutableActionSchema = z.discriminatedUnion('type', [
  ...ActionSchema.options,
  RestoreResourceQuotaSchema,
  RestoreObjectSchema,
]);
export type ExecutableAction = z.infer<typeof ExecutableActionSchema>;

/** What the target looked like when the action was proposed; execution refuses a target that changed. */
export const ExpectedTargetSchema = z.object({
  resourceVersion: z.string().max(100).optional(),
  digest: z.string().max(200).optional(),
});
export type ExpectedTarget = z.infer<typeof ExpectedTargetSchema>;

/**
 * An approver's explicit choice of a live patch on an object Argo CD or Flux manages (gitops.ts),
 * with the reason; without it such an action is refused.
 */
export const LivePatchOnGitOpsSchema = z.object({ reason: z.string().min(1).max(500) });

/**
 * `POST /v1/actions/:id/approve`: the decision's reason (kept in the audit trail) and, for a
 * target Argo CD or Flux manages, the approver's explicit choice of a live patch that the
 * controller will revert at its next sync. Without `livePatchOnGitOps: true` such an approval is
 * refused with the reason; with it, the choice is audited and the reason travels to the manager.
 */
export const ApproveActionRequestSchema = z
  .object({
    reason: z.string().trim().min(1).max(2000),
    livePatchOnGitOps: z.literal(true).optional(),
  })
  .strict();
export type ApproveActionRequest = z.infer<typeof ApproveActionRequestSchema>;

/** `POST /v1/actions/validate`: the safety checks and a server-side dry run, changing nothing. */
export const ValidateActionRequestSchema = z.object({
  action: ExecutableActionSchema,
  expected: ExpectedTargetSchema.optional(),
  livePatchOnGitOps: LivePatchOnGitOpsSchema.optional(),
});
export type ValidateActionRequest = z.infer<typeof ValidateActionRequestSchema>;

export const ActionCheckSchema = z.object({
  ok: z.boolean(),
  /** Why the action may not run: a protected namespace or object, a changed target, a failed dry run. */
  refusal: z.string().optional(),
  dryRun: z.object({ ok: z.boolean(), message: z.string().optional() }).optional(),
});
export type ActionCheck = z.infer<typeof ActionCheckSchema>;

/** `POST /v1/actions/executions`: run an approved action. Idempotent on proposalId. */
export const ExecuteActionRequestSchema = z.object({
  proposalId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/),
  investigationId: z.string().max(128),
  action: ExecutableActionSchema,
  expected: ExpectedTargetSchema.optional(),
  livePatchOnGitOps: LivePatchOnGitOpsSchema.optional(),
  /** The principal who approved it, for the manager's logs and the change's annotations. */
  approvedBy: z.string().max(200),
});
export type ExecuteActionRequest = z.infer<typeof ExecuteActionRequestSchema>;

export const ExecutionStateSchema = z.enum(['applying', 'applied', 'recovered', 'failed']);
export type ExecutionState = z.infer<typeof ExecutionStateSchema>;

/** `GET /v1/actions/executions/:proposalId`: where an execution is, with the evidence for it. */
export const ActionExecutionSchema = z.object({
  proposalId: z.string(),
  action: ExecutableActionSchema,
  state: ExecutionStateSchema,
  /** One line on the latest state: what was changed, or why it failed or recovered. */
  message: z.string(),
  /** What the recovery observer saw: replica counts, pod readiness, new warning events. */
  evidence: z.array(z.string()),
  /** The identity that made the change: a short-lived token of a per-action ServiceAccount binding. */
  identity: z.string().optional(),
  startedAt: z.string(),
  updatedAt: z.string(),
  /** Set once the observer has concluded (recovered, or failed after the late-recovery window). */
  final: z.boolean(),
});
export type ActionExecution = z.infer<typeof ActionExecutionSchema>;

/** The kind of object an action changes. */
export type ActionTargetKind =
  'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Pod' | 'ResourceQuota' | 'Service' | 'ConfigMap' | 'Role';

export function actionTargetKind(action: ExecutableAction): ActionTargetKind {
  switch (action.type) {
    case 'DeleteResourceQuota':
    case 'RestoreResourceQuota':
    case 'PatchResourceQuota':
      return 'ResourceQuota';
    case 'DeletePod':
      return 'Pod';
    case 'PatchServiceSelector':
    case 'PatchServicePort':
      return 'Service';
    case 'PatchConfigMapKey':
      return 'ConfigMap';
    case 'AddRoleRule':
      return 'Role';
    case 'RolloutRestart':
    case 'PatchContainerResources':
    case 'PatchContainerProbe':
    case 'PatchContainerCommand':
    case 'PatchContainerEnv':
    case 'PatchPodScheduling':
    case 'PatchPodSecurityContext':
    case 'RestoreObject':
      return action.kind;
    case 'PatchDeploymentImage':
    case 'RollbackDeployment':
    case 'ScaleDeployment':
      return 'Deployment';
  }
}
