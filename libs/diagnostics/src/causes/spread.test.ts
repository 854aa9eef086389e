import { lookup } from '../lookup';
import { type Pod } from '../snapshot';
import { pod, snapshot, workload } from '../__fixtures__/build';
import { spreadCeiling } from './spread';

const onePerDomain = (key: string) => ({
  podAntiAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: [
      { labelSelector: { matchLabels: { app: 'shard' } }, topologyKey: key },
    ],
  },
});

/** Four replicas of `shard`, three placed on nodes and one pending. */
function shards(affinity = onePerDomain('kubernetes.io/hostname')) {
  const make = (i: number) => (owner: { kind: string; name: string }, labels: Record<string, string>) => {
    const p = pod(`shard-5d4f8c7b9-${i}`, { owner, labels, spec: { affinity } });
    if (i === 3) p.spec.nodeName = undefined;
    return p;
  };
  const w = workload('shard', [0, 1, 2, 3].map(make));
  const s = snapshot({ deployments: [w.deployment], replicaSets: [w.replicaSet], pods: w.pods });
  return { l: lookup(s), pending: w.pods[3] as Pod };
}

describe('spreadCeiling: replicas a required anti-affinity can never place', () => {
  it('is the placed pods when every node refuses the pod for its anti-affinity alone', () => {
    const { l, pending } = shards();
    const message =
      "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.";
    expect(spreadCeiling(l, pending, message)).toMatchObject({
      placed: 3,
      topologyKey: 'kubernetes.io/hostname',
    });
  });

  it.each([
    [
      'another reason on some node (a node could open up)',
      "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match pod anti-affinity rules.",
    ],
    ['a message about something else', '0/3 nodes are available: 3 Insufficient memory.'],
  ])('is none for %s', (_name, message) => {
    const { l, pending } = shards();
    expect(spreadCeiling(l, pending, message)).toBeUndefined();
  });

  it("is none when the anti-affinity is against other workloads' pods", () => {
    const other = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'kubernetes.io/hostname' },
        ],
      },
    };
    const { l, pending } = shards(other);
    expect(
      spreadCeiling(l, pending, "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules."),
    ).toBeUndefined();
  });
});
