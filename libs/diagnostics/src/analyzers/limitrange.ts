// LimitRange analyzer: a LimitRange that refuses pods (a container above its max or below its min,
// or past its limit-to-request ratio), naming the refused workloads and the bound they break.
import { type Finding, type ObjectRef } from '@foxhound/contracts';
import { admissionRefusals } from '../causes/admission';
import { lookup } from '../lookup';
import { type ClusterSnapshot } from '../snapshot';
import { DOCS } from '../util/docs';
import { evidence, makeFinding } from '../util/finding';
import { describeRef, refKey, refOf } from '../util/refs';
import { type Analyzer } from './types';

export const limitRangeAnalyzer: Analyzer = {
  name: 'limitrange',
  kinds: ['LimitRange'],
  analyze(snapshot: ClusterSnapshot): Finding[] {
    const l = lookup(snapshot);
    const findings: Finding[] = [];
    for (const lr of l.list('limitRanges')) {
      const bounded = (r: string) =>
        lr.spec.limits.some(
          (i) =>
            i.max?.[r] !== undefined || i.min?.[r] !== undefined || i.maxLimitRequestRatio?.[r] !== undefined,
        );
      const refusals = admissionRefusals(l).filter(
        (r) => r.owner.namespace === lr.metadata.namespace && r.limitRange?.resources.some(bounded),
      );
      if (!refusals.length) continue;
      const owners = new Map<string, ObjectRef>(refusals.map((r) => [refKey(r.owner), r.owner]));
      const violations = [...new Set(refusals.flatMap((r) => r.limitRange!.violations))];
      const ref = refOf('LimitRange', lr);
      findings.push(
        makeFinding('limitrange', 'LimitRangeViolation', ref, {
          severity: 'critical',
          symptom: `${describeRef(ref)} refuses pods of ${[...owners.values()].map(describeRef).slice(0, 4).join(', ')}`,
          cause: `LimitRange ${lr.metadata.name} refuses the pods: ${violations.join('; ')}`,
          evidence: [
            evidence.event(refusals[0].event, refusals[0].owner),
            evidence.field('spec.limits', lr.spec.limits),
          ],
          confidence: 0.92,
          docs: DOCS.limitRange,
        }),
      );
    }
    return findings;
  },
};
