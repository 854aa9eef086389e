// The cluster snapshot envelope: what `@foxhound/kube`'s collector produces and `@foxhound/diagnostics`
// analyzes. Objects are plain Kubernetes JSON exactly as `kubectl get -o json` prints them (typed
// views of their fields live in diagnostics); logs are already bounded; metrics are optional.
import { z } from 'zod';
import { MetricSeriesSchema } from './scenario';

/** A Kubernetes object as JSON: only identity is required, every other field passes through. */
export const KubeJsonSchema = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: z.object({ name: z.string().min(1), namespace: z.string().optional() }).passthrough(),
  })
  .passthrough();
export type KubeJson = z.infer<typeof KubeJsonSchema>;

const list = z.array(KubeJsonSchema).default([]);

/** Every kind a snapshot carries, by list name. Cluster-scoped: namespaces, nodes, storage, webhooks, cluster RBAC. */
export const SnapshotObjectsSchema = z.object({
  namespaces: list,
  pods: list,
  deployments: list,
  replicaSets: list,
  statefulSets: list,
  daemonSets: list,
  jobs: list,
  cronJobs: list,
  services: list,
  endpoints: list,
  ingresses: list,
  ingressClasses: list,
  networkPolicies: list,
  persistentVolumeClaims: list,
  persistentVolumes: list,
  storageClasses: list,
  configMaps: list,
  /** Names, type and metadata only: the collector never keeps secret data. */
  secrets: list,
  serviceAccounts: list,
  /** RBAC, so a Forbidden error can name the Role that lacks the verb and the binding that grants it. */
  roles: list,
  roleBindings: list,
  clusterRoles: list,
  clusterRoleBindings: list,
  resourceQuotas: list,
  limitRanges: list,
  horizontalPodAutoscalers: list,
  podDisruptionBudgets: list,
  nodes: list,
  validatingWebhookConfigurations: list,
  mutatingWebhookConfigurations: list,
  events: list,
});
export type SnapshotKind = keyof z.infer<typeof SnapshotObjectsSchema>;
export const SNAPSHOT_KINDS = Object.keys(SnapshotObjectsSchema.shape) as SnapshotKind[];

/** A container's log tail, already bounded by the collector. */
export const ContainerLogSchema = z.object({
  namespace: z.string(),
  pod: z.string(),
  container: z.string(),
  /** The log of the previous (crashed) instance of the container. */
  previous: z.boolean(),
  lines: z.array(z.string()),
  /** True when older lines were dropped to respect the line or byte limit. */
  truncated: z.boolean(),
});
export type ContainerLog = z.infer<typeof ContainerLogSchema>;

/** Something the collector could not read, so reports can name their blind spots. */
export const SnapshotGapSchema = z.object({ what: z.string(), reason: z.string() });
export type SnapshotGap = z.infer<typeof SnapshotGapSchema>;

export const ClusterSnapshotDataSchema = z.object({
  /** When the snapshot was taken: "now" for every age the analyzers compute. */
  capturedAt: z.string(),
  /** Namespaces in scope; empty means the whole cluster. */
  namespaces: z.array(z.string()),
  objects: SnapshotObjectsSchema,
  logs: z.array(ContainerLogSchema).default([]),
  /** metrics.k8s.io PodMetrics. */
  podMetrics: z.array(KubeJsonSchema).default([]),
  /** Prometheus range-query series (cAdvisor names), when a Prometheus was queried. */
  metrics: z.array(MetricSeriesSchema).default([]),
  gaps: z.array(SnapshotGapSchema).default([]),
});
export type ClusterSnapshotData = z.infer<typeof ClusterSnapshotDataSchema>;

/** Where a snapshot list lives in the Kubernetes API. */
export interface SnapshotResource {
  /** The Kubernetes kind, as object references name it. */
  kind: string;
  /** `v1`, `apps/v1`, ... */
  apiVersion: string;
  plural: string;
  namespaced: boolean;
}

const resource = (kind: string, apiVersion: string, plural: string, namespaced = true): SnapshotResource => ({
  kind,
  apiVersion,
  plural,
  namespaced,
});

/** Every snapshot list's kind and API resource: the one table the collector, the agent and diagnostics read. */
export const SNAPSHOT_RESOURCES: Readonly<Record<SnapshotKind, SnapshotResource>> = {
  namespaces: resource('Namespace', 'v1', 'namespaces', false),
  pods: resource('Pod', 'v1', 'pods'),
  deployments: resource('Deployment', 'apps/v1', 'deployments'),
  replicaSets: resource('ReplicaSet', 'apps/v1', 'replicasets'),
  statefulSets: resource('StatefulSet', 'apps/v1', 'statefulsets'),
  daemonSets: resource('DaemonSet', 'apps/v1', 'daemonsets'),
  jobs: resource('Job', 'batch/v1', 'jobs'),
  cronJobs: resource('CronJob', 'batch/v1', 'cronjobs'),
  services: resource('Service', 'v1', 'services'),
  endpoints: resource('Endpoints', 'v1', 'endpoints'),
  ingresses: resource('Ingress', 'networking.k8s.io/v1', 'ingresses'),
  ingressClasses: resource('IngressClass', 'networking.k8s.io/v1', 'ingressclasses', false),
  networkPolicies: resource('NetworkPolicy', 'networking.k8s.io/v1', 'networkpolicies'),
  persistentVolumeClaims: resource('PersistentVolumeClaim', 'v1', 'persistentvolumeclaims'),
  persistentVolumes: resource('PersistentVolume', 'v1', 'persistentvolumes', false),
  storageClasses: resource('StorageClass', 'storage.k8s.io/v1', 'storageclasses', false),
  configMaps: resource('ConfigMap', 'v1', 'configmaps'),
  secrets: resource('Secret', 'v1', 'secrets'),
  serviceAccounts: resource('ServiceAccount', 'v1', 'serviceaccounts'),
  roles: resource('Role', 'rbac.authorization.k8s.io/v1', 'roles'),
  roleBindings: resource('RoleBinding', 'rbac.authorization.k8s.io/v1', 'rolebindings'),
  clusterRoles: resource('ClusterRole', 'rbac.authorization.k8s.io/v1', 'clusterroles', false),
  clusterRoleBindings: resource(
    'ClusterRoleBinding',
    'rbac.authorization.k8s.io/v1',
    'clusterrolebindings',
    false,
  ),
  resourceQuotas: resource('ResourceQuota', 'v1', 'resourcequotas'),
  limitRanges: resource('LimitRange', 'v1', 'limitranges'),
  horizontalPodAutoscalers: resource('HorizontalPodAutoscaler', 'autoscaling/v2', 'horizontalpodautoscalers'),
  podDisruptionBudgets: resource('PodDisruptionBudget', 'policy/v1', 'poddisruptionbudgets'),
  nodes: resource('Node', 'v1', 'nodes', false),
  validatingWebhookConfigurations: resource(
    'ValidatingWebhookConfiguration',
    'admissionregistration.k8s.io/v1',
    'validatingwebhookconfigurations',
    false,
  ),
  mutatingWebhookConfigurations: resource(
    'MutatingWebhookConfiguration',
    'admissionregistration.k8s.io/v1',
    'mutatingwebhookconfigurations',
    false,
  ),
  events: resource('Event', 'v1', 'events'),
};

/** The API path of a resource's collection (in `namespace` when it is namespaced) or of one object. */
export function resourcePath(r: SnapshotResource, namespace?: string, name?: string): string {
  const base = r.apiVersion === 'v1' ? '/api/v1' : `/apis/${r.apiVersion}`;
  const ns = r.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${r.plural}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
}
