// ReplicaSet analyzer: a ReplicaSet that cannot create its pods (ReplicaFailure / FailedCreate),
// with what refused them: quota arithmetic, LimitRange bounds, a webhook, Pod Security, a missing
// ServiceAccount.
import { type Finding } from '@foxhound/contracts';
import { admissionRefusals, explainRefusal } from '../causes/admission';
import { lookup } from '../lookup';
import { type ClusterSnapshot } from '../snapshot';
import { DOCS } from '../util/docs';
import { evidence, makeFinding } from '../util/finding';
import { describeRef, refOf } from '../util/refs';
import { type Analyzer } from './types';

export const replicaSetAnalyzer: Analyzer = {
  name: 'replicaset',
  kinds: ['ReplicaSet'],
  analyze(snapshot: ClusterSnapshot): Finding[] {
    const l = lookup(snapshot);
    const refusals = admissionRefusals(l);
    const findings: Finding[] = [];
    for (const rs of l.list('replicaSets')) {
      const desired = rs.spec.replicas ?? 0;
      if (desired === 0 || (rs.status?.replicas ?? 0) >= desired) continue;
      const ref = refOf('ReplicaSet', rs);
      const refusal = refusals.find(
        (r) =>
          r.owner.kind === 'ReplicaSet' &&
          r.owner.name === rs.metadata.name &&
          r.owner.namespace === rs.metadata.namespace,
      );
      const condition = rs.status?.conditions?.find(
        (c) => c.type === 'ReplicaFailure' && c.status === 'True',
      );
      if (!refusal && !condition) continue;
      const owner =
        rs.metadata.ownerReferences?.find((o) => o.controller) ?? rs.metadata.ownerReferences?.[0];
      const x = refusal
        ? explainRefusal(l, refusal, rs.spec.template)
        : {
            cause: condition!.message ?? 'pod creation fails',
            evidence: [
              evidence.field('status.conditions[ReplicaFailure]', condition!.message ?? condition!.reason),
            ],
            confidence: 0.6,
          };
      findings.push(
        makeFinding('replicaset', 'FailedCreate', ref, {
          parent: owner
            ? { kind: owner.kind, name: owner.name, namespace: rs.metadata.namespace }
            : undefined,
          severity: (rs.status?.replicas ?? 0) === 0 ? 'critical' : 'high',
          symptom: `${describeRef(ref)} has ${rs.status?.replicas ?? 0} of ${desired} pods: it cannot create the rest`,
          cause: x.cause,
          evidence: x.evidence,
          confidence: x.confidence,
          docs: refusal?.quota
            ? DOCS.quota
            : refusal?.limitRange
              ? DOCS.limitRange
              : refusal?.webhook
                ? DOCS.webhooks
                : refusal?.podSecurity
                  ? DOCS.podSecurity
                  : DOCS.deployments,
        }),
      );
    }
    return findings;
  },
};
