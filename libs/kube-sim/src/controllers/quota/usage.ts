// What counts against a ResourceQuota: each object's usage in quota resource names (pods and their
// compute, services and node ports, claims and storage, `count/<resource>` for anything), whether
// a quota's scopes select a pod, and a namespace's current usage recomputed from live objects, as
// the quota controller's evaluators compute it.
import { type ResourceType } from '../../api/resources';
import { type KubeStore } from '../../store';
import { type KubeObject } from '../../types';
import { parseQuantity, addResourceLists, ZERO, type Quantity, type ResourceList } from './quantity';
import { podQuotaUsage } from './pod-resources';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ONE: Quantity = parseQuantity('1')!;
/** Object counts that have a legacy quota name besides `count/<resource>`. */
const LEGACY_COUNTS = new Set([
  'services',
  'configmaps',
  'secrets',
  'persistentvolumeclaims',
  'replicationcontrollers',
  'resourcequotas',
]);
/** Quota keys the pod evaluator computes, besides `requests.*`, `limits.*` and `hugepages-*`. */
const POD_KEYS = new Set(['pods', 'cpu', 'memory', 'ephemeral-storage']);

export function resourceName(r: Pick<ResourceType, 'plural' | 'group'>): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

/** What one object uses, in quota names. */
export function objectUsage(r: ResourceType, o: KubeObject): ResourceList {
  const name = resourceName(r);
  if (name === 'pods') return podQuotaUsage(o);
  const out: ResourceList = new Map([[`count/${name}`, ONE]]);
  if (LEGACY_COUNTS.has(name)) out.set(name, ONE);
  const spec = (o as Json).spec ?? {};
  if (name === 'services') {
    const ports = Array.isArray(spec.ports) ? spec.ports.length : 0;
    if (spec.type === 'LoadBalancer') out.set('services.loadbalancers', ONE);
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer')
      out.set('services.nodeports', { nanos: BigInt(ports) * ONE.nanos, format: 'DecimalSI' });
  }
  if (name === 'persistentvolumeclaims') {
    const storage = parseQuantity(spec.resources?.requests?.storage);
    if (storage) out.set('requests.storage', storage);
    const sc = spec.storageClassName;
    if (typeof sc === 'string' && sc) {
      out.set(`${sc}.storageclass.storage.k8s.io/persistentvolumeclaims`, ONE);
      if (storage) out.set(`${sc}.storageclass.storage.k8s.io/requests.storage`, storage);
    }
  }
  return out;
}

function isBestEffort(pod: KubeObject): boolean {
  const spec = (pod as Json).spec ?? {};
  const all = [...(spec.containers ?? []), ...(spec.initContainers ?? [])] as Json[];
  return all.every((c) =>
    ['requests', 'limits'].every((k) => !c.resources?.[k]?.cpu && !c.resources?.[k]?.memory),
  );
}

function scopeSelects(scope: string, pod: KubeObject, expression?: Json): boolean {
  const spec = (pod as Json).spec ?? {};
  switch (scope) {
    case 'Terminating':
      return typeof spec.activeDeadlineSeconds === 'number' && spec.activeDeadlineSeconds >= 0;
    case 'NotTerminating':
      return !(typeof spec.activeDeadlineSeconds === 'number' && spec.activeDeadlineSeconds >= 0);
    case 'BestEffort':
      return isBestEffort(pod);
    case 'NotBestEffort':
      return !isBestEffort(pod);
    case 'PriorityClass': {
      const pc: string | undefined = spec.priorityClassName || undefined;
      const values: string[] = expression?.values ?? [];
      switch (expression?.operator ?? 'Exists') {
        case 'In':
          return pc !== undefined && values.includes(pc);
        case 'NotIn':
          return pc === undefined || !values.includes(pc);
        case 'Exists':
          return pc !== undefined;
        case 'DoesNotExist':
          return pc === undefined;
      }
      return false;
    }
    default:
      // CrossNamespacePodAffinity and scopes this simulation does not know select nothing.
      return false;
  }
}

function isScoped(quota: KubeObject): boolean {
  const spec = (quota as Json).spec ?? {};
  return (spec.scopes?.length ?? 0) > 0 || (spec.scopeSelector?.matchExpressions?.length ?? 0) > 0;
}

/** Whether `quota` tracks object `o` of resource `r` (scoped quotas track only the pods they select). */
export function quotaTracks(quota: KubeObject, r: ResourceType, o: KubeObject): boolean {
  if (!isScoped(quota)) return true;
  if (resourceName(r) !== 'pods') return false;
  const spec = (quota as Json).spec;
  const scopes: string[] = spec.scopes ?? [];
  const expressions: Json[] = spec.scopeSelector?.matchExpressions ?? [];
  return scopes.every((s) => scopeSelects(s, o)) && expressions.every((e) => scopeSelects(e.scopeName, o, e));
}

/** The resource whose objects a quota key counts, or undefined when no evaluator knows the key. */
function evaluatedResource(key: string): string | undefined {
  if (key.startsWith('count/')) return key.slice('count/'.length);
  if (LEGACY_COUNTS.has(key)) return key;
  if (key.startsWith('services.')) return 'services';
  if (key === 'requests.storage' || key.includes('.storageclass.storage.k8s.io/'))
    return 'persistentvolumeclaims';
  if (POD_KEYS.has(key) || /^(requests\.|limits\.|hugepages-)/.test(key)) return 'pods';
  return undefined;
}

/**
 * Current usage of `keys` in the namespace, from live objects. Keys no evaluator knows are left
 * out (their status.used stays as it was); known keys with no usage are zero.
 */
export function namespaceUsage(
  store: KubeStore,
  namespace: string,
  quota: KubeObject,
  keys: string[],
): ResourceList {
  const byResource = new Map<string, string[]>();
  for (const key of keys) {
    const resource = evaluatedResource(key);
    if (resource) byResource.set(resource, [...(byResource.get(resource) ?? []), key]);
  }
  const used: ResourceList = new Map();
  for (const [resource, wanted] of byResource) {
    let r: ResourceType;
    try {
      r = store.resource(resource);
    } catch {
      continue; // count/<something this server does not serve>
    }
    let total: ResourceList = new Map(wanted.map((k) => [k, ZERO]));
    for (const o of store.list(r, { namespace }).items) {
      if (o.metadata.deletionTimestamp || !quotaTracks(quota, r, o)) continue;
      const usage = objectUsage(r, o);
      total = addResourceLists(
        total,
        new Map(wanted.filter((k) => usage.has(k)).map((k) => [k, usage.get(k)!])),
      );
    }
    for (const [k, v] of total) used.set(k, v);
  }
  return used;
}
