import { type StoredObject } from '../../types';
import { allocatePodIP } from './pod-network';

function node(spec: Record<string, unknown>, internalIP?: string): StoredObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n', uid: 'n', resourceVersion: '1' },
    spec,
    status: { addresses: internalIP ? [{ type: 'InternalIP', address: internalIP }] : [] },
  };
}

describe('allocatePodIP', () => {
  it.each([
    ['the node podCIDR', node({ podCIDR: '10.244.3.0/24' }), new Set<string>(), '10.244.3.2'],
    [
      'skipping addresses in use',
      node({ podCIDR: '10.244.3.0/24' }),
      new Set(['10.244.3.2', '10.244.3.3']),
      '10.244.3.4',
    ],
    [
      'the /24 of the InternalIP without a podCIDR (VPC CNI)',
      node({}, '10.0.2.143'),
      new Set(['10.0.2.10']),
      '10.0.2.11',
    ],
    ['nothing when the node has no range', node({}), new Set<string>(), undefined],
    ['nothing when the range is full', node({ podCIDR: '10.1.0.0/30' }), new Set(['10.1.0.2']), undefined],
  ])('uses %s', (_what, n, inUse, ip) => {
    expect(allocatePodIP(n, inUse)).toBe(ip);
  });
});
