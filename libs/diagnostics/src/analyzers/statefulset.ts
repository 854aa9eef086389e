// StatefulSet analyzer: a governing Service that does not exist, a volumeClaimTemplate naming a
// StorageClass that does not exist, pods the controller cannot create, and replicas not ready.
import { type Finding } from '@foxhound/contracts';
import { admissionRefusals, explainRefusal } from '../causes/admission';
import { lookup, type Lookup } from '../lookup';
import { type ClusterSnapshot, type StatefulSet } from '../snapshot';
import { DOCS } from '../util/docs';
import { evidence, makeFinding } from '../util/finding';
import { describeRef, refOf } from '../util/refs';
import { type Analyzer } from './types';

function analyze(l: Lookup, s: StatefulSet): Finding[] {
  const ref = refOf('StatefulSet', s);
  const ns = s.metadata.namespace;
  const findings: Finding[] = [];
  if (s.spec.serviceName && !l.get('services', ns, s.spec.serviceName) && l.list('services').length) {
    findings.push(
      makeFinding('statefulset', 'ServiceNotFound', ref, {
        severity: 'medium',
        symptom: `${describeRef(ref)} has no governing Service`,
        cause: `spec.serviceName names Service ${ns}/${s.spec.serviceName}, which does not exist, so its pods get no stable DNS names`,
        evidence: [evidence.field('spec.serviceName', s.spec.serviceName)],
        confidence: 0.85,
        docs: DOCS.statefulSets,
      }),
    );
  }
  for (const [i, t] of (s.spec.volumeClaimTemplates ?? []).entries()) {
    const sc = t.spec.storageClassName;
    if (sc && l.snapshot.objects.storageClasses.length && !l.get('storageClasses', undefined, sc)) {
      findings.push(
        makeFinding('statefulset', 'StorageClassNotFound', ref, {
          severity: 'high',
          symptom: `${describeRef(ref)} cannot get volumes for its pods`,
          cause: `volumeClaimTemplate ${t.metadata.name} asks for StorageClass ${sc}, which does not exist (classes: ${l.snapshot.objects.storageClasses.map((c) => c.metadata.name).join(', ')})`,
          evidence: [evidence.field(`spec.volumeClaimTemplates[${i}].spec.storageClassName`, sc)],
          confidence: 0.9,
          docs: DOCS.storageClasses,
        }),
      );
    }
  }
  const desired = s.spec.replicas ?? 1;
  const refusal = admissionRefusals(l).find(
    (r) => r.owner.kind === 'StatefulSet' && r.owner.name === s.metadata.name && r.owner.namespace === ns,
  );
  if (refusal && (s.status?.replicas ?? 0) < desired) {
    const x = explainRefusal(l, refusal, s.spec.template);
    findings.push(
      makeFinding('statefulset', 'FailedCreate', ref, {
        severity: 'high',
        symptom: `${describeRef(ref)} cannot create its pods`,
        cause: x.cause,
        evidence: x.evidence,
        confidence: x.confidence,
        docs: DOCS.statefulSets,
      }),
    );
  } else if ((s.status?.readyReplicas ?? 0) < desired) {
    findings.push(
      makeFinding('statefulset', 'ReplicaMismatch', ref, {
        severity: (s.status?.readyReplicas ?? 0) === 0 ? 'high' : 'medium',
        symptom: `${describeRef(ref)} has ${s.status?.readyReplicas ?? 0} of ${desired} replicas ready`,
        cause: 'some replicas are not ready; their pods show why',
        evidence: [evidence.field('status.readyReplicas', s.status?.readyReplicas ?? 0)],
        confidence: 0.5,
        docs: DOCS.statefulSets,
      }),
    );
  }
  return findings;
}

export const statefulSetAnalyzer: Analyzer = {
  name: 'statefulset',
  kinds: ['StatefulSet'],
  analyze(snapshot: ClusterSnapshot): Finding[] {
    const l = lookup(snapshot);
    return l.list('statefulSets').flatMap((s) => analyze(l, s));
  },
};
