// What a pod asks of the scheduler and of quotas: effective requests and limits per resource, with
// init containers (max of any one) and native sidecars (restartPolicy Always, summed) counted the way
// the scheduler and the quota admission plugin count them.
import { type Container, type PodSpec, type ResourceList } from '../snapshot';
import { parseQuantity } from '../util/quantity';

export type Amounts = Record<string, number>;

function add(into: Amounts, list: ResourceList | undefined, prefix: string) {
  for (const [resource, value] of Object.entries(list ?? {})) {
    const n = parseQuantity(value);
    if (n !== undefined) into[`${prefix}${resource}`] = (into[`${prefix}${resource}`] ?? 0) + n;
  }
}

function containerAmounts(c: Container): Amounts {
  const amounts: Amounts = {};
  // A limit without a request defaults the request to the limit (API server defaulting).
  add(amounts, { ...c.resources?.limits, ...c.resources?.requests }, 'requests.');
  add(amounts, c.resources?.limits, 'limits.');
  return amounts;
}

function isSidecar(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

/**
 * `requests.cpu`, `requests.memory`, `limits.cpu`, `limits.memory` (and any other resource named in
 * the spec) for the whole pod, in base units (cores, bytes).
 */
export function podAmounts(spec: PodSpec): Amounts {
  const total: Amounts = {};
  const sum = (c: Container) => {
    for (const [k, v] of Object.entries(containerAmounts(c))) total[k] = (total[k] ?? 0) + v;
  };
  spec.containers.forEach(sum);
  (spec.initContainers ?? []).filter(isSidecar).forEach(sum);
  // A regular init container runs alone (beside the sidecars started before it): the pod needs the larger.
  let sidecarsSoFar: Amounts = {};
  for (const init of spec.initContainers ?? []) {
    const own = containerAmounts(init);
    if (isSidecar(init)) {
      for (const [k, v] of Object.entries(own))
        sidecarsSoFar = { ...sidecarsSoFar, [k]: (sidecarsSoFar[k] ?? 0) + v };
      continue;
    }
    for (const [k, v] of Object.entries(own)) {
      const needed = v + (sidecarsSoFar[k] ?? 0);
      if (needed > (total[k] ?? 0)) total[k] = needed;
    }
  }
  add(total, spec.overhead, 'requests.');
  add(total, spec.overhead, 'limits.');
  // Quotas also accept the bare names: `cpu` and `memory` mean requests.
  for (const [k, v] of Object.entries(total)) {
    if (k.startsWith('requests.')) total[k.slice('requests.'.length)] = v;
  }
  return total;
}

/** Containers (and init containers) that set no limit or no request for a resource. */
export function containersMissing(spec: PodSpec, field: 'limits' | 'requests', resource: string): string[] {
  return [...(spec.initContainers ?? []), ...spec.containers]
    .filter(
      (c) =>
        c.resources?.[field]?.[resource] === undefined &&
        !(field === 'requests' && c.resources?.limits?.[resource] !== undefined),
    )
    .map((c) => c.name);
}
