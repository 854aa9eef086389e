import { maxSurge, maxUnavailable, newRSNewReplicas, proportion, scaledValue } from './rollout';

const deployment = (
  replicas: number,
  rollingUpdate: Record<string, unknown> = {},
  type = 'RollingUpdate',
) => ({
  metadata: { name: 'd' },
  spec: { replicas, strategy: { type, rollingUpdate } },
  status: { replicas },
});
const rs = (replicas: number, maxReplicas?: number) => ({
  metadata: {
    annotations:
      maxReplicas === undefined ? {} : { 'deployment.kubernetes.io/max-replicas': String(maxReplicas) },
  },
  spec: { replicas },
});

describe('rollout arithmetic', () => {
  it.each([
    ['25%', 10, true, 3],
    ['25%', 10, false, 2],
    [2, 10, true, 2],
    ['0%', 3, true, 0],
    ['100%', 3, false, 3],
  ])('%j of %d (round up %s) is %d', (value, total, up, expected) => {
    expect(scaledValue(value, total, up, '25%')).toBe(expected);
  });

  it.each([
    ['the defaults on 3', deployment(3), 1, 0],
    ['the defaults on 10', deployment(10), 3, 2],
    [
      'zero surge and zero unavailable, which means one unavailable',
      deployment(4, { maxSurge: 0, maxUnavailable: 0 }),
      0,
      1,
    ],
    ['Recreate', deployment(4, {}, 'Recreate'), 0, 0],
    ['more unavailable than replicas', deployment(2, { maxUnavailable: 5 }), 1, 2],
  ])('%s: surge %d, unavailable %d', (_what, d, surge, unavailable) => {
    expect([maxSurge(d), maxUnavailable(d)]).toEqual([surge, unavailable]);
  });

  it('grows the new ReplicaSet only within maxSurge and never past replicas', () => {
    const d = deployment(10); // surge 3
    expect(newRSNewReplicas(d, [rs(10), rs(0)], rs(0))).toBe(3);
    expect(newRSNewReplicas(d, [rs(10), rs(3)], rs(3))).toBe(3);
    expect(newRSNewReplicas(d, [rs(5), rs(3)], rs(3))).toBe(8);
    expect(newRSNewReplicas(d, [rs(0), rs(9)], rs(9))).toBe(10);
    expect(newRSNewReplicas(deployment(4, {}, 'Recreate'), [rs(0)], rs(0))).toBe(4);
  });

  it('shares a scaling event by ReplicaSet size against the size it was scaled for', () => {
    const d = { ...deployment(20), spec: { ...deployment(20).spec } }; // max now 20 + 5 surge
    expect(proportion(rs(6, 13), d, 12, 0)).toBe(6); // 6 * 25 / 13 = 11.5 → 12, +6
    expect(proportion(rs(6, 13), d, 4, 0)).toBe(4); // capped by what is left to add
    expect(proportion(rs(0, 13), d, 12, 0)).toBe(0);
  });
});
