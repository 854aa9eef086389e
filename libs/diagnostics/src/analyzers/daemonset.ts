// DaemonSet analyzer: nodes where the daemon pod is not ready, and pods running where they should not.
import { type Finding } from '@foxhound/contracts';
import { lookup } from '../lookup';
import { type ClusterSnapshot } from '../snapshot';
import { DOCS } from '../util/docs';
import { evidence, makeFinding } from '../util/finding';
import { describeRef, refOf } from '../util/refs';
import { type Analyzer } from './types';

export const daemonSetAnalyzer: Analyzer = {
  name: 'daemonset',
  kinds: ['DaemonSet'],
  analyze(snapshot: ClusterSnapshot): Finding[] {
    const l = lookup(snapshot);
    return l.list('daemonSets').flatMap((ds) => {
      const desired = ds.status?.desiredNumberScheduled ?? 0;
      const ready = ds.status?.numberReady ?? 0;
      if (desired === 0 || ready >= desired) return [];
      const ref = refOf('DaemonSet', ds);
      return [
        makeFinding('daemonset', 'ReplicaMismatch', ref, {
          severity: ready === 0 ? 'high' : 'medium',
          symptom: `${describeRef(ref)} is ready on ${ready} of ${desired} nodes`,
          cause: `${desired - ready} daemon pod(s) are not ready; their pods show why`,
          evidence: [
            evidence.field('status.desiredNumberScheduled', desired),
            evidence.field('status.numberReady', ready),
          ],
          confidence: 0.5,
          docs: DOCS.daemonSets,
        }),
      ];
    });
  },
};
