// HorizontalPodAutoscaler analyzer: a scale target that does not exist, metrics it cannot read
// (often: the target's containers set no CPU request), and autoscalers pinned at maxReplicas.
import { type Finding } from '@foxhound/contracts';
import { containersMissing } from '../causes/requests';
import { lookup, type Lookup } from '../lookup';
import { type ClusterSnapshot, type HorizontalPodAutoscaler, type PodTemplateSpec } from '../snapshot';
import { DOCS } from '../util/docs';
import { evidence, makeFinding } from '../util/finding';
import { describeRef, refOf } from '../util/refs';
import { type Analyzer } from './types';

function targetTemplate(l: Lookup, hpa: HorizontalPodAutoscaler): PodTemplateSpec | undefined | null {
  const { kind, name } = hpa.spec.scaleTargetRef;
  const ns = hpa.metadata.namespace;
  const target =
    kind === 'Deployment'
      ? l.get('deployments', ns, name)
      : kind === 'StatefulSet'
        ? l.get('statefulSets', ns, name)
        : kind === 'ReplicaSet'
          ? l.get('replicaSets', ns, name)
          : null;
  if (target === null) return null;
  return target?.spec.template;
}

function analyze(l: Lookup, hpa: HorizontalPodAutoscaler): Finding[] {
  const ref = refOf('HorizontalPodAutoscaler', hpa);
  const target = hpa.spec.scaleTargetRef;
  const template = targetTemplate(l, hpa);
  if (template === undefined) {
    return [
      makeFinding('hpa', 'ScaleTargetNotFound', ref, {
        severity: 'medium',
        symptom: `${describeRef(ref)} scales nothing`,
        cause: `its scale target ${target.kind} ${hpa.metadata.namespace}/${target.name} does not exist`,
        evidence: [evidence.field('spec.scaleTargetRef', `${target.kind}/${target.name}`)],
        confidence: 0.9,
        docs: DOCS.hpa,
      }),
    ];
  }
  const findings: Finding[] = [];
  const conditions = hpa.status?.conditions ?? [];
  const active = conditions.find((c) => c.type === 'ScalingActive');
  if (active?.status === 'False') {
    const resources = (hpa.spec.metrics ?? []).flatMap((m) =>
      m.type === 'Resource' && m.resource ? [m.resource.name] : [],
    );
    const missing = template
      ? resources.flatMap((r) => containersMissing(template.spec, 'requests', r).map((c) => `${c} (${r})`))
      : [];
    findings.push(
      makeFinding('hpa', 'MetricsUnavailable', ref, {
        severity: 'medium',
        symptom: `${describeRef(ref)} cannot scale ${target.kind} ${target.name}: ${active.reason ?? 'ScalingActive=False'}`,
        cause: missing.length
          ? `utilization needs resource requests, and containers ${missing.join(', ')} set none`
          : (active.message ?? 'it cannot read the metrics it scales on'),
        evidence: [
          evidence.field(
            'status.conditions[ScalingActive]',
            `${active.reason ?? ''}: ${active.message ?? ''}`,
          ),
        ],
        confidence: missing.length ? 0.9 : 0.7,
        docs: DOCS.hpa,
      }),
    );
  }
  const limited = conditions.find(
    (c) => c.type === 'ScalingLimited' && c.status === 'True' && c.reason === 'TooManyReplicas',
  );
  if (limited || (hpa.status?.desiredReplicas ?? 0) > hpa.spec.maxReplicas) {
    findings.push(
      makeFinding('hpa', 'AtMaxReplicas', ref, {
        severity: 'medium',
        symptom: `${describeRef(ref)} is pinned at maxReplicas ${hpa.spec.maxReplicas}`,
        cause: `the load asks for more replicas than maxReplicas allows${limited?.message ? `: ${limited.message}` : ''}`,
        evidence: [
          evidence.field('spec.maxReplicas', hpa.spec.maxReplicas),
          evidence.field('status.currentReplicas', hpa.status?.currentReplicas ?? 0),
        ],
        confidence: 0.8,
        docs: DOCS.hpa,
      }),
    );
  }
  return findings;
}

export const hpaAnalyzer: Analyzer = {
  name: 'hpa',
  kinds: ['HorizontalPodAutoscaler'],
  analyze(snapshot: ClusterSnapshot): Finding[] {
    const l = lookup(snapshot);
    return l.list('horizontalPodAutoscalers').flatMap((h) => analyze(l, h));
  },
};
