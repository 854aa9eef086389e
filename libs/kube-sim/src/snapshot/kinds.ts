// What a snapshot captures and where it goes: the kinds Foxhound reads, namespaced (listed in
// each selected namespace) or cluster-wide, each with its API path and the objects/ file it is
// written to, grouped by topic as the scenarios are.
export interface CapturedKind {
  kind: string;
  apiVersion: string;
  plural: string;
  namespaced: boolean;
  /** objects/<file>.yaml */
  file: string;
  /** Left out without complaint when the server does not serve it (metrics-server is optional). */
  optional?: boolean;
}

const kind = (
  kind: string,
  apiVersion: string,
  plural: string,
  file: string,
  namespaced = true,
  optional = false,
): CapturedKind => ({ kind, apiVersion, plural, file, namespaced, optional });

export const CAPTURED_KINDS: CapturedKind[] = [
  kind('Node', 'v1', 'nodes', 'nodes', false),
  kind('Deployment', 'apps/v1', 'deployments', 'workloads'),
  kind('StatefulSet', 'apps/v1', 'statefulsets', 'workloads'),
  kind('DaemonSet', 'apps/v1', 'daemonsets', 'workloads'),
  kind('Job', 'batch/v1', 'jobs', 'workloads'),
  kind('CronJob', 'batch/v1', 'cronjobs', 'workloads'),
  kind('ReplicaSet', 'apps/v1', 'replicasets', 'replicasets'),
  kind('Pod', 'v1', 'pods', 'pods'),
  kind('Service', 'v1', 'services', 'services'),
  kind('Endpoints', 'v1', 'endpoints', 'services'),
  kind('EndpointSlice', 'discovery.k8s.io/v1', 'endpointslices', 'services'),
  kind('Ingress', 'networking.k8s.io/v1', 'ingresses', 'services'),
  kind('IngressClass', 'networking.k8s.io/v1', 'ingressclasses', 'services', false),
  kind('ConfigMap', 'v1', 'configmaps', 'config'),
  kind('Secret', 'v1', 'secrets', 'config'),
  kind('ServiceAccount', 'v1', 'serviceaccounts', 'config'),
  kind('ResourceQuota', 'v1', 'resourcequotas', 'quotas'),
  kind('LimitRange', 'v1', 'limitranges', 'quotas'),
  kind('PersistentVolumeClaim', 'v1', 'persistentvolumeclaims', 'storage'),
  kind('PersistentVolume', 'v1', 'persistentvolumes', 'storage', false),
  kind('StorageClass', 'storage.k8s.io/v1', 'storageclasses', 'storage', false),
  kind('NetworkPolicy', 'networking.k8s.io/v1', 'networkpolicies', 'networkpolicies'),
  kind('HorizontalPodAutoscaler', 'autoscaling/v2', 'horizontalpodautoscalers', 'autoscaling'),
  kind('PodDisruptionBudget', 'policy/v1', 'poddisruptionbudgets', 'autoscaling'),
  kind(
    'ValidatingWebhookConfiguration',
    'admissionregistration.k8s.io/v1',
    'validatingwebhookconfigurations',
    'admission',
    false,
  ),
  kind(
    'MutatingWebhookConfiguration',
    'admissionregistration.k8s.io/v1',
    'mutatingwebhookconfigurations',
    'admission',
    false,
  ),
  kind('Event', 'v1', 'events', 'events'),
  kind('PodMetrics', 'metrics.k8s.io/v1beta1', 'pods', 'podmetrics', true, true),
];

export function listPath(k: CapturedKind, namespace?: string): string {
  const base = k.apiVersion.includes('/') ? `/apis/${k.apiVersion}` : `/api/${k.apiVersion}`;
  return namespace
    ? `${base}/namespaces/${encodeURIComponent(namespace)}/${k.plural}`
    : `${base}/${k.plural}`;
}
