// The resource table: every group/version/kind kube-sim serves, with plural, scope, short names,
// verbs and subresources. Discovery (discovery.ts), routing and RBAC all read this one table;
// CustomResourceDefinitions created at run time add rows through ResourceRegistry.register().

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';
export type Subresource = 'status' | 'scale' | 'log' | 'token';

export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: Verb[];
  subresources: Subresource[];
  /** Field labels accepted by fieldSelector besides metadata.name and metadata.namespace. */
  fieldLabels: string[];
  /** Built-in kinds take strategic merge patches; custom resources get 415 like a real server. */
  strategicMerge: boolean;
  /** JSON paths of the replica count and selector for the scale subresource. */
  scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  /**
   * Another resource whose objects this one shows (events.k8s.io/v1 events are core events in
   * another shape). The two share one storage; `view.ts` converts between them.
   */
  storedAs?: { group: string; plural: string };
}

export const ALL_VERBS: Verb[] = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];
const READ_VERBS: Verb[] = ['get', 'list'];

type Row = Partial<ResourceType> & Pick<ResourceType, 'kind' | 'plural'>;

function rows(group: string, version: string, namespaced: boolean, list: Row[]): ResourceType[] {
  return list.map((r) => ({
    group,
    version,
    namespaced,
    singular: r.kind.toLowerCase(),
    shortNames: [],
    categories: [],
    verbs: ALL_VERBS,
    subresources: [],
    fieldLabels: [],
    strategicMerge: true,
    ...r,
  }));
}

