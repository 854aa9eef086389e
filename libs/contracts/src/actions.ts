// The closed set of remediation actions Foxhound may propose. Anything outside this union cannot be
// proposed or executed: the executor emits proposals of these shapes, the manager executes only these.
import { z } from 'zod';
import { ContainerNameSchema, NamespaceSchema, ObjectNameSchema } from './kubernetes';

const target = { namespace: NamespaceSchema, name: ObjectNameSchema };

/** Container image reference: registry/repo[:tag][@digest], no whitespace or shell metacharacters. */
export const ImageRefSchema = z
  .string()
  .max(512)
  .regex(/^[a-z0-9][a-z0-9._\-/:@]*$/i, 'must be a container image reference');

export const DeleteResourceQuotaSchema = z
  .object({ type: z.literal('DeleteResourceQuota'), ...target })
  .strict();
export const PatchDeploymentImageSchema = z
  .object({
    type: z.literal('PatchDeploymentImage'),
    ...target,
    container: ContainerNameSchema,
    image: ImageRefSchema,
  })
  .strict();
export const RollbackDeploymentSchema = z
  .object({
    type: z.literal('RollbackDeployment'),
    ...target,
    toRevision: z.number().int().positive().optional(),
  })
  .strict();
export const ScaleDeploymentSchema = z
  .object({ type: z.literal('ScaleDeployment'), ...target, replicas: z.number().int().min(0).max(1000) })
  .strict();
export const RolloutRestartSchema = z
  .object({
    type: z.literal('RolloutRestart'),
    ...target,
    kind: z.enum(['Deployment', 'StatefulSet', 'DaemonSet']),
  })
  .strict();
export const DeletePodSchema = z.object({ type: z.literal('DeletePod'), ...target }).strict();

export const ActionSchema = z.discriminatedUnion('type', [
  DeleteResourceQuotaSchema,
  PatchDeploymentImageSchema,
  RollbackDeploymentSchema,
  ScaleDeploymentSchema,
  RolloutRestartSchema,
  DeletePodSchema,
]);
export type Action = z.infer<typeof ActionSchema>;
export type ActionType = Action['type'];
export const ACTION_TYPES = ActionSchema.options.map((o) => o.shape.type.value) as ActionType[];
export const ActionTypeSchema = z.enum(ACTION_TYPES as [ActionType, ...ActionType[]]);

export const RiskSchema = z.enum(['low', 'medium', 'high']);
export type Risk = z.infer<typeof RiskSchema>;

/**
 * How to undo an action, computed from the target's state when the action was proposed: either
 * another typed action (the previous image, the previous replica count), or the manifest of an
 * object the action deletes, or an explanation of why no inverse is needed (a deleted pod is
 * recreated by its controller).
 */
export const RollbackPlanSchema = z.object({
  description: z.string(),
  action: ActionSchema.optional(),
  manifest: z.record(z.string(), z.unknown()).optional(),
});
export type RollbackPlan = z.infer<typeof RollbackPlanSchema>;

/** What a finding or an agent suggests doing about a problem. */
export const SuggestedActionSchema = z.object({
  action: ActionSchema,
  summary: z.string(),
  expectedEffect: z.string(),
  risk: RiskSchema,
  rollback: RollbackPlanSchema,
});
export type SuggestedAction = z.infer<typeof SuggestedActionSchema>;
