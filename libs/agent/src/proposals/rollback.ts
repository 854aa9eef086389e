// What an action would change, read from the target as it is now: the rollback plan (the exact
// inverse: the target's pre-image put back, or re-created after a delete), the default risk, and
// for typed edits the validation against the live object (object-edits.ts in contracts) with the
// bounds it must stay within. The digest of the fields an action touches is @foxhound/kube's
// targetDigest (the sandbox-manager recomputes it).
import {
  type Action,
  actionTargetKind,
  applyEdit,
  checkResourceBounds,
  containerResources,
  DEFAULT_RESOURCE_MAXIMA,
  describeEdit,
  type EditAction,
  type EditableObject,
  type LimitRangeLike,
  type PodLike,
  preImageOf,
  type QuotaLike,
  type RestorableKind,
  type RestoreObject,
  type RollbackPlan,
  type Risk,
  selectorCheck,
  workloadPods,
} from '@foxhound/contracts';
import {
  type Deployment,
  type KubeObject,
  type Pod,
  type ReplicaSet,
  type ResourceQuota,
} from '@foxhound/diagnostics';

export interface TargetState {
  object: KubeObject;
  /** A Deployment's ReplicaSets, newest revision first (RollbackDeployment). */
  replicaSets?: ReplicaSet[];
  /** The namespace's pods (PatchServiceSelector). */
  pods?: KubeObject[];
  /** The namespace's LimitRanges and ResourceQuotas (PatchContainerResources). */
  limitRanges?: KubeObject[];
  quotas?: KubeObject[];
}

export interface Plan {
  rollback: RollbackPlan;
  risk: Risk;
  /** Refusal reason when the action makes no sense against the current state. */
  refusal?: string;
  /** Replaces the proposed action when it was adjusted (scale clamped, revision filled in). */
  action: Action;
  note?: string;
}

export const revisionOf = (rs: ReplicaSet): number =>
  Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0) || 0;

/** Scaling up is clamped to twice the current count plus five: enough to absorb load, not a runaway. */
export const scaleCeiling = (current: number): number => Math.min(1000, current * 2 + 5);

export function planFor(action: Action, state: TargetState): Plan {
  const { namespace, name } = action;
  switch (action.type) {
    case 'PatchDeploymentImage': {
      const d = state.object as Deployment;
      const container = d.spec.template.spec.containers.find((c) => c.name === action.container);
      if (!container) {
        return refuse(
          action,
          `Deployment ${namespace}/${name} has no container "${action.container}" (it has ${d.spec.template.spec.containers.map((c) => c.name).join(', ')}).`,
        );
      }
      if (container.image === action.image)
        return refuse(action, `container ${action.container} already runs ${action.image}.`);
      return {
        action,
        risk: 'medium',
        rollback: restore(
          action,
          'Deployment',
          state.object,
          `Put Deployment ${namespace}/${name} back as it is now (container ${action.container} on ${container.image}).`,
        ),
      };
    }
    case 'RollbackDeployment': {
      const sets = state.replicaSets ?? [];
      const current = sets[0];
      if (!current)
        return refuse(action, `Deployment ${namespace}/${name} has no ReplicaSet history to roll back to.`);
      const currentRevision = revisionOf(current);
      const toRevision = action.toRevision ?? (sets[1] ? revisionOf(sets[1]) : undefined);
      const target = sets.find((rs) => revisionOf(rs) === toRevision);
      if (!toRevision || !target)
        return refuse(
          action,
          `revision ${action.toRevision ?? '(previous)'} of Deployment ${namespace}/${name} does not exist; revisions: ${sets.map(revisionOf).join(', ')}.`,
        );
      if (toRevision === currentRevision)
        return refuse(action, `revision ${toRevision} is already the current revision.`);
      return {
        action: { ...action, toRevision },
        risk: 'medium',
        rollback: restore(
          action,
          'Deployment',
          state.object,
          `Put Deployment ${namespace}/${name} back as it is now (revision ${currentRevision}, ReplicaSet ${current.metadata.name}).`,
        ),
      };
    }
    case 'ScaleDeployment': {
      const current = (state.object as Deployment).spec.replicas ?? 1;
      const ceiling = scaleCeiling(current);
      const replicas = Math.min(action.replicas, ceiling);
      if (replicas === current)
        return refuse(action, `Deployment ${namespace}/${name} already has ${current} replicas.`);
      return {
        action: { ...action, replicas },
        risk: replicas === 0 ? 'high' : replicas < current ? 'medium' : 'low',
        rollback: restore(action, 'Deployment', state.object, `Scale back to ${current} replicas.`),
        ...(replicas < action.replicas
          ? {
              note: `Clamped from ${action.replicas} to ${replicas} replicas (at most twice the current ${current} plus five).`,
            }
          : {}),
      };
    }
    case 'RolloutRestart': {
      const replicas = (state.object as { spec?: { replicas?: number } }).spec?.replicas ?? 1;
      return {
        action,
        risk: replicas > 1 ? 'low' : 'medium',
        rollback: restore(
          action,
          action.kind,
          state.object,
          `Put ${action.kind} ${namespace}/${name} back as it is now: the restart annotation goes, which rolls the pods once more.`,
        ),
      };
    }
    case 'DeletePod': {
      const owner = (state.object as Pod).metadata.ownerReferences?.find((o) => o.controller);
      if (!owner)
        return refuse(
          action,
          `Pod ${namespace}/${name} has no controller, so it would not come back; deleting it is not a remediation.`,
        );
      return {
        action,
        risk: 'low',
        rollback: {
          description: `No inverse needed: ${owner.kind} ${owner.name} recreates the pod from its template.`,
        },
      };
    }
    case 'DeleteResourceQuota':
      return {
        action,
        risk: 'high',
        rollback: {
          ...restore(
            action,
            'ResourceQuota',
            state.object,
            `Re-create ResourceQuota ${namespace}/${name} as it is now (spec, scopes and scopeSelector, labels, annotations).`,
          ),
          manifest: quotaManifest(state.object as ResourceQuota),
        },
      };
    default:
      return planEdit(action, state);
  }
}

