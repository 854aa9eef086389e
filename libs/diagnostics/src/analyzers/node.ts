// Node analyzer: the node-level causes of pod symptoms. NotReady or Unknown nodes; pressure
// conditions (memory, disk, PIDs, network) with the evictions they caused and the containers that
// used more than they requested; evictions whose pressure has since cleared; NoExecute taints the
// pods in scope do not tolerate; pod capacity reached; cordons. Each finding names the pods in scope
// on the node and what they request and limit against allocatable. Pods' own findings (Evicted,
// StuckTerminating, status Unknown) point at their Node, so rank() files them under these.
import { type Evidence, type Finding, type Severity } from '@foxhound/contracts';
import {
  cordonsBlocking,
  describeLoad,
  fullNodesBlocking,
  describeTaint,
  isConditionTaint,
  nodeLoad,
  podsOnNode,
  tolerates,
} from '../causes/node-load';
import { type Eviction, evictionCondition, evictionOf } from '../causes/node-pressure';
import { lookup, type Lookup } from '../lookup';
import { type ClusterSnapshot, type Node, type Pod, type Taint } from '../snapshot';
import { DOCS } from '../util/docs';
import { eventTime, evidence, makeFinding } from '../util/finding';
import { describeRef, refOf } from '../util/refs';
import { formatQuantity, parseQuantity } from '../util/quantity';
import { formatAge, toMillis } from '../util/time';
import { suggestMemoryRequestToUsage } from '../suggestions';
import { type Analyzer } from './types';

const PRESSURE = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'];
/** Evictions within this window count as recurring when there are several. */
const RECENT_EVICTION_MS = 6 * 3600_000;
/** Pods named in one finding; the rest are counted. */
const NAMED_PODS = 5;

const podName = (p: Pod): string => `${p.metadata.namespace}/${p.metadata.name}`;

function podList(pods: Pod[]): string {
  const names = pods.slice(0, NAMED_PODS).map(podName).join(', ');
  return pods.length > NAMED_PODS ? `${names} and ${pods.length - NAMED_PODS} more` : names;
}

/** What one node carries, computed once per analysis. */
interface NodeFacts {
  node: Node;
  /** Pods in scope running (or about to) on it. */
  pods: Pod[];
  evictions: Eviction[];
  /** The snapshot holds only some namespaces: pod counts and requests are lower bounds. */
  partial: boolean;
}

function factsFor(l: Lookup, node: Node, placed: Pod[]): NodeFacts {
  const evictions: Eviction[] = [];
  for (const p of placed) {
    if (p.status?.reason !== 'Evicted') continue;
    const event = l.eventsFor(refOf('Pod', p)).find((e) => e.reason === 'Evicted');
    const e = evictionOf(p, toMillis(event ? eventTime(event) : undefined));
    if (e) evictions.push(e);
  }
  return {
    node,
    pods: podsOnNode(placed, node.metadata.name),
    evictions,
    partial: l.snapshot.namespaces.length > 0,
  };
}

/** The pods in scope on the node, and its load, as evidence every node finding carries. */
function context(f: NodeFacts): Evidence[] {
  const out: Evidence[] = [];
  const scope = f.partial ? 'in scope ' : '';
  if (f.pods.length) out.push(evidence.analysis(`pods ${scope}on the node: ${podList(f.pods)}`));
  const load = nodeLoad(f.node, f.pods);
  if (load.resources.length)
    out.push(
      evidence.analysis(
        `pods ${scope}on the node ${load.resources.map(describeLoad).join('; ')}${load.podCapacity !== undefined ? `; ${load.pods} of ${load.podCapacity} pods` : ''}`,
      ),
    );
  return out;
}

/** Evicted pods, their messages and the containers that used the most above their request. */
function evictionEvidence(evictions: Eviction[]): Evidence[] {
  const out = evictions
    .slice(0, 3)
    .map((e) => evidence.field('status.message', e.pod.status?.message ?? 'Evicted', refOf('Pod', e.pod)));
  const top = evictions
    .flatMap((e) => e.message.containers.map((c) => ({ ...c, pod: e.pod })))
    .sort((a, b) => b.overRequest - a.overRequest)[0];
  if (top && top.overRequest > 0)
    out.push(
      evidence.analysis(
        `${podName(top.pod)} container ${top.container} used ${top.usage} of ${top.resource} against a request of ${top.request}: pods using more than they request are evicted first`,
      ),
    );
  return out;
}

