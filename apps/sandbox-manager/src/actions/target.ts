// What an action acts on, read raw through the manager's own (read-only) identity: the target
// object as the API server prints it (so its digest is the one the proposal computed), a
// Deployment's ReplicaSet history for a rollback, and whether an execution already happened
// (the fact a restarted manager and a repeated request rely on to never apply twice).
import {
  actionTargetKind,
  type ExecutableAction,
  type PolicyRule,
  preImageDifferences,
} from '@foxhound/contracts';
import { isNotFound, type KubeClient } from '@foxhound/kube';

/** Stamped on what an action writes, so a repeat (or a restarted manager) recognises its own change. */
export const APPLIED_BY_ANNOTATION = 'foxhound.dev/applied-by-proposal';

export interface RawObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: string;
    ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean }[];
  };
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  rules?: PolicyRule[];
  spec?: Record<string, unknown> & {
    replicas?: number;
    hard?: Record<string, string>;
    template?: {
      metadata?: Record<string, unknown>;
      spec?: { containers?: { name: string; image?: string }[] };
    };
    selector?: { matchLabels?: Record<string, string> };
  };
  status?: Record<string, unknown>;
}

const PATHS = {
  Deployment: '/apis/apps/v1/namespaces/{ns}/deployments/{name}',
  StatefulSet: '/apis/apps/v1/namespaces/{ns}/statefulsets/{name}',
  DaemonSet: '/apis/apps/v1/namespaces/{ns}/daemonsets/{name}',
  Pod: '/api/v1/namespaces/{ns}/pods/{name}',
  ResourceQuota: '/api/v1/namespaces/{ns}/resourcequotas/{name}',
  Service: '/api/v1/namespaces/{ns}/services/{name}',
  ConfigMap: '/api/v1/namespaces/{ns}/configmaps/{name}',
  Role: '/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles/{name}',
} as const;

export function targetPath(action: ExecutableAction): string {
  return PATHS[actionTargetKind(action)]
    .replace('{ns}', encodeURIComponent(action.namespace))
    .replace('{name}', encodeURIComponent(action.name));
}

export async function getOrUndefined<T>(client: KubeClient, path: string): Promise<T | undefined> {
  try {
    return await client.getJson<T>(path);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export const readTarget = (client: KubeClient, action: ExecutableAction) =>
  getOrUndefined<RawObject>(client, targetPath(action));

export const revisionOf = (rs: RawObject): number =>
  Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0) || 0;

/** The Deployment's ReplicaSets, newest revision first. */
export async function replicaSetsOf(client: KubeClient, deployment: RawObject): Promise<RawObject[]> {
  const list = await client.getJson<{ items: RawObject[] }>(
    `/apis/apps/v1/namespaces/${encodeURIComponent(deployment.metadata.namespace ?? '')}/replicasets`,
  );
  return list.items
    .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === deployment.metadata.uid))
    .sort((a, b) => revisionOf(b) - revisionOf(a));
}

/**
 * Whether the action's effect is already in place: a deleted target is gone (a pod recreated under
 * its name is told apart by uid in executor.ts), a restored quota exists, a restored object equals
 * its pre-image, a patched or edited target carries this proposal's stamp (a scale: the replica count).
 */
export function alreadyApplied(
  action: ExecutableAction,
  target: RawObject | undefined,
  proposalId: string,
): boolean {
  switch (action.type) {
    case 'DeleteResourceQuota':
    case 'DeletePod':
      return target === undefined;
    case 'RestoreResourceQuota':
      return target?.metadata.annotations?.[APPLIED_BY_ANNOTATION] === proposalId;
    case 'ScaleDeployment':
      return target?.spec?.replicas === action.replicas;
    case 'RestoreObject':
      // A restore carries no stamp (it puts the pre-image back exactly): restored is the proof.
      return target !== undefined && preImageDifferences(action.kind, action.preImage, target).length === 0;
    default:
      return target?.metadata.annotations?.[APPLIED_BY_ANNOTATION] === proposalId;
  }
}
