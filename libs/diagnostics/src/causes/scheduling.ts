// Why the scheduler cannot place a pod: the FailedScheduling message split into its per-node
// reasons, and each reason checked against the cluster: requests against each node's free
// allocatable, taints the pod does not tolerate, node selectors no node carries, unbound claims.
import { type Evidence, type ObjectRef } from '@foxhound/contracts';
import { type Lookup } from '../lookup';
import { type Node, type Pod } from '../snapshot';
import { evidence } from '../util/finding';
import { formatQuantity, parseQuantity } from '../util/quantity';
import { refOf } from '../util/refs';
import { formatSelector, matchesLabels } from '../util/selectors';
import { cordonsBlocking, eligibleNodes, fullNodesBlocking, hostPortHolders } from './node-load';
import { podAmounts } from './requests';

export interface SchedulingExplanation {
  text: string;
  evidence: Evidence[];
  culprit?: ObjectRef;
  /** What a change would have to touch to cause this: `requests.memory`, a node selector key. */
  subject?: string;
}

/** `[{ count: 2, reason: 'Insufficient memory' }, ...]` from "0/3 nodes are available: 1 ..., 2 ...". */
export function parseSchedulerMessage(message: string): { count: number; reason: string }[] {
  const m = /nodes are available: (.*?)(?:\. preemption:|$)/.exec(message);
  if (!m) return [];
  return m[1]
    .replace(/\.$/, '')
    .split(/, (?=\d+ )/)
    .map((part) => {
      const p = /^(\d+) (.*)$/.exec(part.trim());
      return p ? { count: Number(p[1]), reason: p[2] } : { count: 0, reason: part.trim() };
    });
}

function isRunning(pod: Pod): boolean {
  return !!pod.spec.nodeName && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
}

const requestedMemo = new WeakMap<Lookup, Map<string, Record<string, number>>>();

/** What the scheduled pods request per node, summed once per snapshot. */
function requestedByNode(l: Lookup): Map<string, Record<string, number>> {
  let byNode = requestedMemo.get(l);
  if (!byNode) {
    byNode = new Map();
    for (const pod of l.snapshot.objects.pods) {
      if (!isRunning(pod)) continue;
      const sums = byNode.get(pod.spec.nodeName!) ?? {};
      for (const [k, v] of Object.entries(podAmounts(pod.spec))) sums[k] = (sums[k] ?? 0) + v;
      byNode.set(pod.spec.nodeName!, sums);
    }
    requestedMemo.set(l, byNode);
  }
  return byNode;
}

/** Per node: allocatable minus what scheduled pods request, for one resource. */
function freeOn(l: Lookup, node: Node, resource: string): { free: number; allocatable: number } | undefined {
  const allocatable = parseQuantity(node.status?.allocatable?.[resource]);
  if (allocatable === undefined) return undefined;
  const requested = requestedByNode(l).get(node.metadata.name)?.[`requests.${resource}`] ?? 0;
  return { free: allocatable - requested, allocatable };
}

function explainInsufficient(l: Lookup, pod: Pod, resource: string): SchedulingExplanation {
  const asks = podAmounts(pod.spec)[`requests.${resource}`] ?? 0;
  const nodes = l.snapshot.objects.nodes.filter((n) => !n.spec?.unschedulable);
  const frees = nodes.flatMap((n) => {
    const f = freeOn(l, n, resource);
    return f ? [{ node: n, ...f }] : [];
  });
  const fmt = (n: number) => formatQuantity(resource, n);
  if (!frees.length) {
    return {
      text: `the pod requests ${fmt(asks)} ${resource} and no node has that much unreserved`,
      evidence: [],
    };
  }
  frees.sort((a, b) => b.free - a.free);
  const best = frees[0];
  const text = `the pod requests ${fmt(asks)} ${resource}, but the most any node has unreserved is ${fmt(Math.max(0, best.free))} (${best.node.metadata.name}: ${fmt(best.allocatable - best.free)} of ${fmt(best.allocatable)} allocatable already requested)`;
  return {
    text,
    evidence: [
      evidence.analysis(
        `pod requests ${resource}=${fmt(asks)}; free per node: ${frees
          .slice(0, 5)
          .map((f) => `${f.node.metadata.name} ${fmt(Math.max(0, f.free))}`)
          .join(', ')}`,
      ),
    ],
  };
}

