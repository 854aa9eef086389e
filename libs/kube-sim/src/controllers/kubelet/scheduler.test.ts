import { type KubeObject, type StoredObject } from '../../types';
import { schedule } from './scheduler';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function node(name: string, extra: Json = {}): StoredObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      uid: name,
      resourceVersion: '1',
      labels: { 'kubernetes.io/hostname': name, ...extra.labels },
    },
    spec: extra.spec ?? {},
    status: {
      allocatable: { cpu: '4', memory: '8Gi', pods: '110', ...extra.allocatable },
      conditions: [{ type: 'Ready', status: extra.ready === false ? 'False' : 'True' }],
    },
  };
}
function pod(requests: Json = {}, spec: Json = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'a', resources: { requests } }], ...spec },
  };
}
const nothingBound = () => [];
const noClaims = () => undefined;
const nameOf = (r: ReturnType<typeof schedule>) => ('node' in r ? r.node.metadata.name : r.message);

describe('schedule', () => {
  const three = [node('a'), node('b'), node('c')];

  it.each([
    [
      'requests more memory than any node has',
      pod({ memory: '9Gi' }),
      three,
      '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    ],
    [
      'selects a label no node has',
      pod({}, { nodeSelector: { 'workload-class': 'compute-optimized' } }),
      three,
      "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    ],
    [
      'meets a taint, a cordon and too little cpu',
      pod({ cpu: '5' }),
      [
        node('a', { spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } }),
        node('b', { spec: { unschedulable: true } }),
        node('c'),
      ],
      '0/3 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.',
    ],
    [
      'finds only a node that is not ready',
      pod(),
      [node('a', { ready: false })],
      '0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    ],
    [
      'mounts a claim that is not bound',
      pod({}, { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] }),
      three,
      '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    ],
  ])('refuses a pod that %s', (_what, p, nodes, message) => {
    const claims = (name: string) =>
      name === 'data' ? ({ status: { phase: 'Pending' } } as unknown as KubeObject) : undefined;
    expect(schedule(p, nodes, nothingBound, claims)).toEqual({ message });
  });

  it('tolerates a tainted node, matches required node affinity and picks the least allocated node', () => {
    const nodes = [
      node('busy', { labels: { zone: 'a' } }),
      node('idle', {
        labels: { zone: 'a' },
        spec: { taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] },
      }),
      node('elsewhere', { labels: { zone: 'b' } }),
    ];
    const bound = (name: string) => (name === 'busy' ? [pod({ memory: '6Gi' })] : []);
    const p = pod(
      { memory: '1Gi' },
      {
        tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }],
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }],
            },
          },
        },
      },
    );
    expect(nameOf(schedule(p, nodes, bound, noClaims))).toBe('idle');
  });

  it('counts the pods already bound against the node', () => {
    const full = (name: string) => (name === 'a' ? [pod({ memory: '7Gi' })] : []);
    expect(nameOf(schedule(pod({ memory: '2Gi' }), [node('a'), node('b')], full, noClaims))).toBe('b');
    expect(
      nameOf(schedule(pod(), [node('a', { allocatable: { pods: '1' } })], () => [pod()], noClaims)),
    ).toBe(
      '0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    );
  });

  describe('inter-pod affinity and host ports', () => {
    const labelled = (labels: Record<string, string>, spec: Json = {}): KubeObject => ({
      ...pod({}, spec),
      metadata: { name: 'p', namespace: 'shop', labels },
    });
    const antiAffinity = (app: string) => ({
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { labelSelector: { matchLabels: { app } }, topologyKey: 'kubernetes.io/hostname' },
          ],
        },
      },
    });
    const two = [node('a'), node('b')];

    it("refuses the nodes where an existing pod's anti-affinity term matches the newcomer", () => {
      const guard = labelled({ app: 'guard' }, antiAffinity('web'));
      const onA = (name: string) => (name === 'a' ? [guard] : []);
      expect(nameOf(schedule(labelled({ app: 'web' }), two, onA, noClaims))).toBe('b');
      expect(nameOf(schedule(labelled({ app: 'web' }), [node('a')], onA, noClaims))).toBe(
        "0/1 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
      );
    });

    it('lets the first pod of a self-selecting affinity group go anywhere, then keeps the rest beside it', () => {
      const affinity = {
        affinity: {
          podAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              { labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' },
            ],
          },
        },
      };
      expect('node' in schedule(labelled({ app: 'db' }, affinity), two, nothingBound, noClaims)).toBe(true);
      const first = labelled({ app: 'db' });
      const onB = (name: string) => (name === 'b' ? [first] : []);
      expect(nameOf(schedule(labelled({ app: 'db' }, affinity), two, onB, noClaims))).toBe('b');
      // A pod that does not select itself waits for one that it does select.
      expect(nameOf(schedule(labelled({ app: 'web' }, affinity), two, nothingBound, noClaims))).toBe(
        "0/2 nodes are available: 2 node(s) didn't match pod affinity rules. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
      );
    });

    it('refuses a node whose hostPort is taken, on any address when either side binds 0.0.0.0', () => {
      const port = (hostIP?: string) =>
        labelled(
          {},
          {
            containers: [
              { name: 'c', ports: [{ containerPort: 80, hostPort: 8080, ...(hostIP ? { hostIP } : {}) }] },
            ],
          },
        );
      const onA = (name: string) => (name === 'a' ? [port()] : []);
      expect(nameOf(schedule(port('10.0.0.1'), two, onA, noClaims))).toBe('b');
      const sameIP = (name: string) => (name === 'a' ? [port('10.0.0.1')] : []);
      expect(nameOf(schedule(port('10.0.0.2'), [node('a')], sameIP, noClaims))).toBe('a');
    });
  });
});
