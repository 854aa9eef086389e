// What a node carries against what it offers: pods against its pod capacity, the requests and limits
// of the pods placed on it against allocatable CPU and memory (limits above allocatable mean the node
// can run out before any container reaches its own limit), and which taints its pods do not tolerate.
// https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
import { type Node, type Pod, type Taint, type Toleration } from '../snapshot';
import { formatQuantity, parseQuantity } from '../util/quantity';
import { matchesLabels } from '../util/selectors';
import { podAmounts } from './requests';

/** Does one toleration match the taint: same key (or an empty key with Exists), value and effect. */
function matches(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if ((t.operator ?? 'Equal') === 'Exists') return !t.key || t.key === taint.key;
  return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
}

export function tolerates(tolerations: Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => matches(t, taint));
}

export const describeTaint = (t: Taint): string => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;

/** Taints the kubelet and node controller add themselves, explained by the node's own conditions. */
const CONDITION_TAINTS = new Set([
  'node.kubernetes.io/not-ready',
  'node.kubernetes.io/unreachable',
  'node.kubernetes.io/unschedulable',
  'node.kubernetes.io/memory-pressure',
  'node.kubernetes.io/disk-pressure',
  'node.kubernetes.io/pid-pressure',
  'node.kubernetes.io/network-unavailable',
]);

export const isConditionTaint = (t: Taint): boolean => CONDITION_TAINTS.has(t.key);

/** Pods that hold the node's resources: scheduled there and not finished. */
export function podsOnNode(pods: Pod[], node: string): Pod[] {
  return pods.filter(
    (p) => p.spec.nodeName === node && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
  );
}

export interface ResourceLoad {
  resource: 'cpu' | 'memory';
  requested: number;
  limits: number;
  allocatable: number;
}

export interface NodeLoad {
  pods: number;
  /** allocatable.pods, when the node reports it. */
  podCapacity?: number;
  resources: ResourceLoad[];
}

export function nodeLoad(node: Node, pods: Pod[]): NodeLoad {
  const running = podsOnNode(pods, node.metadata.name);
  const totals: Record<string, number> = {};
  for (const p of running)
    for (const [k, v] of Object.entries(podAmounts(p.spec))) totals[k] = (totals[k] ?? 0) + v;
  const allocatable = node.status?.allocatable ?? {};
  const resources: ResourceLoad[] = [];
  for (const resource of ['cpu', 'memory'] as const) {
    const offered = parseQuantity(allocatable[resource]);
    if (offered === undefined || offered <= 0) continue;
    resources.push({
      resource,
      requested: totals[`requests.${resource}`] ?? 0,
      limits: totals[`limits.${resource}`] ?? 0,
      allocatable: offered,
    });
  }
  const podCapacity = parseQuantity(allocatable['pods']);
  return { pods: running.length, ...(podCapacity === undefined ? {} : { podCapacity }), resources };
}

const pct = (part: number, whole: number): string => `${Math.round((part / whole) * 100)}%`;

/** "memory: requests 3Gi (75%), limits 7Gi (175%) of 4Gi allocatable". */
export function describeLoad(r: ResourceLoad): string {
  return `${r.resource}: requests ${formatQuantity(r.resource, r.requested)} (${pct(r.requested, r.allocatable)}), limits ${formatQuantity(r.resource, r.limits)} (${pct(r.limits, r.allocatable)}) of ${formatQuantity(r.resource, r.allocatable)} allocatable`;
}

/** The nodes a pod's node selector admits (every node when it has none). */
export function eligibleNodes(nodes: Node[], pod: Pod): Node[] {
  return nodes.filter(
    (n) => !pod.spec.nodeSelector || matchesLabels(n.metadata.labels, pod.spec.nodeSelector),
  );
}

/**
 * The cordoned nodes that keep a pending pod from being scheduled: the scheduler called nodes
 * unschedulable, and every node the pod's node selector admits is cordoned. Empty otherwise.
 */
export function cordonsBlocking(nodes: Node[], pod: Pod): Node[] {
  if (pod.spec.nodeName) return [];
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (!scheduled || !/were unschedulable|node\.kubernetes\.io\/unschedulable/.test(scheduled.message ?? ''))
    return [];
  const eligible = eligibleNodes(nodes, pod);
  return eligible.length > 0 && eligible.every((n) => n.spec?.unschedulable) ? eligible : [];
}

/**
 * The full nodes that keep a pending pod from being scheduled: the scheduler reported "Too many
 * pods" for as many nodes as the pod's node selector admits. Empty otherwise.
 */
export function fullNodesBlocking(nodes: Node[], pod: Pod): Node[] {
  if (pod.spec.nodeName) return [];
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  const full = /(\d+) Too many pods/.exec(scheduled?.message ?? '');
  if (!full) return [];
  const eligible = eligibleNodes(nodes, pod);
  return eligible.length > 0 && eligible.length <= Number(full[1]) ? eligible : [];
}

export interface HostPortHolder {
  port: number;
  protocol: string;
  /** A running pod that already binds the port on its node. */
  holder: Pod;
}

/** The host ports a pod asks for, as `9100/TCP`. */
function hostPorts(pod: Pod): { port: number; protocol: string }[] {
  return [...(pod.spec.initContainers ?? []), ...pod.spec.containers].flatMap((c) =>
    (c.ports ?? []).flatMap((p) => {
      const host = (p as { hostPort?: number }).hostPort;
      return host ? [{ port: host, protocol: p.protocol ?? 'TCP' }] : [];
    }),
  );
}

/**
 * The pods already holding a host port a pending pod asks for: the scheduler's NodePorts filter
 * ("node(s) didn't have free ports for the requested pod ports") rejects every node where one runs.
 */
export function hostPortHolders(pods: Pod[], pod: Pod): HostPortHolder[] {
  const wanted = hostPorts(pod);
  if (!wanted.length) return [];
  const out: HostPortHolder[] = [];
  for (const other of pods) {
    if (
      other === pod ||
      !other.spec.nodeName ||
      other.status?.phase === 'Succeeded' ||
      other.status?.phase === 'Failed'
    )
      continue;
    for (const held of hostPorts(other)) {
      const clash = wanted.find((w) => w.port === held.port && w.protocol === held.protocol);
      if (clash) out.push({ ...clash, holder: other });
    }
  }
  return out;
}
