// The kinds the agent's tools can name, with the spellings people and models use for them
// (`deploy`, `Deployment`, `deployments`) and whether they live in a namespace. Secrets are left
// out on purpose: the executor's ServiceAccount may not read them.
import { resourcePath, SNAPSHOT_RESOURCES } from '@foxhound/contracts';
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

/**
 * The kinds the tools can name (no Secrets), with the short names people and models use for them;
 * a kind's own names (`deployments`, `Deployment`, `Deployments`) always work too.
 */
const ALIASES: Readonly<Partial<Record<SnapshotKind, readonly string[]>>> = {
  pods: ['po'],
  deployments: ['deploy'],
  replicaSets: ['rs'],
  statefulSets: ['sts'],
  daemonSets: ['ds'],
  jobs: [],
  cronJobs: ['cj'],
  services: ['svc'],
  endpoints: ['ep'],
  ingresses: ['ing'],
  networkPolicies: ['netpol'],
  persistentVolumeClaims: ['pvc'],
  configMaps: ['cm'],
  serviceAccounts: ['sa'],
  roles: [],
  roleBindings: [],
  clusterRoles: [],
  clusterRoleBindings: [],
  resourceQuotas: ['quota'],
  limitRanges: ['limits'],
  horizontalPodAutoscalers: ['hpa'],
  podDisruptionBudgets: ['pdb'],
  events: ['ev'],
  namespaces: ['ns'],
  nodes: ['no'],
  persistentVolumes: ['pv'],
  storageClasses: ['sc'],
  ingressClasses: [],
  validatingWebhookConfigurations: [],
  mutatingWebhookConfigurations: [],
};

const TABLE: KindInfo[] = Object.entries(ALIASES).map(([kind, aliases]) => {
  const resource = SNAPSHOT_RESOURCES[kind as SnapshotKind];
  return { ...resource, kind: kind as SnapshotKind, apiKind: resource.kind, aliases: aliases ?? [] };
});

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
  return resourcePath(SNAPSHOT_RESOURCES[info.kind], namespace, name);
}
