// The input of every analyzer: one read of a cluster scope as plain Kubernetes JSON (exactly what
// `kubectl get -o json` prints, timestamps as strings), plus bounded container logs, events and
// optional metrics. The interfaces below name only the fields the analyzers read, all optional
// where the API server may omit them, so a snapshot captured from any cluster type-checks as is.
import {
  type ClusterSnapshotData,
  type ContainerLog,
  type MetricSeries,
  SNAPSHOT_KINDS,
  type SnapshotGap,
  type SnapshotKind,
} from '@foxhound/contracts';

export type Labels = Record<string, string>;

export interface OwnerReference {
  apiVersion?: string;
  kind: string;
  name: string;
  uid?: string;
  controller?: boolean;
}

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  time?: string;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  labels?: Labels;
  annotations?: Labels;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  resourceVersion?: string;
  generation?: number;
  ownerReferences?: OwnerReference[];
  managedFields?: ManagedFieldsEntry[];
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
  lastHeartbeatTime?: string;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: LabelSelectorRequirement[];
}

// ---- pods -----------------------------------------------------------------------------------

export type ResourceList = Record<string, string | number>;

export interface ResourceRequirements {
  requests?: ResourceList;
  limits?: ResourceList;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    fieldRef?: { fieldPath: string };
    resourceFieldRef?: { resource: string; containerName?: string };
  };
}

export interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}

export interface Probe {
  httpGet?: { path?: string; port: number | string; host?: string; scheme?: string };
  tcpSocket?: { port: number | string; host?: string };
  grpc?: { port: number; service?: string };
  exec?: { command?: string[] };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
}

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: ContainerPort[];
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  resources?: ResourceRequirements;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  /** `Always` on an init container makes it a native sidecar. */
  restartPolicy?: string;
  volumeMounts?: { name: string; mountPath: string }[];
}

export interface Volume {
  name: string;
  configMap?: { name: string; optional?: boolean };
  secret?: { secretName: string; optional?: boolean };
  persistentVolumeClaim?: { claimName: string };
  projected?: {
    sources?: {
      configMap?: { name: string; optional?: boolean };
      secret?: { name: string; optional?: boolean };
    }[];
  };
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
  nodeName?: string;
  nodeSelector?: Labels;
  tolerations?: Toleration[];
  serviceAccountName?: string;
  imagePullSecrets?: { name: string }[];
  restartPolicy?: string;
  priorityClassName?: string;
  overhead?: ResourceList;
  schedulingGates?: { name: string }[];
}

export interface ContainerStateWaiting {
  reason?: string;
  message?: string;
}

export interface ContainerStateTerminated {
  exitCode: number;
  reason?: string;
  message?: string;
  signal?: number;
  startedAt?: string;
  finishedAt?: string;
}

export interface ContainerState {
  waiting?: ContainerStateWaiting;
  running?: { startedAt?: string };
  terminated?: ContainerStateTerminated;
}

export interface ContainerStatus {
  name: string;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  image?: string;
  imageID?: string;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface PodStatus {
  phase?: string;
  reason?: string;
  message?: string;
  conditions?: Condition[];
  containerStatuses?: ContainerStatus[];
  initContainerStatuses?: ContainerStatus[];
  podIP?: string;
  hostIP?: string;
  startTime?: string;
  qosClass?: string;
}

export interface Pod extends KubeObject {
  spec: PodSpec;
  status?: PodStatus;
}

export interface PodTemplateSpec {
  metadata?: Partial<ObjectMeta>;
  spec: PodSpec;
}

// ---- workloads --------------------------------------------------------------------------------

export interface Deployment extends KubeObject {
  spec: {
    replicas?: number;
    selector: LabelSelector;
    template: PodTemplateSpec;
    paused?: boolean;
    progressDeadlineSeconds?: number;
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    conditions?: Condition[];
  };
}

export interface ReplicaSet extends KubeObject {
  spec: { replicas?: number; selector: LabelSelector; template?: PodTemplateSpec };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    conditions?: Condition[];
  };
}

export interface StatefulSet extends KubeObject {
  spec: {
    replicas?: number;
    serviceName?: string;
    selector: LabelSelector;
    template: PodTemplateSpec;
    volumeClaimTemplates?: PersistentVolumeClaim[];
  };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
  };
}

export interface DaemonSet extends KubeObject {
  spec: { selector: LabelSelector; template: PodTemplateSpec };
  status?: {
    desiredNumberScheduled?: number;
    numberReady?: number;
    numberUnavailable?: number;
    numberMisscheduled?: number;
  };
}

export interface Job extends KubeObject {
  spec: { suspend?: boolean; backoffLimit?: number; template: PodTemplateSpec; completions?: number };
  status?: {
    active?: number;
    succeeded?: number;
    failed?: number;
    conditions?: Condition[];
    startTime?: string;
    completionTime?: string;
  };
}

export interface CronJob extends KubeObject {
  spec: {
    schedule: string;
    suspend?: boolean;
    startingDeadlineSeconds?: number;
    jobTemplate: { spec: Job['spec'] };
  };
  status?: { lastScheduleTime?: string; lastSuccessfulTime?: string; active?: unknown[] };
}

// ---- networking ---------------------------------------------------------------------------------

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
}

export interface Service extends KubeObject {
  spec: {
    type?: string;
    selector?: Labels;
    ports?: ServicePort[];
    clusterIP?: string;
    externalName?: string;
  };
}

