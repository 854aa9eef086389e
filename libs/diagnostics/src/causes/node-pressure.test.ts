// Eviction messages as the kubelet writes them (pkg/kubelet/eviction/helpers.go: nodeLowMessageFmt,
// thresholdMetMessageFmt, containerMessageFmt, nodeConditionMessageFmt), and the signal → condition
// table of https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/#node-conditions
import { conditionFor, parseEvictionMessage } from './node-pressure';

describe('parseEvictionMessage', () => {
  it.each([
    [
      'memory eviction with the container over its request',
      'The node was low on resource: memory. Threshold quantity: 100Mi, available: 74392Ki. Container app was using 1578624Ki, request is 256Mi, has larger consumption of memory. ',
      {
        resource: 'memory',
        threshold: '100Mi',
        available: '74392Ki',
        containers: [
          {
            container: 'app',
            usage: '1578624Ki',
            request: '256Mi',
            resource: 'memory',
            overRequest: 1578624 * 1024 - 256 * 2 ** 20,
          },
        ],
        conditions: [],
      },
    ],
    [
      'ephemeral storage eviction of a pod with two containers, largest overuse first',
      'The node was low on resource: ephemeral-storage. Threshold quantity: 10%, available: 2Gi. Container log-shipper was using 100Mi, request is 0, has larger consumption of ephemeral-storage. Container app was using 4Gi, request is 1Gi, has larger consumption of ephemeral-storage. ',
      {
        resource: 'ephemeral-storage',
        threshold: '10%',
        available: '2Gi',
        containers: [
          expect.objectContaining({ container: 'app', overRequest: 3 * 2 ** 30 }),
          expect.objectContaining({ container: 'log-shipper', overRequest: 100 * 2 ** 20 }),
        ],
        conditions: [],
      },
    ],
    [
      'admission refused on a node under pressure',
      'The node had condition: [DiskPressure]. ',
      { containers: [], conditions: ['DiskPressure'] },
    ],
  ])('%s', (_name, message, expected) => {
    expect(parseEvictionMessage(message)).toEqual(expected);
  });

  it.each([
    ['a preemption message', 'Preempted by a pod on node node-a'],
    ['no message', undefined],
    ['an API-initiated eviction', 'Evicted by the Eviction API'],
  ])('is undefined for %s', (_name, message) => {
    expect(parseEvictionMessage(message)).toBeUndefined();
  });
});

describe('conditionFor', () => {
  it.each([
    ['memory', 'MemoryPressure'],
    ['ephemeral-storage', 'DiskPressure'],
    ['nodefs.available', 'DiskPressure'],
    ['imagefs.inodesFree', 'DiskPressure'],
    ['pids', 'PIDPressure'],
    ['cpu', undefined],
  ])('%s raises %s', (resource, condition) => {
    expect(conditionFor(resource)).toBe(condition);
  });
});
