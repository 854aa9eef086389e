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

/** Every kind a snapshot carries, by list name. Cluster-scoped: namespaces, nodes, storage, webhooks. */
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
