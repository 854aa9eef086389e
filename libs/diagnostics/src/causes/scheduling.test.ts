import { lookup } from '../lookup';
import { container, node, pod, snapshot } from '../__fixtures__/build';
import { explainUnschedulable, parseSchedulerMessage } from './scheduling';

describe('parseSchedulerMessage', () => {
  it('splits the per-node reasons and drops the preemption tail', () => {
    expect(
      parseSchedulerMessage(
        '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
      ),
    ).toEqual([
      { count: 1, reason: 'node(s) had untolerated taint {dedicated: gpu}' },
      { count: 2, reason: 'Insufficient memory' },
    ]);
  });
});

describe('explainUnschedulable', () => {
  const big = pod('big-1', {
    phase: 'Pending',
    nodeName: '',
    containers: [container('big', { resources: { requests: { memory: '12Gi' } } })],
    statuses: [],
  });
  const busy = pod('busy-1', {
    nodeName: 'node-a',
    containers: [container('busy', { resources: { requests: { memory: '10Gi' } } })],
  });

  it('compares the request with what each node has unreserved', () => {
    const l = lookup(
      snapshot({
        pods: [big, busy],
        nodes: [node('node-a'), node('node-b', { allocatable: { cpu: '4', memory: '8Gi' } })],
      }),
    );
    const x = explainUnschedulable(l, big, '0/2 nodes are available: 2 Insufficient memory.');
    expect(x.text).toBe(
      'the pod requests 12Gi memory, but the most any node has unreserved is 8Gi (node-b: 0 of 8Gi allocatable already requested)',
    );
    expect(x.subject).toBe('requests.memory');
  });

  it('names tainted nodes, node selectors no node carries, and unbound claims', () => {
    const selective = pod('sel-1', {
      phase: 'Pending',
      spec: {
        nodeSelector: { disk: 'ssd' },
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
      },
    });
    const l = lookup(
      snapshot({
        pods: [selective],
        nodes: [node('gpu-1', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] })],
      }),
    );
    expect(
      explainUnschedulable(
        l,
        selective,
        '0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}.',
      ).text,
    ).toBe('1 node(s) carry the taint dedicated which the pod does not tolerate (gpu-1)');
    expect(
      explainUnschedulable(
        l,
        selective,
        "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.",
      ).text,
    ).toBe("1 node(s) do not match the pod's node selector disk=ssd (no node has these labels)");
    const claim = explainUnschedulable(
      l,
      selective,
      '0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims.',
    );
    expect(claim.culprit).toEqual({ kind: 'PersistentVolumeClaim', name: 'data', namespace: 'shop' });
  });
});
