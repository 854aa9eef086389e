// The snapshot every analyzer reads: one read of a cluster scope as plain Kubernetes JSON (exactly
// what `kubectl get -o json` prints, timestamps as strings) plus bounded logs, events and optional
// metrics; and its construction from collected data, dropping objects the analyzers cannot read.
import {
  type ClusterSnapshotData,
  type ContainerLog,
  type MetricSeries,
  SNAPSHOT_KINDS,
  type SnapshotGap,
  type SnapshotKind,
} from '@foxhound/contracts';
import { type Pod } from './pods';
import {
  type CronJob,
  type DaemonSet,
  type Deployment,
  type Job,
  type ReplicaSet,
  type StatefulSet,
} from './workloads';
import {
  type Endpoints,
  type Ingress,
  type IngressClass,
  type NetworkPolicy,
  type Service,
} from './networking';
import {
  type ConfigMap,
  type HorizontalPodAutoscaler,
  type KubeEvent,
  type LimitRange,
  type Namespace,
  type Node,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type PodDisruptionBudget,
  type PodMetrics,
  type ResourceQuota,
  type SecretMeta,
  type Role,
  type RoleBinding,
  type ServiceAccount,
  type StorageClass,
  type WebhookConfiguration,
} from './cluster';

export interface SnapshotObjects {
  namespaces: Namespace[];
  pods: Pod[];
  deployments: Deployment[];
  replicaSets: ReplicaSet[];
  statefulSets: StatefulSet[];
  daemonSets: DaemonSet[];
  jobs: Job[];
  cronJobs: CronJob[];
  services: Service[];
  endpoints: Endpoints[];
  ingresses: Ingress[];
  ingressClasses: IngressClass[];
  networkPolicies: NetworkPolicy[];
  persistentVolumeClaims: PersistentVolumeClaim[];
  persistentVolumes: PersistentVolume[];
  storageClasses: StorageClass[];
  configMaps: ConfigMap[];
  secrets: SecretMeta[];
  serviceAccounts: ServiceAccount[];
  roles: Role[];
  roleBindings: RoleBinding[];
  clusterRoles: Role[];
  clusterRoleBindings: RoleBinding[];
  resourceQuotas: ResourceQuota[];
  limitRanges: LimitRange[];
  horizontalPodAutoscalers: HorizontalPodAutoscaler[];
  podDisruptionBudgets: PodDisruptionBudget[];
  nodes: Node[];
  validatingWebhookConfigurations: WebhookConfiguration[];
  mutatingWebhookConfigurations: WebhookConfiguration[];
  events: KubeEvent[];
}

export interface ClusterSnapshot {
  /** When the snapshot was taken: "now" for every age the analyzers compute. */
  capturedAt: string;
  /** The namespaces in scope; cluster-scoped kinds (nodes, storage classes, webhooks) are always read. */
  namespaces: string[];
  objects: SnapshotObjects;
  logs: ContainerLog[];
  podMetrics: PodMetrics[];
  /** Prometheus range-query series (cAdvisor names), when a Prometheus was reachable. */
  metrics: MetricSeries[];
  gaps: SnapshotGap[];
}

/** A complete snapshot from a partial one: every missing list is empty. Tests and replays use it. */
export function createSnapshot(
  partial: Partial<Omit<ClusterSnapshot, 'objects'>> & { objects?: Partial<SnapshotObjects> } = {},
): ClusterSnapshot {
  const objects = Object.fromEntries(
    SNAPSHOT_KINDS.map((k) => [k, partial.objects?.[k] ?? []]),
  ) as unknown as SnapshotObjects;
  return {
    capturedAt: partial.capturedAt ?? new Date().toISOString(),
    namespaces: partial.namespaces ?? [],
    objects,
    logs: partial.logs ?? [],
    podMetrics: partial.podMetrics ?? [],
    metrics: partial.metrics ?? [],
    gaps: partial.gaps ?? [],
  };
}

type Shape = 'array' | 'object' | 'string' | 'number';

/** Fields an analyzer relies on, per kind: objects without them are dropped (and reported), not crashed on. */
const REQUIRED: Partial<Record<SnapshotKind, [string, Shape][]>> = {
  pods: [['spec.containers', 'array']],
  deployments: [
    ['spec.template.spec.containers', 'array'],
    ['spec.selector', 'object'],
  ],
  replicaSets: [['spec', 'object']],
  statefulSets: [
    ['spec.template.spec.containers', 'array'],
    ['spec.selector', 'object'],
  ],
  daemonSets: [
    ['spec.template.spec.containers', 'array'],
    ['spec.selector', 'object'],
  ],
  jobs: [['spec.template.spec.containers', 'array']],
  cronJobs: [
    ['spec.schedule', 'string'],
    ['spec.jobTemplate', 'object'],
  ],
  services: [['spec', 'object']],
  ingresses: [['spec', 'object']],
  networkPolicies: [['spec.podSelector', 'object']],
  persistentVolumeClaims: [['spec', 'object']],
  persistentVolumes: [['spec', 'object']],
  limitRanges: [['spec.limits', 'array']],
  horizontalPodAutoscalers: [
    ['spec.scaleTargetRef', 'object'],
    ['spec.maxReplicas', 'number'],
  ],
  podDisruptionBudgets: [['spec', 'object']],
  roleBindings: [['roleRef', 'object']],
  clusterRoleBindings: [['roleRef', 'object']],
  events: [['involvedObject', 'object']],
};

function has(obj: unknown, path: string, shape: Shape): boolean {
  let value: unknown = obj;
  for (const key of path.split('.')) {
    if (!value || typeof value !== 'object') return false;
    value = (value as Record<string, unknown>)[key];
  }
  return shape === 'array'
    ? Array.isArray(value)
    : shape === 'object'
      ? !!value && typeof value === 'object' && !Array.isArray(value)
      : typeof value === shape;
}

/**
 * The analyzers' typed view of collected snapshot data. Objects lacking a field the analyzers rely on
 * are dropped and listed in `gaps`, so a malformed object from an odd cluster or a hand-edited
 * replay degrades the analysis instead of failing it.
 */
export function fromSnapshotData(data: ClusterSnapshotData): ClusterSnapshot {
  const gaps = [...data.gaps];
  const objects = {} as Record<SnapshotKind, unknown[]>;
  for (const kind of SNAPSHOT_KINDS) {
    const required = REQUIRED[kind] ?? [];
    const items = data.objects[kind] ?? [];
    const kept = required.length
      ? items.filter((o) => required.every(([path, shape]) => has(o, path, shape)))
      : items;
    if (kept.length < items.length) {
      const missing = required.map(([path]) => path).join(', ');
      gaps.push({
        what: `${items.length - kept.length} ${kind} object(s)`,
        reason: `malformed (missing ${missing}); not analyzed`,
      });
    }
    objects[kind] = kept;
  }
  const podMetrics = data.podMetrics.filter((m) => has(m, 'containers', 'array'));
  return {
    capturedAt: data.capturedAt,
    namespaces: data.namespaces,
    objects: objects as unknown as SnapshotObjects,
    logs: data.logs,
    podMetrics: podMetrics as unknown as PodMetrics[],
    metrics: data.metrics,
    gaps,
  };
}