function evictionSummary(evictions: Eviction[], now: number): string {
  const e = evictions[0]!;
  const what = e.message.resource
    ? `it ran low on ${e.message.resource}${e.message.threshold ? ` (eviction threshold ${e.message.threshold}, ${e.message.available} available)` : ''}`
    : e.message.conditions.length
      ? `it had ${e.message.conditions.join(', ')}`
      : 'it reclaimed resources';
  const newest = Math.max(...evictions.map((x) => x.at ?? -Infinity));
  const when = Number.isFinite(newest) ? `, the latest ${formatAge(now - newest)} ago` : '';
  return `the kubelet evicted ${evictions.length} pod(s) in scope because ${what}${when}: ${podList(evictions.map((x) => x.pod))}`;
}

/** Evictions in the recent window; one with no time counts as recent: it is still listed as a failed pod. */
function recentCount(evictions: Eviction[], now: number): number {
  return evictions.filter((e) => e.at === undefined || now - e.at <= RECENT_EVICTION_MS).length;
}

/** A single container's use beyond its request above this share of the node's allocatable makes it the cause. */
const CULPRIT_SHARE = 0.25;
const RESOURCE_OF: Record<string, string> = { MemoryPressure: 'memory', DiskPressure: 'ephemeral-storage' };

/**
 * When one evicted container used far more than it requested (at least a quarter of what the node
 * offers), the pressure is that workload's doing: a finding on the workload, which the node's
 * finding then blames, so the workload ranks as the root cause and the node as the mechanism.
 */
function overRequestCulprit(
  l: Lookup,
  f: NodeFacts,
  evicted: Eviction[],
  condition: string,
): Finding | undefined {
  const resource = RESOURCE_OF[condition];
  const allocatable = parseQuantity(f.node.status?.allocatable?.[resource ?? '']);
  if (!resource || !allocatable) return undefined;
  const top = evicted
    .flatMap((e) => e.message.containers.filter((c) => c.resource === resource).map((c) => ({ ...c, e })))
    .sort((a, b) => b.overRequest - a.overRequest)[0];
  if (!top || top.overRequest < CULPRIT_SHARE * allocatable) return undefined;
  const pod = top.e.pod;
  const podRef = refOf('Pod', pod);
  const workload = l.workloadOf(pod) ?? podRef;
  const spec = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find(
    (c) => c.name === top.container,
  );
  const limit = spec?.resources?.limits?.[resource];
  const usage = formatQuantity(resource, parseQuantity(top.usage) ?? 0);
  const times = evicted.filter(
    (e) => (l.workloadOf(e.pod) ?? refOf('Pod', e.pod)).name === workload.name,
  ).length;
  const share = Math.round(((parseQuantity(top.usage) ?? 0) / allocatable) * 100);
  // On the pod, with its workload as parent: the report names the workload, and rank() weighs it
  // as a pod-level cause, above the workload's own symptoms.
  const finding = makeFinding('node', 'UsageOverRequest', podRef, {
    ...(workload === podRef ? {} : { parent: workload }),
    severity: 'high',
    symptom: `${describeRef(workload)} used ${usage} of ${resource} against a request of ${top.request} on ${describeRef(refOf('Node', f.node))} (${share}% of its allocatable ${formatQuantity(resource, allocatable)})`,
    cause: `container ${top.container} requests ${top.request} of ${resource}${limit !== undefined ? ` with a limit of ${limit}` : ' and sets no limit'}, and grew to ${usage}: it drove ${describeRef(refOf('Node', f.node))} into ${condition} and the kubelet evicted it ${times} time(s); pods using more than they request are evicted first. Set its ${resource} request near its real use, and a limit`,
    evidence: [
      evidence.field('status.message', pod.status?.message ?? 'Evicted', podRef),
      evidence.field(`spec.containers[${top.container}].resources`, spec?.resources ?? {}, podRef),
    ],
    confidence: 0.85,
    docs: DOCS.eviction,
  });
  const largest = Math.max(...l.list('nodes').map((n) => parseQuantity(n.status?.allocatable?.memory) ?? 0));
  const fix =
    resource === 'memory' && spec
      ? suggestMemoryRequestToUsage(l, pod, spec, parseQuantity(top.usage) ?? 0, largest)
      : undefined;
  if (fix) finding.suggestion = fix;
  return finding;
}

/** The scheduler's verdict on a pending pod, as evidence on the pod. */
function scheduledEvidence(p: Pod): Evidence {
  return evidence.field(
    'status.conditions[PodScheduled]',
    p.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message ?? 'Unschedulable',
    refOf('Pod', p),
  );
}

/** Pending pods in scope that only this node could take, by why it cannot. */
interface Blocked {
  cordoned: Pod[];
  full: Pod[];
}