export interface EndpointAddress {
  ip: string;
  targetRef?: { kind?: string; name: string; namespace?: string };
}

export interface Endpoints extends KubeObject {
  subsets?: {
    addresses?: EndpointAddress[];
    notReadyAddresses?: EndpointAddress[];
    ports?: { name?: string; port: number; protocol?: string }[];
  }[];
}

export interface IngressBackend {
  service?: { name: string; port?: { number?: number; name?: string } };
  resource?: { kind: string; name: string };
}

export interface Ingress extends KubeObject {
  spec: {
    ingressClassName?: string;
    defaultBackend?: IngressBackend;
    tls?: { hosts?: string[]; secretName?: string }[];
    rules?: { host?: string; http?: { paths: { path?: string; backend: IngressBackend }[] } }[];
  };
}

export interface IngressClass extends KubeObject {
  spec?: { controller?: string };
}

export interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

export interface NetworkPolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}

export interface NetworkPolicyRule {
  from?: NetworkPolicyPeer[];
  to?: NetworkPolicyPeer[];
  ports?: NetworkPolicyPort[];
}

export interface NetworkPolicy extends KubeObject {
  spec: {
    podSelector: LabelSelector;
    policyTypes?: ('Ingress' | 'Egress')[];
    ingress?: NetworkPolicyRule[];
    egress?: NetworkPolicyRule[];
  };
}

// ---- storage, config, policy, cluster ------------------------------------------------------------

export interface PersistentVolumeClaim extends KubeObject {
  spec: {
    storageClassName?: string | null;
    volumeName?: string;
    accessModes?: string[];
    resources?: { requests?: ResourceList };
  };
  status?: { phase?: string; capacity?: ResourceList };
}

export interface PersistentVolume extends KubeObject {
  spec: {
    storageClassName?: string;
    claimRef?: { name: string; namespace?: string };
    capacity?: ResourceList;
  };
  status?: { phase?: string; reason?: string; message?: string };
}

export interface StorageClass extends KubeObject {
  provisioner?: string;
}

export interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
}

/** Secrets travel without `data`: the collector keeps names, type and metadata only. */
export interface SecretMeta extends KubeObject {
  type?: string;
}

export type ServiceAccount = KubeObject;

export interface ResourceQuota extends KubeObject {
  spec?: { hard?: ResourceList; scopes?: string[] };
  status?: { hard?: ResourceList; used?: ResourceList };
}

export interface LimitRangeItem {
  type: 'Container' | 'Pod' | 'PersistentVolumeClaim' | string;
  max?: ResourceList;
  min?: ResourceList;
  default?: ResourceList;
  defaultRequest?: ResourceList;
  maxLimitRequestRatio?: ResourceList;
}

export interface LimitRange extends KubeObject {
  spec: { limits: LimitRangeItem[] };
}

export interface HorizontalPodAutoscaler extends KubeObject {
  spec: {
    scaleTargetRef: { apiVersion?: string; kind: string; name: string };
    minReplicas?: number;
    maxReplicas: number;
    metrics?: { type: string; resource?: { name: string } }[];
  };
  status?: { currentReplicas?: number; desiredReplicas?: number; conditions?: Condition[] };
}

export interface PodDisruptionBudget extends KubeObject {
  spec: { minAvailable?: number | string; maxUnavailable?: number | string; selector?: LabelSelector };
  status?: {
    currentHealthy?: number;
    desiredHealthy?: number;
    disruptionsAllowed?: number;
    expectedPods?: number;
    conditions?: Condition[];
  };
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface Node extends KubeObject {
  spec?: { unschedulable?: boolean; taints?: Taint[] };
  status?: { conditions?: Condition[]; allocatable?: ResourceList; capacity?: ResourceList };
}

export interface Namespace extends KubeObject {
  status?: { phase?: string };
}

export interface WebhookClientConfig {
  service?: { name: string; namespace: string; port?: number; path?: string };
  url?: string;
}

export interface Webhook {
  name: string;
  clientConfig: WebhookClientConfig;
  failurePolicy?: string;
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
  rules?: { operations?: string[]; resources?: string[]; apiGroups?: string[] }[];
}

export interface WebhookConfiguration extends KubeObject {
  webhooks?: Webhook[];
}

/** core/v1 Event. */
export interface KubeEvent extends KubeObject {
  involvedObject: { kind?: string; name?: string; namespace?: string; uid?: string; fieldPath?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  source?: { component?: string; host?: string };
}

/** metrics.k8s.io/v1beta1 PodMetrics. */
export interface PodMetrics extends KubeObject {
  timestamp?: string;
  window?: string;
  containers: { name: string; usage: ResourceList }[];
}

// ---- the snapshot -------------------------------------------------------------------------------

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
  resourceQuotas: ResourceQuota[];
  limitRanges: LimitRange[];
  horizontalPodAutoscalers: HorizontalPodAutoscaler[];
  podDisruptionBudgets: PodDisruptionBudget[];
  nodes: Node[];
  validatingWebhookConfigurations: WebhookConfiguration[];
  mutatingWebhookConfigurations: WebhookConfiguration[];
  events: KubeEvent[];
}

export type { ContainerLog, SnapshotGap, SnapshotKind } from '@foxhound/contracts';
export { SNAPSHOT_KINDS } from '@foxhound/contracts';

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
