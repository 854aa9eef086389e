// PodDisruptionBudget analyzer: budgets that allow no disruption (drains and upgrades block) because
// pods are unhealthy or the budget is as large as the workload, and budgets that select no pod.
import { type Finding } from '@foxhound/contracts';
import { lookup } from '../lookup';
import { type ClusterSnapshot } from '../snapshot';
import { DOCS } from '../util/docs';
import { evidence, makeFinding } from '../util/finding';
import { describeRef, refOf } from '../util/refs';
import { formatSelector, matchesSelector } from '../util/selectors';
import { type Analyzer } from './types';

export const pdbAnalyzer: Analyzer = {
  name: 'pdb',
  kinds: ['PodDisruptionBudget'],
  analyze(snapshot: ClusterSnapshot): Finding[] {
    const l = lookup(snapshot);
    const findings: Finding[] = [];
    for (const pdb of l.list('podDisruptionBudgets')) {
      const ref = refOf('PodDisruptionBudget', pdb);
      const pods = l
        .podsIn(pdb.metadata.namespace ?? 'default')
        .filter((p) => matchesSelector(p.metadata.labels, pdb.spec.selector));
      if (!pods.length) {
        findings.push(
          makeFinding('pdb', 'SelectsNothing', ref, {
            severity: 'info',
            symptom: `${describeRef(ref)} protects no pod`,
            cause: `its selector ${formatSelector(pdb.spec.selector)} matches no pod`,
            evidence: [evidence.field('spec.selector', formatSelector(pdb.spec.selector))],
            confidence: 0.8,
            docs: DOCS.pdb,
          }),
        );
        continue;
      }
      const s = pdb.status;
      if (!s || s.disruptionsAllowed === undefined || s.disruptionsAllowed > 0) continue;
      const unhealthy = (s.currentHealthy ?? 0) < (s.desiredHealthy ?? 0);
      const workload = l.workloadOf(pods[0]);
      findings.push(
        makeFinding('pdb', 'DisruptionsBlocked', ref, {
          severity: 'low',
          symptom: `${describeRef(ref)} allows no voluntary disruption: node drains and upgrades will block`,
          cause: unhealthy
            ? `only ${s.currentHealthy} of the ${s.desiredHealthy} pods it requires are healthy`
            : `it requires all ${s.expectedPods ?? pods.length} selected pods to stay up (minAvailable ${pdb.spec.minAvailable ?? '-'}, maxUnavailable ${pdb.spec.maxUnavailable ?? '-'})`,
          evidence: [
            evidence.field('status.disruptionsAllowed', 0),
            evidence.field('status.currentHealthy', s.currentHealthy ?? 0),
            ...(unhealthy && workload
              ? [evidence.analysis(`its pods belong to ${describeRef(workload)}`, workload)]
              : []),
          ],
          confidence: 0.8,
          docs: DOCS.pdb,
        }),
      );
    }
    return findings;
  },
};
