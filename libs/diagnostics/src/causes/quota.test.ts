import {
  describeQuotaLine,
  exhaustedResources,
  parseLimitRangeRefusal,
  parseQuotaRefusal,
  quotaArithmetic,
} from './quota';
import { type ResourceQuota } from '../snapshot';

const quota: ResourceQuota = {
  metadata: { name: 'compute', namespace: 'shop' },
  spec: { hard: { 'requests.memory': '8Gi', 'limits.cpu': '4', pods: '10' } },
  status: {
    hard: { 'requests.memory': '8Gi', 'limits.cpu': '4', pods: '10' },
    used: { 'requests.memory': '7680Mi', 'limits.cpu': '1', pods: '10' },
  },
};

describe('parseQuotaRefusal', () => {
  it('reads requested, used and limited from an exceeded-quota message', () => {
    const message =
      'Error creating: pods "op-x" is forbidden: exceeded quota: compute, requested: limits.memory=512Mi,requests.memory=1Gi, used: limits.memory=1536Mi,requests.memory=7680Mi, limited: limits.memory=2Gi,requests.memory=8Gi';
    const refusal = parseQuotaRefusal(message)!;
    expect(refusal.quota).toBe('compute');
    expect(refusal.lines.map(describeQuotaLine)).toEqual([
      'limits.memory: asks 512Mi, 1.5Gi of 2Gi used, 512Mi left',
      'requests.memory: asks 1Gi, 7.5Gi of 8Gi used, 512Mi left',
    ]);
    expect(refusal.lines.map((l) => l.exceeded)).toEqual([false, true]);
  });

  it.each([
    [
      'new form',
      'pods "x" is forbidden: failed quota: compute: must specify limits.cpu for: app; limits.memory for: app',
      ['limits.cpu', 'limits.memory'],
    ],
    [
      'old form',
      'pods "x" is forbidden: failed quota: compute: must specify limits.cpu,limits.memory',
      ['limits.cpu', 'limits.memory'],
    ],
  ])('reads "must specify" (%s)', (_name, message, resources) => {
    expect(parseQuotaRefusal(message)).toEqual({ quota: 'compute', lines: [], mustSpecify: resources });
  });

  it('ignores other refusals', () => {
    expect(
      parseQuotaRefusal(
        'pods "x" is forbidden: error looking up service account shop/api: serviceaccount "api" not found',
      ),
    ).toBeUndefined();
  });
});

describe('quotaArithmetic', () => {
  it('computes what one more pod asks against what is left', () => {
    const spec = {
      containers: [
        { name: 'a', resources: { requests: { memory: '1Gi' }, limits: { cpu: '500m', memory: '1Gi' } } },
      ],
    };
    expect(quotaArithmetic(quota, spec)).toEqual([
      {
        resource: 'requests.memory',
        asked: 2 ** 30,
        used: 7680 * 2 ** 20,
        hard: 8 * 2 ** 30,
        remaining: 512 * 2 ** 20,
        exceeded: true,
      },
      { resource: 'limits.cpu', asked: 0.5, used: 1, hard: 4, remaining: 3, exceeded: false },
      { resource: 'pods', asked: 1, used: 10, hard: 10, remaining: 0, exceeded: true },
    ]);
  });

  it('lists resources already at their hard limit', () => {
    expect(exhaustedResources(quota).map((l) => l.resource)).toEqual(['pods']);
  });
});

describe('parseLimitRangeRefusal', () => {
  it('reads every violated bound', () => {
    const message =
      'pods "x" is forbidden: [maximum memory usage per Container is 1Gi, but limit is 2Gi, minimum cpu usage per Container is 100m, but request is 50m]';
    expect(parseLimitRangeRefusal(message)).toEqual({
      violations: [
        'maximum memory usage per Container is 1Gi, but limit is 2Gi',
        'minimum cpu usage per Container is 100m, but request is 50m',
      ],
      resources: ['memory', 'cpu'],
    });
  });
});
