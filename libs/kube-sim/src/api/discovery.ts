// Discovery documents built from the resource table: /version, /api, /apis, /apis/<group>,
// APIResourceLists, and the aggregated form (apidiscovery.k8s.io v2 and v2beta1) that kubectl
// asks for first. Cached per registry version, since CRDs change the table at run time.
import { type ResourceRegistry } from './registry';
import { apiVersionOf, type ResourceType, type Subresource } from './resources';

export const KUBE_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.0' };

export function versionInfo(): Record<string, string> {
  return {
    ...KUBE_VERSION,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.23.4',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

const SUBRESOURCE_VERBS: Record<Subresource, string[]> = {
  status: ['get', 'patch', 'update'],
  scale: ['get', 'patch', 'update'],
  log: ['get'],
  token: ['create'],
};

function subresourceKind(
  r: ResourceType,
  sub: Subresource,
): { group: string; version: string; kind: string } {
  if (sub === 'scale') return { group: 'autoscaling', version: 'v1', kind: 'Scale' };
  if (sub === 'token') return { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' };
  return { group: r.group, version: r.version, kind: r.kind };
}

function groupsOf(registry: ResourceRegistry): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const { group, version } of registry.groupVersions()) {
    if (group === '') continue;
    const list = groups.get(group) ?? [];
    list.push(version);
    groups.set(group, list);
  }
  return groups;
}

function groupEntry(name: string, versions: string[]) {
  const list = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: list, preferredVersion: list[0] };
}

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

export function apiGroupList(registry: ResourceRegistry) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groupsOf(registry)].map(([name, versions]) => groupEntry(name, versions)),
  };
}

export function apiGroup(registry: ResourceRegistry, name: string) {
  const versions = groupsOf(registry).get(name);
  return versions ? { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(name, versions) } : undefined;
}

function resourcesOf(registry: ResourceRegistry, group: string, version: string): ResourceType[] {
  return registry.all().filter((r) => r.group === group && r.version === version);
}

export function apiResourceList(registry: ResourceRegistry, group: string, version: string) {
  const resources = resourcesOf(registry, group, version);
  if (resources.length === 0) return undefined;
  const entries: Record<string, unknown>[] = [];
  for (const r of resources) {
    entries.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories.length ? { categories: r.categories } : {}),
    });
    for (const sub of r.subresources) {
      const k = subresourceKind(r, sub);
      entries.push({
        name: `${r.plural}/${sub}`,
        singularName: '',
        namespaced: r.namespaced,
        ...(sub === 'scale' ? { group: k.group, version: k.version } : {}),
        kind: k.kind,
        verbs: SUBRESOURCE_VERBS[sub],
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group, version }),
    resources: entries,
  };
}

function discoveryResource(r: ResourceType) {
  return {
    resource: r.plural,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
    ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
    ...(r.categories.length ? { categories: r.categories } : {}),
    ...(r.subresources.length
      ? {
          subresources: r.subresources.map((sub) => ({
            subresource: sub,
            responseKind: subresourceKind(r, sub),
            verbs: SUBRESOURCE_VERBS[sub],
          })),
        }
      : {}),
  };
}

export type AggregatedVersion = 'v2' | 'v2beta1';

/** The APIGroupDiscoveryList for `/api` (core only) or `/apis` (every other group). */
export function aggregatedDiscovery(registry: ResourceRegistry, core: boolean, version: AggregatedVersion) {
  const groups = core ? new Map([['', ['v1']]]) : groupsOf(registry);
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: [...groups].map(([name, versions]) => ({
      metadata: name ? { name, creationTimestamp: null } : { creationTimestamp: null },
      versions: versions.map((v) => ({
        version: v,
        resources: resourcesOf(registry, name, v).map(discoveryResource),
        freshness: 'Current',
      })),
    })),
  };
}

/** Which aggregated discovery format an Accept header asks for, if any. */
export function wantsAggregated(accept: string | undefined): AggregatedVersion | undefined {
  if (!accept) return undefined;
  for (const part of accept.split(',')) {
    if (!part.includes('g=apidiscovery.k8s.io') || !part.includes('as=APIGroupDiscoveryList')) continue;
    if (/v=v2(;|$|\s)/.test(part)) return 'v2';
    if (part.includes('v=v2beta1')) return 'v2beta1';
  }
  return undefined;
}
