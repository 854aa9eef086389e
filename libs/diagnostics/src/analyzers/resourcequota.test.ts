import { type LimitRange, type ResourceQuota } from '../snapshot';
import { NS, container, event, replicaSet, snapshot, template } from '../__fixtures__/build';
import { limitRangeAnalyzer } from './limitrange';
import { resourceQuotaAnalyzer } from './resourcequota';

const quota: ResourceQuota = {
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: {
    name: 'compute',
    namespace: NS,
    resourceVersion: '77',
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', team: 'orders' },
  },
  spec: { hard: { 'requests.memory': '8Gi' } },
  status: { hard: { 'requests.memory': '8Gi' }, used: { 'requests.memory': '7680Mi' } },
};
const rs = replicaSet('worker-7d', {
  deployment: 'worker',
  template: template({ app: 'worker' }, [
    container('worker', { resources: { requests: { memory: '1Gi' } } }),
  ]),
  replicas: 8,
  ready: 6,
});
const refused = event(
  { kind: 'ReplicaSet', name: 'worker-7d' },
  'FailedCreate',
  'Error creating: pods "worker-7d-x" is forbidden: exceeded quota: compute, requested: requests.memory=1Gi, used: requests.memory=7680Mi, limited: requests.memory=8Gi',
  { count: 30 },
);

describe('resourcequota analyzer', () => {
  it('shows the arithmetic, the blocked workload, and a raise that can be undone', () => {
    const [f] = resourceQuotaAnalyzer.analyze(
      snapshot({ resourceQuotas: [quota], replicaSets: [rs], events: [refused] }),
    );
    expect(f.reason).toBe('QuotaExceeded');
    expect(f.cause).toBe(
      'ResourceQuota compute is exhausted: requests.memory: asks 1Gi, 7.5Gi of 8Gi used, 512Mi left; it refuses new pods of Deployment shop/worker',
    );
    // 7.5Gi used plus the 1Gi the refused pod asks: the quota keeps every other limit it sets.
    expect(f.suggestion).toEqual({
      action: {
        type: 'PatchResourceQuota',
        namespace: NS,
        name: 'compute',
        hard: { 'requests.memory': '8704Mi' },
      },
      summary:
        'Raise ResourceQuota shop/compute to requests.memory=8704Mi (from requests.memory=8Gi), enough for 1 refused pod(s): it blocks Deployment shop/worker',
      expectedEffect:
        'The quota admits the 1 refused pod(s); the controllers create them on their next sync. Every other limit of the quota stays.',
      risk: 'low',
      rollback: {
        description: 'Put ResourceQuota shop/compute back to its current limits.',
        action: {
          type: 'RestoreObject',
          namespace: NS,
          name: 'compute',
          kind: 'ResourceQuota',
          preImage: expect.objectContaining({ body: { hard: { 'requests.memory': '8Gi' } } }),
        },
      },
    });
  });

  it('suggests deleting a quota only when raising it cannot help (it requires limits the pods do not set)', () => {
    const limits = { ...quota, spec: { hard: { 'limits.memory': '8Gi' } } };
    const e = event(
      { kind: 'ReplicaSet', name: 'worker-7d', namespace: NS },
      'FailedCreate',
      'Error creating: pods "worker-7d-x" is forbidden: failed quota: compute: must specify limits.memory for: app',
    );
    const [f] = resourceQuotaAnalyzer.analyze(
      snapshot({ resourceQuotas: [limits], replicaSets: [rs], events: [e] }),
    );
    expect(f.reason).toBe('QuotaRequiresLimits');
    expect(f.suggestion?.action).toEqual({ type: 'DeleteResourceQuota', namespace: NS, name: 'compute' });
  });

  it('notes a quota at its limit without refusals at low severity, and is quiet otherwise', () => {
    const full = {
      ...quota,
      status: { hard: { pods: '10' }, used: { pods: '10' } },
      spec: { hard: { pods: '10' } },
    };
    expect(
      resourceQuotaAnalyzer.analyze(snapshot({ resourceQuotas: [full] })).map((f) => [f.reason, f.severity]),
    ).toEqual([['QuotaAtLimit', 'low']]);
    expect(resourceQuotaAnalyzer.analyze(snapshot({ resourceQuotas: [quota] }))).toStrictEqual([]);
  });

  it('makes no suggestion in a protected namespace', () => {
    const system = { ...quota, metadata: { ...quota.metadata, namespace: 'kube-system' } };
    const e = event(
      { kind: 'ReplicaSet', name: 'worker-7d', namespace: 'kube-system' },
      'FailedCreate',
      refused.message!,
    );
    const [f] = resourceQuotaAnalyzer.analyze(
      snapshot({ resourceQuotas: [system], events: [e] }, { namespaces: ['kube-system'] }),
    );
    expect(f.suggestion).toBeUndefined();
  });
});

describe('limitrange analyzer', () => {
  it('names the bound the refused pods break', () => {
    const lr: LimitRange = {
      metadata: { name: 'limits', namespace: NS },
      spec: { limits: [{ type: 'Container', max: { memory: '1Gi' } }] },
    };
    const e = event(
      { kind: 'ReplicaSet', name: 'worker-7d' },
      'FailedCreate',
      'Error creating: pods "worker-7d-x" is forbidden: maximum memory usage per Container is 1Gi, but limit is 2Gi',
    );
    const [f] = limitRangeAnalyzer.analyze(snapshot({ limitRanges: [lr], events: [e] }));
    expect(f).toMatchObject({
      reason: 'LimitRangeViolation',
      cause:
        'LimitRange limits refuses the pods: maximum memory usage per Container is 1Gi, but limit is 2Gi',
    });
    expect(limitRangeAnalyzer.analyze(snapshot({ limitRanges: [lr] }))).toStrictEqual([]);
  });
});
