// The one API call each action type makes, as `kubectl` would make it, run twice by the executor:
// first with `dryRun=All` (admission, validation and quota evaluate it, nothing persists), then
// for real. Every write carries a precondition or this proposal's stamp, so a repeat is recognised.
// The APIs passed in are the scoped writer identity's (scoped-identity.ts), never the manager's own.
import { type ExecutableAction } from '@foxhound/contracts';
import {
  type AppsV1Api,
  type CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
  type V1ResourceQuota,
} from '@kubernetes/client-node';
import { APPLIED_BY_ANNOTATION, revisionOf, type RawObject } from './target';

export interface WriterApis {
  core: CoreV1Api;
  apps: AppsV1Api;
}

export interface WriteInput {
  action: ExecutableAction;
  /** The target as read right before (undefined only for RestoreResourceQuota). */
  target?: RawObject;
  /** RollbackDeployment: the Deployment's ReplicaSets, newest first. */
  replicaSets?: RawObject[];
  proposalId: string;
  now: Date;
}

const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

/** Runs the action's write; `dryRun` asks the API server to evaluate it without persisting. */
export async function write(apis: WriterApis, input: WriteInput, dryRun: boolean): Promise<string> {
  const { action, target, proposalId } = input;
  const { namespace, name } = action;
  const dry = dryRun ? { dryRun: 'All' } : {};
  const stamp = { [APPLIED_BY_ANNOTATION]: proposalId };
  switch (action.type) {
    case 'DeleteResourceQuota':
      await apis.core.deleteNamespacedResourceQuota({
        name,
        namespace,
        ...dry,
        body: {
          preconditions: { uid: target?.metadata.uid, resourceVersion: target?.metadata.resourceVersion },
        },
      });
      return `Deleted ResourceQuota ${namespace}/${name}.`;
    case 'DeletePod':
      await apis.core.deleteNamespacedPod({
        name,
        namespace,
        ...dry,
        body: { preconditions: { uid: target?.metadata.uid } },
      });
      return `Deleted Pod ${namespace}/${name}.`;
    case 'RestoreResourceQuota': {
      const body: V1ResourceQuota = {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: { name, namespace, annotations: stamp },
        spec: { hard: action.hard, ...(action.scopes ? { scopes: action.scopes } : {}) },
      };
      await apis.core.createNamespacedResourceQuota({ namespace, body, ...dry });
      return `Re-created ResourceQuota ${namespace}/${name} with ${Object.entries(action.hard)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}.`;
    }
    case 'PatchDeploymentImage':
      await apis.apps.patchNamespacedDeployment(
        {
          name,
          namespace,
          ...dry,
          body: {
            metadata: { annotations: stamp },
            spec: { template: { spec: { containers: [{ name: action.container, image: action.image }] } } },
          },
        },
        strategic,
      );
      return `Set container ${action.container} of Deployment ${namespace}/${name} to ${action.image}.`;
    case 'ScaleDeployment':
      // The scale subresource: the writer may change the replica count and nothing else.
      await apis.apps.patchNamespacedDeploymentScale(
        { name, namespace, ...dry, body: { spec: { replicas: action.replicas } } },
        merge,
      );
      return `Scaled Deployment ${namespace}/${name} to ${action.replicas} replicas.`;
    case 'RolloutRestart': {
      // What `kubectl rollout restart` sends, plus this proposal's stamp on the object.
      const body = {
        metadata: { annotations: stamp },
        spec: {
          template: {
            metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': input.now.toISOString() } },
          },
        },
      };
      const call = { name, namespace, ...dry, body };
      if (action.kind === 'Deployment') await apis.apps.patchNamespacedDeployment(call, strategic);
      else if (action.kind === 'StatefulSet') await apis.apps.patchNamespacedStatefulSet(call, strategic);
      else await apis.apps.patchNamespacedDaemonSet(call, strategic);
      return `Restarted ${action.kind} ${namespace}/${name}.`;
    }
    case 'RollbackDeployment': {
      const { template, revision } = rollbackTemplate(input);
      // What `kubectl rollout undo` sends: the whole template replaced (a merge would keep fields
      // the bad revision added), guarded by the version the checks just read.
      const annotations = target?.metadata.annotations;
      const body = [
        { op: 'test', path: '/metadata/resourceVersion', value: target?.metadata.resourceVersion },
        { op: 'replace', path: '/spec/template', value: template },
        annotations
          ? {
              op: 'add',
              path: `/metadata/annotations/${APPLIED_BY_ANNOTATION.replace('/', '~1')}`,
              value: proposalId,
            }
          : { op: 'add', path: '/metadata/annotations', value: stamp },
      ];
      await apis.apps.patchNamespacedDeployment({ name, namespace, ...dry, body }, jsonPatch);
      return `Rolled Deployment ${namespace}/${name} back to revision ${revision}.`;
    }
  }
}

/** The template of the revision to roll back to (default: the one before the current), without its hash label. */
export function rollbackTemplate(input: Pick<WriteInput, 'action' | 'replicaSets'>): {
  template: Record<string, unknown>;
  revision: number;
} {
  const action = input.action;
  if (action.type !== 'RollbackDeployment') throw new Error('not a rollback');
  const sets = input.replicaSets ?? [];
  const revision = action.toRevision ?? (sets[1] ? revisionOf(sets[1]) : 0);
  const source = sets.find((rs) => revisionOf(rs) === revision);
  if (!source || revision === 0) {
    throw new RollbackTargetError(
      `revision ${action.toRevision ?? '(previous)'} of Deployment ${action.namespace}/${action.name} does not exist; revisions: ${sets.map(revisionOf).join(', ') || 'none'}.`,
    );
  }
  const template = structuredClone(source.spec?.template ?? {}) as {
    metadata?: { labels?: Record<string, string> };
  };
  delete template.metadata?.labels?.['pod-template-hash'];
  return { template: template as Record<string, unknown>, revision };
}

export class RollbackTargetError extends Error {
  override readonly name = 'RollbackTargetError';
}
