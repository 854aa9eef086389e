// Node analyzer: the node-level causes of pod symptoms. NotReady or Unknown nodes; pressure
// conditions (memory, disk, PIDs, network) with the evictions they caused and the containers that
// used more than they requested; evictions whose pressure has since cleared; NoExecute taints the
// pods in scope do not tolerate; pod capacity reached; cordons. Each finding names the pods in scope
// on the node and what they request and limit against allocatable. Pods' own findings (Evicted,
// StuckTerminating, status Unknown) point at their Node, so rank() files them under these.
import { type Evidence, type Finding, type Severity } from '@foxhound/contracts';
import {
  describeLoad,
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
import { formatAge, toMillis } from '../util/time';
import { type Analyzer } from './types';

const PRESSURE = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'];
/** Evictions older than this are history: still named, at low severity. */
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

function isRecent(evictions: Eviction[], now: number): boolean {
  // An eviction with no time is treated as recent: it is still listed as a failed pod.
  return evictions.some((e) => e.at === undefined || now - e.at <= RECENT_EVICTION_MS);
}

function analyze(l: Lookup, node: Node, placed: Pod[]): Finding[] {
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
    findings.push(
      makeFinding('node', c.type, ref, {
        severity: weighted('high', 'medium'),
        symptom: `${describeRef(ref)} reports ${c.type}${scopeNote}`,
        cause: `${c.message ?? `${c.type} is True`}: the kubelet evicts pods and refuses new ones${evicted.length ? `; ${evictionSummary(evicted, l.now)}` : ''}`,
        evidence: [
          evidence.field(`status.conditions[${c.type}]`, `${c.status} ${c.reason ?? ''}: ${c.message ?? ''}`),
          ...evictionEvidence(evicted),
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
    const recent = isRecent(unexplained, l.now);
    findings.push(
      makeFinding('node', 'Evictions', ref, {
        severity: recent ? 'high' : 'low',
        symptom: `${describeRef(ref)} evicted ${unexplained.length} pod(s) in scope`,
        cause: `${evictionSummary(unexplained, l.now)}; the pressure has cleared since, so it can recur while the pods there use more than they request`,
        evidence: [...evictionEvidence(unexplained), ...context(f)],
        confidence: 0.8,
        docs: DOCS.eviction,
      }),
    );
  }
  findings.push(...taintFindings(f, ref));
  const load = nodeLoad(node, f.pods);
  if (load.podCapacity !== undefined && load.pods >= load.podCapacity) {
    findings.push(
      makeFinding('node', 'PodCapacityReached', ref, {
        severity: 'medium',
        symptom: `${describeRef(ref)} runs ${load.pods} pods, its allocatable maximum`,
        cause: `status.allocatable.pods is ${load.podCapacity}: the scheduler places no further pod there ("Too many pods")`,
        evidence: [evidence.field('status.allocatable.pods', String(load.podCapacity)), ...context(f)],
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
    findings.push(
      makeFinding('node', 'Cordoned', ref, {
        severity: 'info',
        symptom: `${describeRef(ref)} is cordoned${at !== undefined ? ` (for ${formatAge(l.now - at)})` : ''}${scopeNote}`,
        cause:
          'spec.unschedulable is true: no new pods are placed on it; the pods there keep running until drained',
        evidence: [evidence.field('spec.unschedulable', true), ...context(f)],
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
    return l.list('nodes').flatMap((n) => analyze(l, n, byNode.get(n.metadata.name) ?? []));
  },
};
