// Where a new pod goes, as the default scheduler's filters decide it, in its plugin order
// (VolumeBinding's PreFilter, then per node NodeUnschedulable, TaintToleration, NodeAffinity,
// NodePorts, NodeResourcesFit, InterPodAffinity: the first failing one names the node's reason)
// and with its exact refusal:
// `0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No
// preemption victims found for incoming pod.` Among feasible nodes the least allocated wins.
// Pure: the kubelet simulation passes the nodes, the pods already bound and the claims.
import { type KubeObject, type StoredObject } from '../../types';
import { podRequests } from '../quota/pod-resources';
import { interPodAffinity, nodePorts, type NamespaceLabels, type PlacedPod } from './pod-affinity';
import { parseResourceList, type ResourceList } from '../quota/quantity';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type ScheduleResult = { node: StoredObject } | { message: string };

interface NodeVerdict {
  reasons: string[];
  /** Whether preempting lower-priority pods could help (Unschedulable, not UnschedulableAndUnresolvable). */
  resolvable: boolean;
}

function tolerates(tolerations: Json[], taint: Json): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

function matchesExpression(value: string | undefined, e: Json): boolean {
  const values: string[] = e.values ?? [];
  switch (e.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const n = Number(value);
      const bound = Number(values[0]);
      if (value === undefined || !Number.isInteger(n) || !Number.isInteger(bound)) return false;
      return e.operator === 'Gt' ? n > bound : n < bound;
    }
  }
  return false;
}

function matchesAffinity(pod: Json, node: StoredObject): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries((pod.spec?.nodeSelector ?? {}) as Record<string, string>)) {
    if (labels[k] !== v) return false;
  }
  const terms: Json[] =
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  if (!terms.length) return true;
  return terms.some(
    (t) =>
      ((t.matchExpressions ?? []) as Json[]).every((e) => matchesExpression(labels[e.key], e)) &&
      ((t.matchFields ?? []) as Json[]).every((e) =>
        matchesExpression(e.key === 'metadata.name' ? node.metadata.name : undefined, e),
      ),
  );
}

/**
 * Whether a DaemonSet should run a pod with this spec on the node (daemon controller
 * NodeShouldRunDaemonPod): its node selector and required node affinity match, and it tolerates
 * the node's NoSchedule and NoExecute taints. Resources and ports are the scheduler's business.
 */
export function daemonFits(podSpec: Json, node: StoredObject): boolean {
  const tolerations: Json[] = podSpec.tolerations ?? [];
  const taints: Json[] = (node as Json).spec?.taints ?? [];
  const tolerated = taints.every(
    (t) => (t.effect !== 'NoSchedule' && t.effect !== 'NoExecute') || tolerates(tolerations, t),
  );
  return tolerated && matchesAffinity({ spec: podSpec }, node);
}

function allocatable(node: StoredObject): ResourceList {
  const status: Json = (node as Json).status ?? {};
  return parseResourceList(status.allocatable ?? status.capacity);
}

function isReady(node: StoredObject): boolean {
  return ((node as Json).status?.conditions ?? []).some(
    (c: Json) => c.type === 'Ready' && c.status === 'True',
  );
}

function judge(
  pod: Json,
  node: StoredObject,
  bound: KubeObject[],
  placed: PlacedPod[],
  namespaceLabels: NamespaceLabels,
): NodeVerdict {
  const fail = (reason: string, resolvable = false): NodeVerdict => ({ reasons: [reason], resolvable });
  const tolerations: Json[] = pod.spec?.tolerations ?? [];
  // NodeUnschedulable: a cordoned node takes only pods tolerating its unschedulable taint (daemons).
  const cordon = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };
  if ((node as Json).spec?.unschedulable && !tolerates(tolerations, cordon)) {
    return fail('node(s) were unschedulable');
  }
  const taints: Json[] = [...((node as Json).spec?.taints ?? [])];
  if (!isReady(node)) taints.unshift({ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' });
  const untolerated = taints.find(
    (t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tolerations, t),
  );
  if (untolerated)
    return fail(`node(s) had untolerated taint {${untolerated.key}: ${untolerated.value ?? ''}}`);
  if (!matchesAffinity(pod, node)) return fail("node(s) didn't match Pod's node affinity/selector");
  const ports = nodePorts(pod as KubeObject, bound);
  if (ports) return fail(ports.reason, ports.resolvable);
  const free = allocatable(node);
  const requests = podRequests(pod as KubeObject);
  const used = bound.map((p) => podRequests(p));
  const reasons: string[] = [];
  const maxPods = free.get('pods');
  if (maxPods && BigInt(bound.length + 1) * 1_000_000_000n > maxPods.nanos) reasons.push('Too many pods');
  for (const [resource, want] of requests) {
    if (want.nanos === 0n) continue;
    const have = free.get(resource);
    const taken = used.reduce((n, u) => n + (u.get(resource)?.nanos ?? 0n), 0n);
    if (!have || taken + want.nanos > have.nanos) reasons.push(`Insufficient ${resource}`);
  }
  if (reasons.length) return { reasons, resolvable: true };
  const affinity = interPodAffinity(pod as KubeObject, node, placed, namespaceLabels);
  return affinity ? fail(affinity.reason, affinity.resolvable) : { reasons: [], resolvable: true };
}

/** `3 Insufficient memory, 1 node(s) were unschedulable`: counts per reason, sorted as strings. */
function histogram(reasons: string[]): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts]
    .map(([r, n]) => `${n} ${r}`)
    .sort()
    .join(', ');
}

