// What a pod asks for, by the real rules (k8s.io/component-helpers resource.PodRequests/PodLimits):
// the sum over containers, against the largest init container (restartable "sidecar" init
// containers add to both), plus pod overhead; and the pod's usage in quota terms (podEvaluator:
// `pods`, `count/pods`, `requests.cpu` and its legacy alias `cpu`, `limits.memory`, extended
// resources as `requests.<name>`). The scheduler sim reuses podRequests for its fit check.
import { type KubeObject } from '../../types';
import {
  addQuantities,
  addResourceLists,
  maxResourceLists,
  parseQuantity,
  parseResourceList,
  type Quantity,
  type ResourceList,
} from './quantity';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ONE: Quantity = parseQuantity('1')!;
const STANDARD = ['cpu', 'memory', 'ephemeral-storage'];
/** Resources whose quota makes every container declare them (the "must specify" rule). */
export const MUST_SPECIFY = new Set([
  'cpu',
  'memory',
  'requests.cpu',
  'requests.memory',
  'limits.cpu',
  'limits.memory',
]);

function containers(pod: KubeObject, field: 'containers' | 'initContainers'): Json[] {
  const list = (pod as Json).spec?.[field];
  return Array.isArray(list) ? list : [];
}

/**
 * A container's requests as the API server stores them: a resource with a limit and no request
 * requests its limit (pod defaulting does this on create).
 */
export function containerRequests(c: Json): ResourceList {
  const requests = parseResourceList(c.resources?.requests);
  for (const [k, v] of parseResourceList(c.resources?.limits)) if (!requests.has(k)) requests.set(k, v);
  return requests;
}

export function containerLimits(c: Json): ResourceList {
  return parseResourceList(c.resources?.limits);
}

function aggregate(pod: KubeObject, of: (c: Json) => ResourceList): ResourceList {
  let total: ResourceList = new Map();
  for (const c of containers(pod, 'containers')) total = addResourceLists(total, of(c));
  let restartable: ResourceList = new Map();
  let initMax: ResourceList = new Map();
  for (const c of containers(pod, 'initContainers')) {
    let effective = of(c);
    if (c.restartPolicy === 'Always') {
      // A sidecar runs beside everything after it: it adds to the total and to later init containers.
      total = addResourceLists(total, effective);
      restartable = addResourceLists(restartable, effective);
      effective = restartable;
    } else {
      effective = addResourceLists(effective, restartable);
    }
    initMax = maxResourceLists(initMax, effective);
  }
  return maxResourceLists(total, initMax);
}

export function podRequests(pod: KubeObject): ResourceList {
  const overhead = parseResourceList((pod as Json).spec?.overhead);
  return addResourceLists(aggregate(pod, containerRequests), overhead);
}

export function podLimits(pod: KubeObject): ResourceList {
  const limits = aggregate(pod, containerLimits);
  // Overhead is added only to resources that have a limit at all.
  for (const [k, v] of parseResourceList((pod as Json).spec?.overhead)) {
    const limit = limits.get(k);
    if (limit) limits.set(k, addQuantities(limit, v));
  }
  return limits;
}

/** Requests and limits in quota resource names (podComputeUsageHelper). */
export function computeUsage(requests: ResourceList, limits: ResourceList): ResourceList {
  const out: ResourceList = new Map([['pods', ONE]]);
  for (const r of STANDARD) {
    const request = requests.get(r);
    if (request) {
      out.set(r, request);
      out.set(`requests.${r}`, request);
    }
    const limit = limits.get(r);
    if (limit) out.set(`limits.${r}`, limit);
  }
  for (const [r, q] of requests) {
    if (r.startsWith('hugepages-')) {
      out.set(r, q);
      out.set(`requests.${r}`, q);
    } else if (r.includes('/') && !r.startsWith('kubernetes.io/') && !r.startsWith('requests.')) {
      // Extended resources (nvidia.com/gpu) are quota'd only as requests.<name>.
      out.set(`requests.${r}`, q);
    }
  }
  return out;
}

/** A pod in Succeeded or Failed no longer holds compute quota (QuotaV1Pod). */
export function isTerminalPod(pod: KubeObject): boolean {
  const phase = (pod as Json).status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** The pod's usage of quota resources: `count/pods` always, compute only while it is not terminal. */
export function podQuotaUsage(pod: KubeObject): ResourceList {
  const out: ResourceList = new Map([['count/pods', ONE]]);
  if (isTerminalPod(pod)) return out;
  return addResourceLists(out, computeUsage(podRequests(pod), podLimits(pod)));
}

/**
 * The "must specify" check: when a quota limits cpu or memory, every container must state that
 * request or limit. Returns `limits.memory for: app; requests.cpu for: app,sidecar`, or undefined.
 */
export function missingDeclarations(pod: KubeObject, constrained: string[]): string | undefined {
  const required = constrained.filter((r) => MUST_SPECIFY.has(r));
  if (!required.length) return undefined;
  const missing = new Map<string, string[]>();
  for (const c of [...containers(pod, 'containers'), ...containers(pod, 'initContainers')]) {
    const declared = computeUsage(containerRequests(c), containerLimits(c));
    for (const r of required) {
      if (!declared.has(r)) missing.set(r, [...(missing.get(r) ?? []), String(c.name)]);
    }
  }
  if (!missing.size) return undefined;
  return [...missing]
    .map(([r, names]) => `${r} for: ${[...new Set(names)].sort().join(',')}`)
    .sort()
    .join('; ');
}