const POD_FIELDS = [
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.schedulerName',
  'spec.serviceAccountName',
  'spec.hostNetwork',
  'status.phase',
  'status.podIP',
  'status.nominatedNodeName',
];
const EVENT_FIELDS = [
  'involvedObject.kind',
  'involvedObject.namespace',
  'involvedObject.name',
  'involvedObject.uid',
  'involvedObject.apiVersion',
  'involvedObject.resourceVersion',
  'involvedObject.fieldPath',
  'reason',
  'reportingComponent',
  'source',
  'type',
];
const REPLICAS_SCALE = { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas' };
const SCALE_WITH_SELECTOR = { ...REPLICAS_SCALE, labelSelectorPath: 'status.selector' };
const CUSTOM = { strategicMerge: false };

export const BUILTIN_RESOURCES: ResourceType[] = [
  ...rows('', 'v1', false, [
    {
      kind: 'Namespace',
      plural: 'namespaces',
      shortNames: ['ns'],
      subresources: ['status'],
      fieldLabels: ['status.phase'],
    },
    {
      kind: 'Node',
      plural: 'nodes',
      shortNames: ['no'],
      subresources: ['status'],
      fieldLabels: ['spec.unschedulable'],
    },
    { kind: 'PersistentVolume', plural: 'persistentvolumes', shortNames: ['pv'], subresources: ['status'] },
  ]),
  ...rows('', 'v1', true, [
    {
      kind: 'Pod',
      plural: 'pods',
      shortNames: ['po'],
      categories: ['all'],
      subresources: ['status', 'log'],
      fieldLabels: POD_FIELDS,
    },
    {
      kind: 'Service',
      plural: 'services',
      shortNames: ['svc'],
      categories: ['all'],
      subresources: ['status'],
    },
    { kind: 'Endpoints', plural: 'endpoints', singular: 'endpoints', shortNames: ['ep'] },
    { kind: 'Event', plural: 'events', shortNames: ['ev'], fieldLabels: EVENT_FIELDS },
    { kind: 'ConfigMap', plural: 'configmaps', shortNames: ['cm'] },
    { kind: 'Secret', plural: 'secrets', fieldLabels: ['type'] },
    { kind: 'ResourceQuota', plural: 'resourcequotas', shortNames: ['quota'], subresources: ['status'] },
    { kind: 'LimitRange', plural: 'limitranges', shortNames: ['limits'] },
    {
      kind: 'PersistentVolumeClaim',
      plural: 'persistentvolumeclaims',
      shortNames: ['pvc'],
      subresources: ['status'],
    },
    { kind: 'ServiceAccount', plural: 'serviceaccounts', shortNames: ['sa'], subresources: ['token'] },
    {
      kind: 'ReplicationController',
      plural: 'replicationcontrollers',
      shortNames: ['rc'],
      categories: ['all'],
      subresources: ['status', 'scale'],
      scale: REPLICAS_SCALE,
    },
  ]),
  ...rows('apps', 'v1', true, [
    {
      kind: 'Deployment',
      plural: 'deployments',
      shortNames: ['deploy'],
      categories: ['all'],
      subresources: ['status', 'scale'],
      scale: SCALE_WITH_SELECTOR,
    },
    {
      kind: 'ReplicaSet',
      plural: 'replicasets',
      shortNames: ['rs'],
      categories: ['all'],
      subresources: ['status', 'scale'],
      scale: SCALE_WITH_SELECTOR,
      fieldLabels: ['status.replicas'],
    },
    {
      kind: 'StatefulSet',
      plural: 'statefulsets',
      shortNames: ['sts'],
      categories: ['all'],
      subresources: ['status', 'scale'],
      scale: SCALE_WITH_SELECTOR,
    },
    {
      kind: 'DaemonSet',
      plural: 'daemonsets',
      shortNames: ['ds'],
      categories: ['all'],
      subresources: ['status'],
    },
    { kind: 'ControllerRevision', plural: 'controllerrevisions' },
  ]),
  ...rows('batch', 'v1', true, [
    {
      kind: 'Job',
      plural: 'jobs',
      categories: ['all'],
      subresources: ['status'],
      fieldLabels: ['status.successful'],
    },
    {
      kind: 'CronJob',
      plural: 'cronjobs',
      shortNames: ['cj'],
      categories: ['all'],
      subresources: ['status'],
    },
  ]),
  ...rows('networking.k8s.io', 'v1', true, [
    { kind: 'NetworkPolicy', plural: 'networkpolicies', shortNames: ['netpol'] },
    { kind: 'Ingress', plural: 'ingresses', shortNames: ['ing'], subresources: ['status'] },
  ]),
  ...rows('networking.k8s.io', 'v1', false, [{ kind: 'IngressClass', plural: 'ingressclasses' }]),
  ...rows('events.k8s.io', 'v1', true, [
    {
      kind: 'Event',
      plural: 'events',
      shortNames: ['ev'],
      storedAs: { group: '', plural: 'events' },
      fieldLabels: EVENT_FIELDS,
    },
  ]),
  ...rows('discovery.k8s.io', 'v1', true, [{ kind: 'EndpointSlice', plural: 'endpointslices' }]),
  ...rows('rbac.authorization.k8s.io', 'v1', true, [
    { kind: 'Role', plural: 'roles' },
    { kind: 'RoleBinding', plural: 'rolebindings' },
  ]),
  ...rows('rbac.authorization.k8s.io', 'v1', false, [
    { kind: 'ClusterRole', plural: 'clusterroles' },
    { kind: 'ClusterRoleBinding', plural: 'clusterrolebindings' },
  ]),
  ...rows('apiextensions.k8s.io', 'v1', false, [
    {
      kind: 'CustomResourceDefinition',
      plural: 'customresourcedefinitions',
      shortNames: ['crd', 'crds'],
      categories: ['api-extensions'],
      subresources: ['status'],
    },
  ]),
  ...rows('storage.k8s.io', 'v1', false, [
    { kind: 'StorageClass', plural: 'storageclasses', shortNames: ['sc'] },
  ]),
  ...rows('autoscaling', 'v2', true, [
    {
      kind: 'HorizontalPodAutoscaler',
      plural: 'horizontalpodautoscalers',
      shortNames: ['hpa'],
      categories: ['all'],
      subresources: ['status'],
    },
  ]),
  ...rows('policy', 'v1', true, [
    {
      kind: 'PodDisruptionBudget',
      plural: 'poddisruptionbudgets',
      shortNames: ['pdb'],
      subresources: ['status'],
    },
  ]),
  ...rows('admissionregistration.k8s.io', 'v1', false, [
    {
      kind: 'ValidatingWebhookConfiguration',
      plural: 'validatingwebhookconfigurations',
      categories: ['api-extensions'],
    },
    {
      kind: 'MutatingWebhookConfiguration',
      plural: 'mutatingwebhookconfigurations',
      categories: ['api-extensions'],
    },
  ]),
  ...rows('authorization.k8s.io', 'v1', false, [
    { kind: 'SelfSubjectAccessReview', plural: 'selfsubjectaccessreviews', verbs: ['create'] },
  ]),
  ...rows('metrics.k8s.io', 'v1beta1', true, [
    { kind: 'PodMetrics', plural: 'pods', singular: '', verbs: READ_VERBS },
  ]),
  ...rows('authorization.k8s.io', 'v1', false, [
    { kind: 'SelfSubjectAccessReview', plural: 'selfsubjectaccessreviews', verbs: ['create'] },
  ]),
  ...rows('metrics.k8s.io', 'v1beta1', false, [
    { kind: 'NodeMetrics', plural: 'nodes', singular: '', verbs: READ_VERBS },
  ]),
  ...rows('agents.x-k8s.io', 'v1beta1', true, [
    { kind: 'Sandbox', plural: 'sandboxes', shortNames: ['sandbox'], subresources: ['status'], ...CUSTOM },
  ]),
  ...rows('extensions.agents.x-k8s.io', 'v1beta1', true, [
    { kind: 'SandboxTemplate', plural: 'sandboxtemplates', shortNames: ['sandboxtemplate'], ...CUSTOM },
    {
      kind: 'SandboxClaim',
      plural: 'sandboxclaims',
      shortNames: ['sandboxclaim'],
      subresources: ['status'],
      ...CUSTOM,
    },
    {
      kind: 'SandboxWarmPool',
      plural: 'sandboxwarmpools',
      shortNames: ['swp'],
      subresources: ['status', 'scale'],
      scale: SCALE_WITH_SELECTOR,
      ...CUSTOM,
    },
  ]),
];

/** `apps/v1` for a group, `v1` for the core group. */
export function apiVersionOf(r: Pick<ResourceType, 'group' | 'version'>): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`;
}

/** The storage key shared by every version (and view) of one resource. */
export function storageKey(r: Pick<ResourceType, 'group' | 'plural' | 'storedAs'>): string {
  const s = r.storedAs ?? r;
  return `${s.group}/${s.plural}`;
}
