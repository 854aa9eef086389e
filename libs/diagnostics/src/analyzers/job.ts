// Job analyzer: a Job that failed (backoff limit or deadline exceeded) and one that is suspended.
import { type Finding } from '@foxhound/contracts';
import { admissionRefusals, explainRefusal } from '../causes/admission';
import { lookup } from '../lookup';
import { type ClusterSnapshot } from '../snapshot';
import { DOCS } from '../util/docs';
import { evidence, makeFinding } from '../util/finding';
import { describeRef, refOf } from '../util/refs';
import { type Analyzer } from './types';

export const jobAnalyzer: Analyzer = {
  name: 'job',
  kinds: ['Job'],
  analyze(snapshot: ClusterSnapshot): Finding[] {
    const l = lookup(snapshot);
    const findings: Finding[] = [];
    for (const job of l.list('jobs')) {
      const ref = refOf('Job', job);
      const owner = job.metadata.ownerReferences?.find((o) => o.kind === 'CronJob');
      const parent = owner
        ? { kind: 'CronJob', name: owner.name, namespace: job.metadata.namespace }
        : undefined;
      const conditions = job.status?.conditions ?? [];
      const complete = conditions.some(
        (c) => (c.type === 'Complete' || c.type === 'SuccessCriteriaMet') && c.status === 'True',
      );
      const failed = conditions.find(
        (c) => (c.type === 'Failed' || c.type === 'FailureTarget') && c.status === 'True',
      );
      if (job.spec.suspend) {
        findings.push(
          makeFinding('job', 'Suspended', ref, {
            parent,
            severity: 'info',
            symptom: `${describeRef(ref)} is suspended`,
            cause: 'spec.suspend is true: no pods run until it is resumed',
            evidence: [evidence.field('spec.suspend', true)],
            confidence: 0.95,
            docs: DOCS.jobs,
          }),
        );
        continue;
      }
      if (complete) continue;
      const refusal = admissionRefusals(l).find(
        (r) =>
          r.owner.kind === 'Job' &&
          r.owner.name === job.metadata.name &&
          r.owner.namespace === job.metadata.namespace,
      );
      if (refusal && !job.status?.active) {
        const x = explainRefusal(l, refusal, job.spec.template);
        findings.push(
          makeFinding('job', 'FailedCreate', ref, {
            parent,
            severity: 'high',
            symptom: `${describeRef(ref)} cannot create its pods`,
            cause: x.cause,
            evidence: x.evidence,
            confidence: x.confidence,
            docs: DOCS.jobs,
          }),
        );
      } else if (failed || (job.status?.failed ?? 0) > (job.spec.backoffLimit ?? 6)) {
        const event = l
          .eventsFor(ref)
          .find((e) => e.reason === 'BackoffLimitExceeded' || e.reason === 'DeadlineExceeded');
        findings.push(
          makeFinding('job', failed?.reason ?? 'BackoffLimitExceeded', ref, {
            parent,
            severity: 'medium',
            symptom: `${describeRef(ref)} failed after ${job.status?.failed ?? 0} failed pod(s)`,
            cause: failed?.message ?? event?.message ?? 'its pods keep failing; their findings show why',
            evidence: [
              failed
                ? evidence.field('status.conditions[Failed]', `${failed.reason}: ${failed.message ?? ''}`)
                : evidence.field('status.failed', job.status?.failed ?? 0),
              ...(event ? [evidence.event(event)] : []),
            ],
            confidence: 0.5,
            docs: DOCS.jobs,
          }),
        );
      }
    }
    return findings;
  },
};
