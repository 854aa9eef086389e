// ResourceQuota analyzer: a quota that refuses pods (with the arithmetic: what the refused pod asks,
// what is used, what the quota allows, and which controllers are blocked), a quota that requires
// limits pods do not set, and a quota already at its hard limit.
import { type Finding, type ObjectRef } from '@foxhound/contracts';
import { admissionRefusals } from '../causes/admission';
import { recentlyChanged } from '../causes/changes';
import { describeQuotaLine, exhaustedResources, quotaArithmetic, type QuotaLine } from '../causes/quota';
import { lookup, type Lookup } from '../lookup';
import { type ClusterSnapshot, type PodSpec, type ResourceQuota } from '../snapshot';
import { suggestDeleteQuota, suggestQuotaRaise } from '../suggestions';
import { DOCS } from '../util/docs';
import { evidence, makeFinding } from '../util/finding';
import { describeRef, refKey, refOf } from '../util/refs';
import { type Analyzer } from './types';

/** The pod template of a refused controller, for recomputing the quota arithmetic. */
function templateOf(l: Lookup, owner: ObjectRef): PodSpec | undefined {
  const ns = owner.namespace;
  switch (owner.kind) {
    case 'ReplicaSet':
      return l.get('replicaSets', ns, owner.name)?.spec.template?.spec;
    case 'StatefulSet':
      return l.get('statefulSets', ns, owner.name)?.spec.template.spec;
    case 'Job':
      return l.get('jobs', ns, owner.name)?.spec.template.spec;
    case 'DaemonSet':
      return l.get('daemonSets', ns, owner.name)?.spec.template.spec;
    default:
      return undefined;
  }
}

/** The workload a refused controller belongs to: a ReplicaSet's Deployment, else the controller. */
function blockedWorkload(l: Lookup, owner: ObjectRef): ObjectRef {
  if (owner.kind !== 'ReplicaSet') return owner;
  const rs = l.get('replicaSets', owner.namespace, owner.name);
  const d = rs?.metadata.ownerReferences?.find((o) => o.kind === 'Deployment');
  return d ? { kind: 'Deployment', name: d.name, namespace: owner.namespace } : owner;
}

/** How many pods the blocked workloads lack: desired minus created, at least one each. */
function refusedPods(l: Lookup, blocked: ObjectRef[]): number {
  return blocked.reduce((sum, w) => {
    const desired =
      w.kind === 'Deployment'
        ? l.get('deployments', w.namespace, w.name)
        : w.kind === 'StatefulSet'
          ? l.get('statefulSets', w.namespace, w.name)
          : undefined;
    const missing = (desired?.spec.replicas ?? 1) - (desired?.status?.replicas ?? 0);
    return sum + Math.max(1, missing);
  }, 0);
}

function analyze(l: Lookup, quota: ResourceQuota): Finding[] {
  const ref = refOf('ResourceQuota', quota);
  const ns = quota.metadata.namespace;
  const refusals = admissionRefusals(l).filter(
    (r) => r.quota?.quota === quota.metadata.name && r.owner.namespace === ns,
  );
  if (refusals.length) {
    const blocked = new Map<string, ObjectRef>();
    for (const r of refusals) blocked.set(refKey(blockedWorkload(l, r.owner)), blockedWorkload(l, r.owner));
    const first = refusals[0];
    const mustSpecify = first.quota!.mustSpecify;
    let lines: QuotaLine[] = [];
    if (!mustSpecify.length) {
      const spec = templateOf(l, first.owner);
      lines = spec ? quotaArithmetic(quota, spec).filter((x) => x.exceeded) : [];
      if (!lines.length) lines = first.quota!.lines.filter((x) => x.exceeded);
    }
    const who = [...blocked.values()].map(describeRef);
    const arithmetic = lines.map(describeQuotaLine).join('; ');
    const recent = recentlyChanged(l, quota);
    const since = recent ? ` (${recent})` : '';
    const cause = mustSpecify.length
      ? `ResourceQuota ${quota.metadata.name}${since} tracks ${mustSpecify.join(', ')} and refuses pods of ${who.join(', ')} that do not set them`
      : `ResourceQuota ${quota.metadata.name}${since} is exhausted: ${arithmetic || first.message}; it refuses new pods of ${who.join(', ')}`;
    return [
      makeFinding('resourcequota', mustSpecify.length ? 'QuotaRequiresLimits' : 'QuotaExceeded', ref, {
        severity: 'critical',
        symptom: `${describeRef(ref)} refuses pods: ${who.slice(0, 4).join(', ')} cannot create ${refusals.length > 1 ? 'their' : 'its'} pods`,
        cause,
        evidence: [
          evidence.event(first.event, first.owner),
          ...lines.map((x) => evidence.field(`status.used.${x.resource}`, `${describeQuotaLine(x)}`)),
          evidence.field('spec.hard', quota.spec?.hard ?? {}),
        ],
        confidence: 0.93,
        // Raising the exhausted limits keeps the quota's other guardrails; deleting it is the fallback.
        suggestion:
          suggestQuotaRaise(
            quota,
            lines,
            refusedPods(l, [...blocked.values()]),
            `it blocks ${who.join(', ')}`,
          ) ?? suggestDeleteQuota(quota, `it blocks ${who.join(', ')}`),
        docs: DOCS.quota,
      }),
    ];
  }
  const exhausted = exhaustedResources(quota);
  if (!exhausted.length) return [];
  return [
    makeFinding('resourcequota', 'QuotaAtLimit', ref, {
      severity: 'low',
      symptom: `${describeRef(ref)} is at its hard limit for ${exhausted.map((x) => x.resource).join(', ')}`,
      cause: `the next pod asking for ${exhausted.map((x) => x.resource).join(', ')} will be refused (${exhausted.map(describeQuotaLine).join('; ')})`,
      evidence: exhausted.map((x) => evidence.field(`status.used.${x.resource}`, describeQuotaLine(x))),
      confidence: 0.9,
      docs: DOCS.quota,
    }),
  ];
}

export const resourceQuotaAnalyzer: Analyzer = {
  name: 'resourcequota',
  kinds: ['ResourceQuota'],
  analyze(snapshot: ClusterSnapshot): Finding[] {
    const l = lookup(snapshot);
    return l.list('resourceQuotas').flatMap((q) => analyze(l, q));
  },
};
