// API discovery over a live API server: the core group (/api/v1) and every group's preferred version
// (/apis, then /apis/<group>/<version>), read concurrently, so a model can learn which custom
// resources exist (cert-manager Certificates, Argo Rollouts, ...) before asking about them. A group
// that cannot be read (an aggregated API whose backend is down answers 503) is a gap, not a failure.
import { KubeApiError, type KubeClient } from '@foxhound/kube';
import { type ApiResource, ClusterReadError, type Discovery } from './reader';

interface ResourceList {
  groupVersion?: string;
  resources?: { name: string; kind: string; namespaced: boolean; verbs?: string[]; shortNames?: string[] }[];
}

interface GroupList {
  groups?: {
    name: string;
    preferredVersion?: { groupVersion: string };
    versions?: { groupVersion: string }[];
  }[];
}

/** Groups Kubernetes itself serves: `apps`, `batch`, `*.k8s.io`; anything else is a custom resource. */
const isBuiltIn = (group: string): boolean =>
  group === '' ||
  ['apps', 'batch', 'autoscaling', 'policy', 'extensions'].includes(group) ||
  group.endsWith('.k8s.io');

const GROUP_READS_IN_FLIGHT = 8;

function resourcesOf(list: ResourceList, group: string): ApiResource[] {
  const apiVersion = list.groupVersion ?? '';
  return (list.resources ?? [])
    .filter((r) => !r.name.includes('/'))
    .map((r) => ({
      apiVersion,
      name: r.name,
      kind: r.kind,
      namespaced: r.namespaced,
      shortNames: r.shortNames ?? [],
      verbs: r.verbs ?? [],
      custom: !isBuiltIn(group),
    }));
}

export async function discover(client: KubeClient): Promise<Discovery> {
  const gaps: string[] = [];
  let core: ResourceList;
  let groups: GroupList;
  try {
    [core, groups] = await Promise.all([
      client.getJson<ResourceList>('/api/v1'),
      client.getJson<GroupList>('/apis'),
    ]);
  } catch (err) {
    const status = err instanceof KubeApiError ? err.status || undefined : undefined;
    throw new ClusterReadError(
      'read API discovery',
      status,
      err instanceof Error ? err.message : String(err),
      {
        cause: err,
      },
    );
  }
  const resources = resourcesOf(core, '');
  const versions = (groups.groups ?? []).flatMap((g) => {
    const gv = g.preferredVersion?.groupVersion ?? g.versions?.[0]?.groupVersion;
    return gv ? [{ group: g.name, gv }] : [];
  });
  let next = 0;
  const worker = async () => {
    while (next < versions.length) {
      const { group, gv } = versions[next++]!;
      try {
        resources.push(...resourcesOf(await client.getJson<ResourceList>(`/apis/${gv}`), group));
      } catch (err) {
        gaps.push(`${gv}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(GROUP_READS_IN_FLIGHT, versions.length) }, worker));
  resources.sort((a, b) => a.apiVersion.localeCompare(b.apiVersion) || a.name.localeCompare(b.name));
  return { resources, gaps: gaps.sort() };
}
