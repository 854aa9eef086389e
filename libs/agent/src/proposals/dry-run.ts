// The server-side dry run (`dryRun=All`) of an action: the write the sandbox manager would send,
// evaluated by the API server (admission, validation, quota) without being persisted. The executor's
// ServiceAccount is read-only, so on a real cluster this is refused and recorded as a blind spot; a
// writer (or kube-sim) answers it.
import { type Action } from '@foxhound/contracts';
import { type ReplicaSet } from '@foxhound/diagnostics';
import { type DryRunRequest } from '../cluster/reader';
import { revisionOf } from './rollback';

export function dryRunRequest(
  action: Action,
  replicaSets: ReplicaSet[] = [],
  now: Date = new Date(),
): DryRunRequest {
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
  }
}
