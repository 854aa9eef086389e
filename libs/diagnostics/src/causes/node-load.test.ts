// Toleration matching as https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
// states it: same key and effect, and Exists (no value) or Equal (same value); an empty key with
// Exists matches every taint, an empty effect matches every effect.
import { container, node, pod } from '../__fixtures__/build';
import { type Taint, type Toleration } from '../snapshot';
import { describeLoad, hostPortHolders, nodeLoad, tolerates } from './node-load';

const taint: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoExecute' };

describe('tolerates', () => {
  it.each<[string, Toleration[] | undefined, boolean]>([
    ['no tolerations', undefined, false],
    [
      'Equal with the same key, value and effect',
      [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoExecute' }],
      true,
    ],
    ['Equal is the default operator', [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }], true],
    [
      'Equal with another value',
      [{ key: 'dedicated', operator: 'Equal', value: 'cpu', effect: 'NoExecute' }],
      false,
    ],
    ['Exists with the key', [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }], true],
    ['Exists with another effect', [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }], false],
    ['Exists with an empty effect matches every effect', [{ key: 'dedicated', operator: 'Exists' }], true],
    ['an empty key with Exists matches every taint', [{ operator: 'Exists' }], true],
    ['another key', [{ key: 'team', operator: 'Exists' }], false],
  ])('%s', (_name, tolerations, expected) => {
    expect(tolerates(tolerations, taint)).toBe(expected);
  });
});

describe('nodeLoad', () => {
  it('sums the requests and limits of the pods placed on the node against allocatable', () => {
    const n = node('node-a', { allocatable: { cpu: '2', memory: '1Gi', pods: '110' } });
    const pods = [
      pod('web-1'),
      pod('web-2'),
      pod('done', { phase: 'Succeeded' }),
      pod('elsewhere', { nodeName: 'node-b' }),
      pod('big', {
        containers: [container('app', { resources: { requests: { cpu: '1', memory: '512Mi' } } })],
      }),
    ];
    const load = nodeLoad(n, pods);
    expect(load.pods).toBe(3);
    expect(load.podCapacity).toBe(110);
    expect(load.resources.map(describeLoad)).toEqual([
      'cpu: requests 1.2 (60%), limits 0 (0%) of 2 allocatable',
      'memory: requests 768Mi (75%), limits 512Mi (50%) of 1Gi allocatable',
    ]);
  });
});

describe('hostPortHolders', () => {
  // https://kubernetes.io/docs/concepts/configuration/overview/#services: a hostPort limits where a
  // pod can be scheduled, each <hostIP, hostPort, protocol> being unique per node.
  const exporter = (name: string, hostPort: number, extra: Partial<Parameters<typeof pod>[1]> = {}) =>
    pod(name, {
      containers: [
        container('exporter', { ports: [{ name: 'metrics', containerPort: 9100, hostPort } as never] }),
      ],
      ...extra,
    });

  it('names the running pods that bind the host port a pending pod asks for', () => {
    const pending = exporter('node-exporter-x', 9100, { phase: 'Pending', spec: { nodeName: undefined } });
    const holder = exporter('host-metrics-a', 9100);
    expect(
      hostPortHolders(
        [pending, holder, exporter('other-port', 9200), exporter('gone', 9100, { phase: 'Failed' })],
        pending,
      ),
    ).toEqual([{ port: 9100, protocol: 'TCP', holder }]);
  });

  it('finds nothing for a pod that asks for no host port', () => {
    expect(hostPortHolders([exporter('host-metrics-a', 9100)], pod('web-1'))).toEqual([]);
  });
});
