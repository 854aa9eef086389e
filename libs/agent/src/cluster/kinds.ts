// The kinds the agent's tools can name, with the spellings people and models use for them
// (`deploy`, `Deployment`, `deployments`) and whether they live in a namespace. Secrets are left
// out on purpose: the executor's ServiceAccount may not read them.
import { type SnapshotKind } from '@foxhound/diagnostics';

export interface KindInfo {
  kind: SnapshotKind;
  /** The Kubernetes kind, as object references name it. */
  apiKind: string;
  namespaced: boolean;
  aliases: readonly string[];
  /** `v1`, `apps/v1`, ... and the resource's plural, for API paths. */
  apiVersion: string;
  plural: string;
}

const TABLE: KindInfo[] = [
  { kind: 'pods', apiKind: 'Pod', namespaced: true, aliases: ['po'], apiVersion: 'v1', plural: 'pods' },
  {
    kind: 'deployments',
    apiKind: 'Deployment',
    namespaced: true,
    aliases: ['deploy'],
    apiVersion: 'apps/v1',
    plural: 'deployments',
  },
  {
    kind: 'replicaSets',
    apiKind: 'ReplicaSet',
    namespaced: true,
    aliases: ['rs'],
    apiVersion: 'apps/v1',
    plural: 'replicasets',
  },
  {
    kind: 'statefulSets',
    apiKind: 'StatefulSet',
    namespaced: true,
    aliases: ['sts'],
    apiVersion: 'apps/v1',
    plural: 'statefulsets',
  },
  {
    kind: 'daemonSets',
    apiKind: 'DaemonSet',
    namespaced: true,
    aliases: ['ds'],
    apiVersion: 'apps/v1',
    plural: 'daemonsets',
  },
  { kind: 'jobs', apiKind: 'Job', namespaced: true, aliases: [], apiVersion: 'batch/v1', plural: 'jobs' },
  {
    kind: 'cronJobs',
    apiKind: 'CronJob',
    namespaced: true,
    aliases: ['cj'],
    apiVersion: 'batch/v1',
    plural: 'cronjobs',
  },
  {
    kind: 'services',
    apiKind: 'Service',
    namespaced: true,
    aliases: ['svc'],
    apiVersion: 'v1',
    plural: 'services',
  },
  {
    kind: 'endpoints',
    apiKind: 'Endpoints',
    namespaced: true,
    aliases: ['ep'],
    apiVersion: 'v1',
    plural: 'endpoints',
  },
  {
    kind: 'ingresses',
    apiKind: 'Ingress',
    namespaced: true,
    aliases: ['ing'],
    apiVersion: 'networking.k8s.io/v1',
    plural: 'ingresses',
  },
  {
    kind: 'networkPolicies',
    apiKind: 'NetworkPolicy',
    namespaced: true,
    aliases: ['netpol'],
    apiVersion: 'networking.k8s.io/v1',
    plural: 'networkpolicies',
  },
  {
    kind: 'persistentVolumeClaims',
    apiKind: 'PersistentVolumeClaim',
    namespaced: true,
    aliases: ['pvc'],
    apiVersion: 'v1',
    plural: 'persistentvolumeclaims',
  },
  {
    kind: 'configMaps',
    apiKind: 'ConfigMap',
    namespaced: true,
    aliases: ['cm'],
    apiVersion: 'v1',
    plural: 'configmaps',
  },
  {
    kind: 'serviceAccounts',
    apiKind: 'ServiceAccount',
    namespaced: true,
    aliases: ['sa'],
    apiVersion: 'v1',
    plural: 'serviceaccounts',
  },
  {
    kind: 'resourceQuotas',
    apiKind: 'ResourceQuota',
    namespaced: true,
    aliases: ['quota'],
    apiVersion: 'v1',
    plural: 'resourcequotas',
  },
  {
    kind: 'limitRanges',
    apiKind: 'LimitRange',
    namespaced: true,
    aliases: ['limits'],
    apiVersion: 'v1',
    plural: 'limitranges',
  },
  {
    kind: 'horizontalPodAutoscalers',
    apiKind: 'HorizontalPodAutoscaler',
    namespaced: true,
    aliases: ['hpa'],
    apiVersion: 'autoscaling/v2',
    plural: 'horizontalpodautoscalers',
  },
  {
    kind: 'podDisruptionBudgets',
    apiKind: 'PodDisruptionBudget',
    namespaced: true,
    aliases: ['pdb'],
    apiVersion: 'policy/v1',
    plural: 'poddisruptionbudgets',
  },
  { kind: 'events', apiKind: 'Event', namespaced: true, aliases: ['ev'], apiVersion: 'v1', plural: 'events' },
  {
    kind: 'namespaces',
    apiKind: 'Namespace',
    namespaced: false,
    aliases: ['ns'],
    apiVersion: 'v1',
    plural: 'namespaces',
  },
  { kind: 'nodes', apiKind: 'Node', namespaced: false, aliases: ['no'], apiVersion: 'v1', plural: 'nodes' },
  {
    kind: 'persistentVolumes',
    apiKind: 'PersistentVolume',
    namespaced: false,
    aliases: ['pv'],
    apiVersion: 'v1',
    plural: 'persistentvolumes',
  },
  {
    kind: 'storageClasses',
    apiKind: 'StorageClass',
    namespaced: false,
    aliases: ['sc'],
    apiVersion: 'storage.k8s.io/v1',
    plural: 'storageclasses',
  },
  {
    kind: 'ingressClasses',
    apiKind: 'IngressClass',
    namespaced: false,
    aliases: [],
    apiVersion: 'networking.k8s.io/v1',
    plural: 'ingressclasses',
  },
  {
    kind: 'validatingWebhookConfigurations',
    apiKind: 'ValidatingWebhookConfiguration',
    namespaced: false,
    aliases: [],
    apiVersion: 'admissionregistration.k8s.io/v1',
    plural: 'validatingwebhookconfigurations',
  },
  {
    kind: 'mutatingWebhookConfigurations',
    apiKind: 'MutatingWebhookConfiguration',
    namespaced: false,
    aliases: [],
    apiVersion: 'admissionregistration.k8s.io/v1',
    plural: 'mutatingwebhookconfigurations',
  },
];

const BY_NAME = new Map<string, KindInfo>();
for (const info of TABLE) {
  for (const name of [info.kind, info.apiKind, `${info.apiKind}s`, ...info.aliases])
    BY_NAME.set(name.toLowerCase(), info);
}

/** The kinds' canonical names, for tool parameter descriptions. */
export const KIND_NAMES: readonly string[] = TABLE.map((k) => k.apiKind);

export function resolveKind(name: string): KindInfo | undefined {
  return BY_NAME.get(name.trim().toLowerCase());
}

export function kindInfo(kind: SnapshotKind): KindInfo | undefined {
  return TABLE.find((k) => k.kind === kind);
}

/** The API path of a kind's collection (in a namespace when namespaced) or of one object. */
export function apiPath(info: KindInfo, namespace: string | undefined, name?: string): string {
  const base = info.apiVersion === 'v1' ? '/api/v1' : `/apis/${info.apiVersion}`;
  const ns = info.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${info.plural}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
}
