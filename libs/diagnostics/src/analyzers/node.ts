// Node analyzer: NotReady or Unknown nodes and pressure conditions (memory, disk, PIDs, network),
// weighted by whether pods in scope run there.
import { type Finding } from '@foxhound/contracts';
import { lookup, type Lookup } from '../lookup';
import { type ClusterSnapshot, type Node } from '../snapshot';
import { DOCS } from '../util/docs';
import { evidence, makeFinding } from '../util/finding';
import { describeRef, refOf } from '../util/refs';
import { type Analyzer } from './types';

const PRESSURE = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'];

/** Pods in scope per node name, counted once per analysis. */
function podsPerNode(l: Lookup): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of l.list('pods'))
    if (p.spec.nodeName) counts.set(p.spec.nodeName, (counts.get(p.spec.nodeName) ?? 0) + 1);
  return counts;
}

function analyze(l: Lookup, node: Node, pods: Map<string, number>): Finding[] {
  const ref = refOf('Node', node);
  const findings: Finding[] = [];
  const conditions = node.status?.conditions ?? [];
  const affected = pods.get(node.metadata.name) ?? 0;
  const scopeNote = affected ? `; ${affected} pod(s) in scope run on it` : '';
  const ready = conditions.find((c) => c.type === 'Ready');
  if (ready && ready.status !== 'True') {
    findings.push(
      makeFinding('node', 'NodeNotReady', ref, {
        severity: affected || l.snapshot.namespaces.length === 0 ? 'critical' : 'medium',
        symptom: `${describeRef(ref)} is ${ready.status === 'Unknown' ? 'not reporting (Ready=Unknown)' : 'NotReady'}${scopeNote}`,
        cause: ready.message ?? ready.reason ?? 'the kubelet reports the node not ready',
        evidence: [
          evidence.field(
            'status.conditions[Ready]',
            `${ready.status} ${ready.reason ?? ''}: ${ready.message ?? ''}`,
          ),
        ],
        confidence: 0.85,
        docs: DOCS.nodes,
      }),
    );
  }
  for (const c of conditions) {
    if (!PRESSURE.includes(c.type) || c.status !== 'True') continue;
    findings.push(
      makeFinding('node', c.type, ref, {
        severity: affected || l.snapshot.namespaces.length === 0 ? 'high' : 'medium',
        symptom: `${describeRef(ref)} reports ${c.type}${scopeNote}`,
        cause: c.message ?? `${c.type} is True: the kubelet evicts pods and refuses new ones`,
        evidence: [
          evidence.field(`status.conditions[${c.type}]`, `${c.status} ${c.reason ?? ''}: ${c.message ?? ''}`),
        ],
        confidence: 0.85,
        docs: DOCS.eviction,
      }),
    );
  }
  if (node.spec?.unschedulable) {
    findings.push(
      makeFinding('node', 'Cordoned', ref, {
        severity: 'info',
        symptom: `${describeRef(ref)} is cordoned`,
        cause: 'spec.unschedulable is true: no new pods are placed on it',
        evidence: [evidence.field('spec.unschedulable', true)],
        confidence: 0.95,
        docs: DOCS.nodes,
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
    const pods = podsPerNode(l);
    return l.list('nodes').flatMap((n) => analyze(l, n, pods));
  },
};