/** Fraction of the node's memory and cpu in use, for the least-allocated choice. */
function load(node: StoredObject, bound: KubeObject[]): number {
  const free = allocatable(node);
  let worst = 0;
  for (const resource of ['cpu', 'memory']) {
    const have = free.get(resource)?.nanos ?? 0n;
    if (have === 0n) continue;
    const taken = bound.reduce((n, p) => n + (podRequests(p).get(resource)?.nanos ?? 0n), 0n);
    worst = Math.max(worst, Number((taken * 10_000n) / have) / 10_000);
  }
  return worst;
}

/**
 * The VolumeBinding PreFilter refusal of a pod whose claims are missing or not bound yet, if any.
 * A claim whose class waits for its first consumer is no refusal: it is provisioned for the pod.
 */
function volumeRefusal(
  pod: Json,
  claims: (name: string) => KubeObject | undefined,
  waitsForConsumer: (claim: KubeObject) => boolean,
): string | undefined {
  for (const v of (pod.spec?.volumes ?? []) as Json[]) {
    const name = v.persistentVolumeClaim?.claimName;
    if (!name) continue;
    const claim = claims(name) as Json | undefined;
    if (!claim) return `persistentvolumeclaim "${name}" not found`;
    if (claim.status?.phase !== 'Bound' && !waitsForConsumer(claim as KubeObject))
      return 'pod has unbound immediate PersistentVolumeClaims';
  }
  return undefined;
}

export function schedule(
  pod: KubeObject,
  nodes: StoredObject[],
  podsOnNode: (node: string) => KubeObject[],
  claims: (name: string) => KubeObject | undefined,
  namespaceLabels: NamespaceLabels = () => undefined,
  waitsForConsumer: (claim: KubeObject) => boolean = () => false,
): ScheduleResult {
  const n = nodes.length;
  if (n === 0) return { message: 'no nodes available to schedule pods' };
  const refusal = volumeRefusal(pod as Json, claims, waitsForConsumer);
  if (refusal) {
    return {
      message: `0/${n} nodes are available: ${refusal}. preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`,
    };
  }
  const verdicts = nodes.map((node) => ({
    node,
    bound: podsOnNode(node.metadata.name),
    verdict: { reasons: [], resolvable: true } as NodeVerdict,
  }));
  const placed: PlacedPod[] = verdicts.flatMap((v) =>
    v.bound.map((p) => ({ pod: p, nodeLabels: v.node.metadata.labels ?? {} })),
  );
  for (const v of verdicts) v.verdict = judge(pod as Json, v.node, v.bound, placed, namespaceLabels);
  const feasible = verdicts.filter((v) => v.verdict.reasons.length === 0);
  if (feasible.length) {
    feasible.sort(
      (a, b) =>
        load(a.node, a.bound) - load(b.node, b.bound) ||
        (a.node.metadata.name < b.node.metadata.name ? -1 : 1),
    );
    return { node: feasible[0].node };
  }
  const reasons = histogram(verdicts.flatMap((v) => v.verdict.reasons));
  const preemption = histogram(
    verdicts.map((v) =>
      v.verdict.resolvable
        ? 'No preemption victims found for incoming pod'
        : 'Preemption is not helpful for scheduling',
    ),
  );
  return {
    message: `0/${n} nodes are available: ${reasons}. preemption: 0/${n} nodes are available: ${preemption}.`,
  };
}
