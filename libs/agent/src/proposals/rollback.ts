// What an action would change, read from the target as it is now: the rollback plan (the inverse
// action, or the manifest to re-create what a delete removes), and the default risk. The digest of
// the fields an action touches is @foxhound/kube's targetDigest (the sandbox-manager recomputes it).
import { type Action, type RollbackPlan, type Risk } from '@foxhound/contracts';
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
        rollback: {
          description: `Set container ${action.container} back to ${container.image}.`,
          action: {
            type: 'PatchDeploymentImage',
            namespace,
            name,
            container: action.container,
            image: container.image ?? '',
          },
        },
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
        rollback: {
          description: `Roll forward to revision ${currentRevision} (ReplicaSet ${current.metadata.name}) again.`,
          action: { type: 'RollbackDeployment', namespace, name, toRevision: currentRevision },
        },
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
        rollback: {
          description: `Scale back to ${current} replicas.`,
          action: { type: 'ScaleDeployment', namespace, name, replicas: current },
        },
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
        rollback: {
          description:
            'A restart changes no spec; there is nothing to undo (the pods are recreated from the same template).',
        },
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
          description: `Re-create ResourceQuota ${namespace}/${name} from its manifest as it is now.`,
          manifest: quotaManifest(state.object as ResourceQuota),
        },
      };
  }
}

function refuse(action: Action, reason: string): Plan {
  return { action, risk: 'high', rollback: { description: 'Not applicable.' }, refusal: reason };
}

function quotaManifest(q: ResourceQuota): Record<string, unknown> {
  const metadata: Record<string, unknown> = { name: q.metadata.name, namespace: q.metadata.namespace };
  if (q.metadata.labels) metadata.labels = q.metadata.labels;
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata, spec: q.spec ?? {} };
}