/** The inverse of any action that changes or deletes its target: the pre-image put back. */
function restore(
  action: Action,
  kind: RestorableKind,
  object: KubeObject,
  description: string,
): RollbackPlan & { action: RestoreObject } {
  return {
    description,
    action: {
      type: 'RestoreObject',
      namespace: action.namespace,
      name: action.name,
      kind,
      preImage: preImageOf(kind, object as unknown as EditableObject),
    },
  };
}

const EDIT_RISK: Record<EditAction['type'], Risk> = {
  PatchContainerResources: 'low',
  PatchContainerProbe: 'low',
  PatchContainerCommand: 'medium',
  PatchContainerEnv: 'medium',
  PatchServiceSelector: 'medium',
  PatchServicePort: 'medium',
  PatchConfigMapKey: 'medium',
  PatchResourceQuota: 'low',
  PatchPodScheduling: 'medium',
  PatchPodSecurityContext: 'medium',
  AddRoleRule: 'medium',
};

/** A typed edit: applied to the live object, checked against its bounds, inverted by its pre-image. */
function planEdit(action: EditAction, state: TargetState): Plan {
  const live = state.object as unknown as EditableObject;
  const edited = applyEdit(action, live);
  if ('refusal' in edited) return refuse(action, edited.refusal);
  const kind = editKind(action);
  const notes: string[] = [];
  if (action.type === 'PatchServiceSelector') {
    const current = (live.spec?.selector ?? undefined) as Record<string, string> | undefined;
    const check = selectorCheck(action.selector, current, (state.pods ?? []) as unknown as PodLike[]);
    if ('refusal' in check) return refuse(action, check.refusal);
    notes.push(`The selector matches the pods of ${check.workload} only.`);
  }
  if (action.type === 'PatchContainerResources') {
    const bounds = checkResourceBounds({
      before: containerResources(live, action.container),
      after: containerResources(edited.object, action.container),
      pods: workloadPods(live),
      limitRanges: (state.limitRanges ?? []) as unknown as LimitRangeLike[],
      quotas: (state.quotas ?? []) as unknown as QuotaLike[],
      maxima: DEFAULT_RESOURCE_MAXIMA,
    });
    if (bounds.refusal) return refuse(action, bounds.refusal);
    notes.push(`Bounds: ${bounds.bounds.join('; ')}.`);
  }
  return {
    action,
    risk: EDIT_RISK[action.type],
    rollback: restore(
      action,
      kind,
      state.object,
      `Put ${kind} ${action.namespace}/${action.name} back as it is now, undoing: ${describeEdit(action)}.`,
    ),
    ...(notes.length ? { note: notes.join(' ') } : {}),
  };
}

/** What an approver can expect once a typed edit is applied. */
export function editEffect(action: EditAction): string {
  const where = `${editKind(action)} ${action.namespace}/${action.name}`;
  switch (action.type) {
    case 'PatchContainerResources':
    case 'PatchContainerCommand':
    case 'PatchContainerEnv':
    case 'PatchPodSecurityContext':
      return `${where} rolls its pods; the new ones start with ${describeEdit(action)}.`;
    case 'PatchPodScheduling':
      return `${where} rolls its pods; the scheduler places the new ones on nodes that fit ${describeEdit(action)}.`;
    case 'PatchContainerProbe':
      return `${where} rolls its pods; their ${action.probe} probe checks where the container answers, so they stop failing it.`;
    case 'PatchServiceSelector':
      return `The Service sends traffic to the pods it selects again; its endpoints fill.`;
    case 'PatchServicePort':
      return `The Service forwards port ${action.port} to ${action.targetPort}, where the pods listen.`;
    case 'PatchConfigMapKey':
      return `Pods see the new value of ${action.key}: mounted files within about a minute, environment variables only in pods started after it.`;
    case 'PatchResourceQuota':
      return `The quota admits pods up to its new limits; controllers create the pods it refused.`;
    case 'AddRoleRule':
      return `The Role allows ${action.verb} on ${action.resource}; what its bindings' subjects were refused succeeds at their next try.`;
  }
}

/** The kind an edit changes: every edit's target is one a restore can put back. */
export const editKind = (action: EditAction): RestorableKind => actionTargetKind(action) as RestorableKind;

function refuse(action: Action, reason: string): Plan {
  return { action, risk: 'high', rollback: { description: 'Not applicable.' }, refusal: reason };
}

function quotaManifest(q: ResourceQuota): Record<string, unknown> {
  const metadata: Record<string, unknown> = { name: q.metadata.name, namespace: q.metadata.namespace };
  if (q.metadata.labels) metadata.labels = q.metadata.labels;
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata, spec: q.spec ?? {} };
}