function analyze(l: Lookup, node: Node, placed: Pod[], blocked: Blocked): Finding[] {
  const ref = refOf('Node', node);
  const f = factsFor(l, node, placed);
  const findings: Finding[] = [];
  const conditions = node.status?.conditions ?? [];
  const affected = f.pods.length;
  const scopeNote = affected ? `; ${affected} pod(s) in scope run on it` : '';
  const wholeCluster = l.snapshot.namespaces.length === 0;
  const weighted = (when: Severity, otherwise: Severity): Severity =>
    affected || f.evictions.length || wholeCluster ? when : otherwise;
  const ready = conditions.find((c) => c.type === 'Ready');
  if (ready && ready.status !== 'True') {
    findings.push(
      makeFinding('node', 'NodeNotReady', ref, {
        severity: weighted('critical', 'medium'),
        symptom: `${describeRef(ref)} is ${ready.status === 'Unknown' ? 'not reporting (Ready=Unknown)' : 'NotReady'}${scopeNote}`,
        cause: ready.message ?? ready.reason ?? 'the kubelet reports the node not ready',
        evidence: [
          evidence.field(
            'status.conditions[Ready]',
            `${ready.status} ${ready.reason ?? ''}: ${ready.message ?? ''}`,
          ),
          ...context(f),
        ],
        confidence: 0.85,
        docs: DOCS.nodes,
      }),
    );
  }
  const explained = new Set<Eviction>();
  for (const c of conditions) {
    if (!PRESSURE.includes(c.type) || c.status !== 'True') continue;
    const evicted = f.evictions.filter((e) => evictionCondition(e) === c.type);
    evicted.forEach((e) => explained.add(e));
    const culprit = overRequestCulprit(l, f, evicted, c.type);
    if (culprit) findings.push(culprit);
    findings.push(
      makeFinding('node', c.type, ref, {
        severity: weighted('high', 'medium'),
        symptom: `${describeRef(ref)} reports ${c.type}${scopeNote}`,
        cause: `${c.message ?? `${c.type} is True`}: the kubelet evicts pods and refuses new ones${evicted.length ? `; ${evictionSummary(evicted, l.now)}` : ''}`,
        evidence: [
          evidence.field(`status.conditions[${c.type}]`, `${c.status} ${c.reason ?? ''}: ${c.message ?? ''}`),
          ...evictionEvidence(evicted),
          ...(culprit ? [evidence.analysis(culprit.symptom, culprit.object)] : []),
          ...l
            .eventsFor(ref)
            .filter((e) => e.reason === 'EvictionThresholdMet')
            .slice(0, 1)
            .map((e) => evidence.event(e)),
          ...context(f),
        ],
        confidence: 0.85,
        docs: DOCS.eviction,
      }),
    );
  }
  const unexplained = f.evictions.filter((e) => !explained.has(e));
  if (unexplained.length) {
    // One eviction whose pressure has cleared, its pod replaced, is history; repeated ones recur.
    const recurring = recentCount(unexplained, l.now) >= 2;
    findings.push(
      makeFinding('node', 'Evictions', ref, {
        severity: recurring ? 'medium' : 'low',
        symptom: `${describeRef(ref)} evicted ${unexplained.length} pod(s) in scope`,
        cause: `${evictionSummary(unexplained, l.now)}; the pressure has cleared since, so it can recur while the pods there use more than they request`,
        evidence: [...evictionEvidence(unexplained), ...context(f)],
        confidence: 0.8,
        docs: DOCS.eviction,
      }),
    );
  }
  findings.push(...taintFindings(f, ref));
  // Pods against capacity needs only a count; requests are summed only for a finding's evidence.
  // The scheduler's "Too many pods" counts every namespace, so it is believed even when the pods in
  // scope alone do not fill the node.
  const podCapacity = parseQuantity(node.status?.allocatable?.['pods']);
  if (podCapacity !== undefined && (f.pods.length >= podCapacity || blocked.full.length)) {
    const waiting = blocked.full.length
      ? `; ${blocked.full.length} pending pod(s) in scope may run nowhere else: ${podList(blocked.full)}`
      : '';
    findings.push(
      makeFinding('node', 'PodCapacityReached', ref, {
        severity: blocked.full.length ? 'high' : 'medium',
        symptom: `${describeRef(ref)} runs as many pods as it allows (${podCapacity})${waiting ? `, and ${blocked.full.length} pending pod(s) in scope can run nowhere else` : ''}`,
        cause: `status.allocatable.pods is ${podCapacity}: the scheduler places no further pod there ("Too many pods")${waiting}. Pod capacity comes from the kubelet's maxPods (on EKS, the instance type's ENI and IP limits); add a node or raise maxPods`,
        evidence: [
          evidence.field('status.allocatable.pods', String(podCapacity)),
          ...blocked.full.slice(0, 2).map((p) => scheduledEvidence(p)),
          ...context(f),
        ],
        confidence: 0.9,
        docs: DOCS.scheduling,
      }),
    );
  }
  if (node.spec?.unschedulable) {
    // The node controller stamps the cordon's own taint with the time it was added.
    const cordon = node.spec.taints?.find((t) => t.key === 'node.kubernetes.io/unschedulable') as
      (Taint & { timeAdded?: string }) | undefined;
    const at = toMillis(cordon?.timeAdded);
    const since = at !== undefined ? ` (for ${formatAge(l.now - at)})` : '';
    findings.push(
      makeFinding('node', 'Cordoned', ref, {
        // A cordon is routine maintenance until it is the only thing keeping pods from a place to run.
        severity: blocked.cordoned.length ? 'high' : 'info',
        symptom: `${describeRef(ref)} is cordoned${since}${scopeNote}${blocked.cordoned.length ? `; ${blocked.cordoned.length} pending pod(s) in scope can run nowhere else` : ''}`,
        cause: blocked.cordoned.length
          ? `${describeRef(ref)} is cordoned (spec.unschedulable)${since} and it is the only kind of node these pods may run on (their node selector admits no other), so the scheduler places none of them: ${podList(blocked.cordoned)}; uncordon it once its maintenance is done, or add capacity`
          : 'spec.unschedulable is true: no new pods are placed on it; the pods there keep running until drained',
        evidence: [
          evidence.field('spec.unschedulable', true),
          ...blocked.cordoned.slice(0, 2).map((p) => scheduledEvidence(p)),
          ...context(f),
        ],
        confidence: 0.95,
        docs: DOCS.nodes,
      }),
    );
  }
  return findings;
}

