// The kubelet's node-pressure eviction, read from what it writes: the eviction message on each pod
// it evicted (pkg/kubelet/eviction/helpers.go: "The node was low on resource: memory. Threshold
// quantity: 100Mi, available: 74392Ki. Container app was using 1578624Ki, request is 256Mi, has
// larger consumption of memory. "), the admission refusal of a node under pressure ("The node had
// condition: [DiskPressure]. "), and which node condition each starved resource raises.
// https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/
import { type Pod } from '../snapshot';
import { parseQuantity } from '../util/quantity';
import { toMillis } from '../util/time';

export interface ContainerUse {
  container: string;
  /** As the kubelet printed it: `1578624Ki`. */
  usage: string;
  request: string;
  resource: string;
  /** Usage above the request, in base units (bytes, cores, count); 0 when not parseable. */
  overRequest: number;
}

export interface EvictionMessage {
  /** The starved resource: `memory`, `ephemeral-storage`, `pids`. */
  resource?: string;
  threshold?: string;
  available?: string;
  /** The evicted pod's containers using more than they request, largest overuse first. */
  containers: ContainerUse[];
  /** Conditions named by an admission refusal: the pod was never started on the node. */
  conditions: string[];
}

const LOW = /The node was low on resource: ([\w./-]+)\./;
const THRESHOLD = /Threshold quantity: ([^,]+), available: (-?[\d.]+[A-Za-z]*)\./;
const CONTAINER =
  /Container (\S+) was using (\S+), request is (\S+), has larger consumption of ([\w./-]+)\./g;
const HAD_CONDITION = /The node had condition: \[([^\]]*)\]/;

/** The parts of a kubelet eviction message; undefined when the message is not one. */
export function parseEvictionMessage(message: string | undefined): EvictionMessage | undefined {
  if (!message) return undefined;
  const low = LOW.exec(message);
  const had = HAD_CONDITION.exec(message);
  if (!low && !had) return undefined;
  const threshold = THRESHOLD.exec(message);
  const containers: ContainerUse[] = [];
  for (const m of message.matchAll(CONTAINER)) {
    const usage = parseQuantity(m[2]);
    const request = parseQuantity(m[3]);
    containers.push({
      container: m[1]!,
      usage: m[2]!,
      request: m[3]!,
      resource: m[4]!,
      overRequest: usage !== undefined && request !== undefined ? Math.max(0, usage - request) : 0,
    });
  }
  containers.sort((a, b) => b.overRequest - a.overRequest);
  return {
    resource: low?.[1],
    threshold: threshold?.[1]?.trim(),
    available: threshold?.[2],
    containers,
    conditions: had ? had[1]!.split(/[\s,]+/).filter(Boolean) : [],
  };
}

/** The node condition a starved eviction signal raises (memory.available → MemoryPressure, ...). */
export function conditionFor(resource: string | undefined): string | undefined {
  if (!resource) return undefined;
  if (resource === 'memory') return 'MemoryPressure';
  if (resource === 'pids') return 'PIDPressure';
  if (/ephemeral-storage|nodefs|imagefs|containerfs|storage/.test(resource)) return 'DiskPressure';
  return undefined;
}

export interface Eviction {
  pod: Pod;
  message: EvictionMessage;
  /** When the kubelet evicted it, when the pod says (DisruptionTarget condition, or an event). */
  at?: number;
}

/** A pod the kubelet evicted, with its parsed message; undefined for any other pod. */
export function evictionOf(pod: Pod, eventTime?: number): Eviction | undefined {
  if (pod.status?.reason !== 'Evicted') return undefined;
  const message = parseEvictionMessage(pod.status.message) ?? { containers: [], conditions: [] };
  const condition = (type: string) => pod.status?.conditions?.find((c) => c.type === type);
  // The kubelet marks the pod (DisruptionTarget, 1.26+) and it stops being Ready when evicted.
  const ready = condition('Ready');
  const at =
    toMillis(condition('DisruptionTarget')?.lastTransitionTime) ??
    eventTime ??
    (ready?.status === 'False' ? toMillis(ready.lastTransitionTime) : undefined);
  return { pod, message, ...(at === undefined ? {} : { at }) };
}

/** The condition an eviction was for: the starved resource's, or the one an admission refusal names. */
export function evictionCondition(e: Eviction): string | undefined {
  return conditionFor(e.message.resource) ?? e.message.conditions[0];
}
