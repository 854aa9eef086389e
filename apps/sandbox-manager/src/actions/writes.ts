// The one API call each action type makes, as `kubectl` would make it, run twice by the executor:
// first with `dryRun=All` (admission, validation and quota evaluate it, nothing persists), then
// for real. Every write carries a precondition or this proposal's stamp, so a repeat is recognised.
// Typed edits and restores replace the whole object checks.ts computed from the one it read, with
// that read's resourceVersion: if anything wrote the object in between, the server refuses (409)
// and nothing is half-applied. The APIs passed in are the scoped writer identity's
// (scoped-identity.ts), never the manager's own.
import { describeEdit, type EditableObject, type ExecutableAction, isEditAction } from '@foxhound/contracts';
import {
  type AppsV1Api,
  type CoreV1Api,
  PatchStrategy,
  type RbacAuthorizationV1Api,
  setHeaderOptions,
  type V1ResourceQuota,
} from '@kubernetes/client-node';
import { APPLIED_BY_ANNOTATION, revisionOf, type RawObject } from './target';

export interface WriterApis {
  core: CoreV1Api;
  apps: AppsV1Api;
  rbac: RbacAuthorizationV1Api;
}

export interface WriteInput {
  action: ExecutableAction;
  /** The target as read right before (undefined only for RestoreResourceQuota). */
  target?: RawObject;
  /** RollbackDeployment: the Deployment's ReplicaSets, newest first. */
  replicaSets?: RawObject[];
  /** Typed edits and RestoreObject: the whole object to write in place of the target. */
  desired?: EditableObject;
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
  if (isEditAction(action) || action.type === 'RestoreObject') {
    const desired = structuredClone(input.desired);
    if (!desired) throw new Error(`${action.type} ${namespace}/${name}: nothing computed to write`);
    // An edit is stamped so a repeat is recognised; a restore is the pre-image exactly, unstamped.
    if (action.type !== 'RestoreObject')
      desired.metadata.annotations = { ...desired.metadata.annotations, ...stamp };
    const created = await replaceOrCreate(apis, desired, dryRun);
    return action.type === 'RestoreObject'
      ? `${created ? 'Re-created' : 'Restored'} ${action.kind} ${namespace}/${name} as it was before (labels, annotations and ${action.kind === 'ConfigMap' ? 'data' : action.kind === 'Role' ? 'rules' : 'spec'}).`
      : `Set ${describeEdit(action)}.`;
  }
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

/** PUT of an existing object (its resourceVersion guards it), POST of one without a version. */
async function replaceOrCreate(apis: WriterApis, object: EditableObject, dryRun: boolean): Promise<boolean> {
  const { name, namespace = '' } = object.metadata;
  const dry = dryRun ? { dryRun: 'All' } : {};
  const body = object as never;
  const create = object.metadata.resourceVersion === undefined;
  switch (object.kind) {
    case 'Deployment':
      await apis.apps.replaceNamespacedDeployment({ name, namespace, body, ...dry });
      break;
    case 'StatefulSet':
      await apis.apps.replaceNamespacedStatefulSet({ name, namespace, body, ...dry });
      break;
    case 'DaemonSet':
      await apis.apps.replaceNamespacedDaemonSet({ name, namespace, body, ...dry });
      break;
    case 'Service':
      await apis.core.replaceNamespacedService({ name, namespace, body, ...dry });
      break;
    case 'ConfigMap':
      await apis.core.replaceNamespacedConfigMap({ name, namespace, body, ...dry });
      break;
    case 'Role':
      await apis.rbac.replaceNamespacedRole({ name, namespace, body, ...dry });
      break;
    case 'ResourceQuota':
      if (create) await apis.core.createNamespacedResourceQuota({ namespace, body, ...dry });
      else await apis.core.replaceNamespacedResourceQuota({ name, namespace, body, ...dry });
      break;
    default:
      throw new Error(`cannot write a ${object.kind ?? 'kind-less object'}`);
  }
  return create;
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