/** NoExecute taints (other than the ones the node's conditions add) that pods in scope on it do not tolerate. */
function taintFindings(f: NodeFacts, ref: ReturnType<typeof refOf>): Finding[] {
  const findings: Finding[] = [];
  for (const taint of f.node.spec?.taints ?? []) {
    if (taint.effect !== 'NoExecute' || isConditionTaint(taint)) continue;
    const intolerant = f.pods.filter((p) => !tolerates(p.spec.tolerations, taint));
    if (!intolerant.length) continue;
    findings.push(
      makeFinding('node', 'NoExecuteTaint', ref, {
        severity: 'high',
        symptom: `${describeRef(ref)} has the taint ${describeTaint(taint)}, which ${intolerant.length} pod(s) in scope on it do not tolerate`,
        cause: `a NoExecute taint evicts every pod without a matching toleration: ${podList(intolerant)}`,
        evidence: [evidence.field('spec.taints', describeTaint(taint)), ...context(f)],
        confidence: 0.85,
        docs: DOCS.taints,
      }),
    );
  }
  return findings;
}

export const nodeAnalyzer: Analyzer = {
  name: 'node',
  kinds: ['Node'],
  analyze(snapshot: ClusterSnapshot): Finding[] {
    const l = lookup(snapshot);
    // Pods by node once, so the analysis stays linear in pods however many nodes there are.
    const byNode = new Map<string, Pod[]>();
    for (const p of l.list('pods')) {
      if (!p.spec.nodeName) continue;
      const list = byNode.get(p.spec.nodeName);
      if (list) list.push(p);
      else byNode.set(p.spec.nodeName, [p]);
    }
    const nodes = l.list('nodes');
    const blockedBy = new Map<string, Blocked>();
    const blockedOn = (name: string): Blocked => {
      let b = blockedBy.get(name);
      if (!b) blockedBy.set(name, (b = { cordoned: [], full: [] }));
      return b;
    };
    for (const p of l.list('pods')) {
      if (p.spec.nodeName || p.status?.phase !== 'Pending') continue;
      for (const n of cordonsBlocking(nodes, p)) blockedOn(n.metadata.name).cordoned.push(p);
      for (const n of fullNodesBlocking(nodes, p)) blockedOn(n.metadata.name).full.push(p);
    }
    return nodes.flatMap((n) =>
      analyze(
        l,
        n,
        byNode.get(n.metadata.name) ?? [],
        blockedBy.get(n.metadata.name) ?? { cordoned: [], full: [] },
      ),
    );
  },
};