export function explainUnschedulable(l: Lookup, pod: Pod, message: string): SchedulingExplanation {
  const reasons = parseSchedulerMessage(message);
  const parts: string[] = [];
  const ev: Evidence[] = [];
  let culprit: ObjectRef | undefined;
  let subject: string | undefined;
  for (const { count, reason } of reasons) {
    const insufficient = /^Insufficient (\S+)/.exec(reason);
    const taint = /(?:untolerated taint|had taint) \{([^:}]+):? ?([^}]*)\}/.exec(reason);
    if (insufficient) {
      const x = explainInsufficient(l, pod, insufficient[1]);
      subject ??= `requests.${insufficient[1]}`;
      parts.push(x.text);
      ev.push(...x.evidence);
    } else if (taint) {
      const key = taint[1].trim();
      const tainted = l.snapshot.objects.nodes.filter((n) => n.spec?.taints?.some((t) => t.key === key));
      parts.push(
        `${count} node(s) carry the taint ${key} which the pod does not tolerate${tainted.length ? ` (${tainted.map((n) => n.metadata.name).join(', ')})` : ''}`,
      );
      if (tainted.length === 1 && reasons.length === 1) culprit = refOf('Node', tainted[0]);
      // Every node the pod may run on carries the taint: that node (its condition) keeps it pending.
      const eligible = eligibleNodes(l.snapshot.objects.nodes, pod);
      if (eligible.length && eligible.every((n) => tainted.includes(n))) {
        for (const n of eligible.slice(0, 3))
          ev.push(
            evidence.analysis(
              `every node the pod may run on carries the taint ${key}: ${n.metadata.name}`,
              refOf('Node', n),
            ),
          );
        culprit ??= refOf('Node', eligible[0]!);
      }
      for (const n of tainted.slice(0, 3))
        ev.push(
          evidence.field(
            'spec.taints',
            n.spec?.taints?.filter((t) => t.key === key),
            refOf('Node', n),
          ),
        );
    } else if (
      /didn't match Pod's node affinity\/selector|node\(s\) didn't match node selector/.test(reason)
    ) {
      const selector = pod.spec.nodeSelector;
      const matching = selector
        ? l.snapshot.objects.nodes.filter((n) => matchesLabels(n.metadata.labels, selector)).length
        : undefined;
      parts.push(
        `${count} node(s) do not match the pod's node selector ${formatSelector(selector)}${matching === 0 ? ' (no node has these labels)' : ''}`,
      );
      if (selector) {
        ev.push(evidence.field('spec.nodeSelector', selector));
        subject ??= 'nodeSelector';
      }
    } else if (/unbound immediate PersistentVolumeClaims|persistentvolumeclaim .* not found/i.test(reason)) {
      const claims = (pod.spec.volumes ?? []).flatMap((v) =>
        v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : [],
      );
      const pending = claims.find(
        (c) => l.get('persistentVolumeClaims', pod.metadata.namespace, c)?.status?.phase !== 'Bound',
      );
      parts.push(`its PersistentVolumeClaim ${pending ?? claims.join(', ')} is not bound`);
      if (pending) {
        culprit = { kind: 'PersistentVolumeClaim', name: pending, namespace: pod.metadata.namespace };
        ev.push(
          evidence.analysis(
            `PersistentVolumeClaim ${pod.metadata.namespace}/${pending} is not Bound`,
            culprit,
          ),
        );
      }
    } else if (/were unschedulable|node\(s\) were unschedulable/.test(reason)) {
      const cordoned = l.snapshot.objects.nodes
        .filter((n) => n.spec?.unschedulable)
        .map((n) => n.metadata.name);
      parts.push(`${count} node(s) are cordoned${cordoned.length ? ` (${cordoned.join(', ')})` : ''}`);
      // When every node the pod may run on is cordoned, the cordon is what keeps it pending.
      const blocking = cordonsBlocking(l.snapshot.objects.nodes, pod);
      for (const n of blocking.slice(0, 3))
        ev.push(
          evidence.analysis(
            `every node the pod may run on is cordoned: ${n.metadata.name}`,
            refOf('Node', n),
          ),
        );
      if (blocking.length) culprit ??= refOf('Node', blocking[0]!);
    } else if (/didn't have free ports/.test(reason)) {
      // Another pod on those nodes already binds a host port this pod asks for (NodePorts filter).
      const holders = hostPortHolders(l.snapshot.objects.pods, pod);
      const names = [
        ...new Set(holders.map((h) => `${h.holder.metadata.namespace}/${h.holder.metadata.name}`)),
      ];
      parts.push(
        holders.length
          ? `${count} node(s) already have host port ${[...new Set(holders.map((h) => `${h.port}/${h.protocol}`))].join(', ')} taken by ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`
          : `${count} node(s) have no free host port for the pod's hostPort`,
      );
      for (const h of holders.slice(0, 3))
        ev.push(
          evidence.field(
            'spec.containers[].ports[].hostPort',
            `${h.port}/${h.protocol} held by ${h.holder.metadata.name} on ${h.holder.spec.nodeName}`,
            refOf('Pod', h.holder),
          ),
        );
      subject ??= 'hostPort';
    } else if (/^Too many pods/.test(reason)) {
      const full = fullNodesBlocking(l.snapshot.objects.nodes, pod);
      parts.push(
        `${count} node(s) run as many pods as they allow (allocatable pods)${full.length ? ` (${full.map((n) => n.metadata.name).join(', ')})` : ''}`,
      );
      // When every node the pod may run on is full, the node's pod capacity keeps it pending.
      for (const n of full.slice(0, 3))
        ev.push(
          evidence.analysis(
            `every node the pod may run on is at its pod capacity: ${n.metadata.name} allows ${n.status?.allocatable?.['pods'] ?? '?'} pods`,
            refOf('Node', n),
          ),
        );
      if (full.length) culprit ??= refOf('Node', full[0]!);
    } else {
      parts.push(`${count} node(s): ${reason}`);
    }
  }
  return { text: parts.length ? parts.join('; ') : message, evidence: ev, culprit, subject };
}
