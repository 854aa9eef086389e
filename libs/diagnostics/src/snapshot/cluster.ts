// Storage, configuration, policy and cluster-scoped objects, events and PodMetrics.
import { type Condition, type KubeObject, type LabelSelector } from './meta';
import { type ResourceList } from './pods';

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

/** One RBAC rule: the verbs it grants on resources of API groups (`*` for any). */
export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  verbs: string[];
}

/** A Role or ClusterRole (an aggregated ClusterRole's rules are filled in by the API server). */
export interface Role extends KubeObject {
  rules?: PolicyRule[];
}

export interface RoleSubject {
  kind: 'ServiceAccount' | 'User' | 'Group' | string;
  name: string;
  namespace?: string;
}

/** A RoleBinding or ClusterRoleBinding. */
export interface RoleBinding extends KubeObject {
  roleRef: { apiGroup?: string; kind: 'Role' | 'ClusterRole' | string; name: string };
  subjects?: RoleSubject[];
}

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
