// The server-side dry run (`dryRun=All`) of an action: the write the sandbox manager would send,
// evaluated by the API server (admission, validation, quota) without being persisted. The executor's
// ServiceAccount is read-only, so on a real cluster this is refused and recorded as a blind spot; a
// writer (or kube-sim) answers it. A typed edit is sent as the whole edited spec (a ConfigMap: its
// data) under `$patch: replace`, the object the manager's replace would write.
import { type Action, applyEdit, type EditableObject } from '@foxhound/contracts';
import { type KubeObject, type ReplicaSet } from '@foxhound/diagnostics';
import { type DryRunRequest } from '../cluster/reader';
import { editKind, revisionOf } from './rollback';

const LIST_OF = {
  Deployment: 'deployments',
  StatefulSet: 'statefulSets',
  DaemonSet: 'daemonSets',
  Service: 'services',
  ConfigMap: 'configMaps',
  ResourceQuota: 'resourceQuotas',
  Role: 'roles',
} as const;

export function dryRunRequest(
  action: Action,
  state: { object?: KubeObject; replicaSets?: ReplicaSet[] } = {},
  now: Date = new Date(),
): DryRunRequest {
  const replicaSets = state.replicaSets ?? [];
  const { namespace, name } = action;
  switch (action.type) {
    case 'DeleteResourceQuota':
      return { method: 'DELETE', kind: 'resourceQuotas', namespace, name };
    case 'DeletePod':
      return { method: 'DELETE', kind: 'pods', namespace, name };
    case 'PatchDeploymentImage':
      return {
        method: 'PATCH',
        kind: 'deployments',
        namespace,
        name,
        patch: {
          spec: { template: { spec: { containers: [{ name: action.container, image: action.image }] } } },
        },
      };
    case 'ScaleDeployment':
      return {
        method: 'PATCH',
        kind: 'deployments',
        namespace,
        name,
        subresource: 'scale',
        patch: { spec: { replicas: action.replicas } },
      };
    case 'RolloutRestart': {
      const kind =
        action.kind === 'Deployment'
          ? 'deployments'
          : action.kind === 'StatefulSet'
            ? 'statefulSets'
            : 'daemonSets';
      const annotations = { 'kubectl.kubernetes.io/restartedAt': now.toISOString() };
      return {
        method: 'PATCH',
        kind,
        namespace,
        name,
        patch: { spec: { template: { metadata: { annotations } } } },
      };
    }
    case 'RollbackDeployment': {
      // What `kubectl rollout undo` sends: the target revision's template, without the hash label.
      const target = replicaSets.find((rs) => revisionOf(rs) === action.toRevision);
      const template = structuredClone(target?.spec.template ?? {}) as {
        metadata?: { labels?: Record<string, string> };
      };
      delete template.metadata?.labels?.['pod-template-hash'];
      return { method: 'PATCH', kind: 'deployments', namespace, name, patch: { spec: { template } } };
    }
    default: {
      const kind = editKind(action);
      const edited = state.object ? applyEdit(action, state.object as unknown as EditableObject) : undefined;
      if (!edited || 'refusal' in edited)
        throw new Error(`${action.type} ${namespace}/${name}: no edited object to dry-run.`);
      const patch =
        kind === 'ConfigMap'
          ? { data: { ...edited.object.data, $patch: 'replace' } }
          : kind === 'Role'
            ? { rules: edited.object.rules }
            : { spec: { ...edited.object.spec, $patch: 'replace' } };
      return { method: 'PATCH', kind: LIST_OF[kind], namespace, name, patch };
    }
  }
}
