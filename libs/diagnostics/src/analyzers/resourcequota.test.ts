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
  it('shows the arithmetic, the blocked workload, and a deletion that can be undone', () => {
    const [f] = resourceQuotaAnalyzer.analyze(
      snapshot({ resourceQuotas: [quota], replicaSets: [rs], events: [refused] }),
    );
    expect(f.reason).toBe('QuotaExceeded');
    expect(f.cause).toBe(
      'ResourceQuota compute is exhausted: requests.memory: asks 1Gi, 7.5Gi of 8Gi used, 512Mi left; it refuses new pods of Deployment shop/worker',
    );
    expect(f.suggestion).toEqual({
      action: { type: 'DeleteResourceQuota', namespace: NS, name: 'compute' },
      summary: 'Delete ResourceQuota shop/compute: it blocks Deployment shop/worker',
      expectedEffect:
        'The controllers create the refused pods on their next sync; the namespace has no quota until it is restored or raised.',
      risk: 'high',
      rollback: {
        description: 'Re-create ResourceQuota shop/compute from its manifest as it is now.',
        manifest: {
          apiVersion: 'v1',
          kind: 'ResourceQuota',
          metadata: { name: 'compute', namespace: NS, annotations: { team: 'orders' } },
          spec: { hard: { 'requests.memory': '8Gi' } },
        },
      },
    });
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
