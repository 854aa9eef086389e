// The checks an action passes right before its dry run, at validation and again at execution:
// clamp, protected namespace, the target read through the manager's own identity, protected
// labels, an object Argo CD or Flux manages (unless a live patch was chosen explicitly), the target
// as the proposal saw it, and the action making sense against the target now
// (a typed edit: applied to the live object and held to its bounds, edit-checks.ts; a restore:
// the same object as the pre-image's). The result is either a refusal or everything writes.ts needs.
import {
  actionTargetKind,
  type ExecutableAction,
  type ExpectedTarget,
  isEditAction,
  restoredObject,
} from '@foxhound/contracts';
import { type KubeClient } from '@foxhound/kube';
import { checkEdit } from './edit-checks';
import {
  clampAction,
  describeAction,
  gitOpsRefusal,
  labelRefusal,
  namespaceRefusal,
  staleRefusal,
  type SafetyPolicy,
} from './safety';
import { readTarget, replicaSetsOf, revisionOf, type RawObject } from './target';
import { rollbackTemplate, RollbackTargetError, type WriteInput } from './writes';

export type CheckResult =
  | { refusal: string; target?: RawObject }
  | { refusal?: undefined; input: Omit<WriteInput, 'proposalId' | 'now'>; note?: string };

/** What the approval said about the target: how it looked, and a live patch chosen on a GitOps object. */
export interface ApprovalContext {
  expected?: ExpectedTarget;
  livePatchOnGitOps?: { reason: string };
}

export async function checkAction(
  client: KubeClient,
  policy: SafetyPolicy,
  requested: ExecutableAction,
  { expected, livePatchOnGitOps }: ApprovalContext,
): Promise<CheckResult> {
  const { action, note } = clampAction(requested, policy);
  const protectedNs = namespaceRefusal(action, policy);
  if (protectedNs) return { refusal: protectedNs };
  const target = await readTarget(client, action);
  const what = describeAction(action);

  if (action.type === 'RestoreResourceQuota') {
    if (target) return { refusal: `${what}: a ResourceQuota of that name exists already.`, target };
    return { input: { action }, note };
  }
  if (action.type === 'RestoreObject' && !target) {
    // Only what an action deleted is re-created, and of the kinds actions delete only a quota.
    if (action.kind !== 'ResourceQuota')
      return {
        refusal: `${what}: the ${action.kind} is gone; a restore puts back fields, it re-creates only a deleted ResourceQuota.`,
      };
    return {
      input: { action, desired: restoredObject(action.kind, action, action.preImage, undefined) },
      note,
    };
  }
  if (!target) return { refusal: `${what}: the target ${actionTargetKind(action)} does not exist.` };
  const refusal =
    labelRefusal(action, target.metadata.labels, policy) ??
    gitOpsRefusal(action, target.metadata, livePatchOnGitOps) ??
    staleRefusal(action, target, expected);
  if (refusal) return { refusal, target };

  switch (action.type) {
    case 'PatchDeploymentImage': {
      const containers = target.spec?.template?.spec?.containers ?? [];
      if (!containers.some((c) => c.name === action.container))
        return {
          refusal: `${what}: the Deployment has no container "${action.container}" (it has ${containers.map((c) => c.name).join(', ')}).`,
          target,
        };
      break;
    }
    case 'RollbackDeployment': {
      const replicaSets = await replicaSetsOf(client, target);
      try {
        const { revision } = rollbackTemplate({ action, replicaSets });
        if (replicaSets[0] && revisionOf(replicaSets[0]) === revision)
          return { refusal: `${what}: revision ${revision} is already the current revision.`, target };
      } catch (err) {
        if (err instanceof RollbackTargetError) return { refusal: `${what}: ${err.message}`, target };
        throw err;
      }
      return { input: { action, target, replicaSets }, note };
    }
    case 'DeletePod':
      if (!target.metadata.ownerReferences?.some((o) => o.controller))
        return {
          refusal: `${what}: the pod has no controller, so it would not come back; deleting it is not a remediation.`,
          target,
        };
      break;
    case 'RestoreObject':
      if (action.preImage.uid && target.metadata.uid !== action.preImage.uid)
        return {
          refusal: `${what}: the ${action.kind} was deleted and re-created since its pre-image was captured (uid ${action.preImage.uid} then, ${target.metadata.uid} now); restoring it would overwrite a different object.`,
          target,
        };
      return {
        input: { action, target, desired: restoredObject(action.kind, action, action.preImage, target) },
        note,
      };
    default:
      if (isEditAction(action)) {
        const edit = await checkEdit(client, policy, action, target);
        if ('refusal' in edit) return { refusal: `${what}: ${edit.refusal}`, target };
        return {
          input: { action, target, desired: edit.desired },
          note: [note, edit.note].filter(Boolean).join(' ') || undefined,
        };
      }
      break;
  }
  return { input: { action, target }, note };
}
