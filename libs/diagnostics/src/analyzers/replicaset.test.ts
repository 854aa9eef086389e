import { event, replicaSet, snapshot, template } from '../__fixtures__/build';
import { replicaSetAnalyzer } from './replicaset';

const rs = replicaSet('api-7d', {
  deployment: 'api',
  template: template({ app: 'api' }),
  replicas: 3,
  ready: 1,
});

describe('replicaset analyzer', () => {
  it.each([
    [
      'a quota refusal',
      'Error creating: pods "api-7d-x" is forbidden: exceeded quota: compute, requested: requests.memory=128Mi, used: requests.memory=1Gi, limited: requests.memory=1Gi',
      'ResourceQuota shop/compute is exhausted and refuses new pods (requests.memory: asks 128Mi, 1Gi of 1Gi used, nothing left)',
    ],
    [
      'a webhook denial',
      'Error creating: admission webhook "policy.example.com" denied the request: images must come from r.io',
      'admission webhook policy.example.com denies the request',
    ],
    [
      'a missing service account',
      'Error creating: pods "api-7d-x" is forbidden: error looking up service account shop/api: serviceaccount "api" not found',
      'ServiceAccount shop/api does not exist',
    ],
    [
      'Pod Security',
      'Error creating: pods "api-7d-x" is forbidden: violates PodSecurity "restricted:latest": privileged',
      'Pod Security admission rejects the pod spec',
    ],
  ])('explains %s', (_name, message, cause) => {
    const [f] = replicaSetAnalyzer.analyze(
      snapshot({
        replicaSets: [rs],
        events: [event({ kind: 'ReplicaSet', name: 'api-7d' }, 'FailedCreate', message, { count: 12 })],
      }),
    );
    expect(f).toMatchObject({
      id: 'replicaset:FailedCreate:shop/api-7d',
      parent: { kind: 'Deployment', name: 'api', namespace: 'shop' },
      cause,
    });
  });

  it('points a quota refusal at the quota, for ranking', () => {
    const message = 'exceeded quota: compute, requested: pods=1, used: pods=10, limited: pods=10';
    const [f] = replicaSetAnalyzer.analyze(
      snapshot({
        replicaSets: [rs],
        events: [event({ kind: 'ReplicaSet', name: 'api-7d' }, 'FailedCreate', message)],
      }),
    );
    expect(f.evidence.find((e) => e.source === 'analysis')?.ref).toEqual({
      kind: 'ResourceQuota',
      name: 'compute',
      namespace: 'shop',
    });
  });

  it.each([
    ['a ReplicaSet with all its pods', replicaSet('ok-1', { replicas: 2, ready: 2 })],
    ['a scaled-down old ReplicaSet', replicaSet('old-1', { replicas: 0, ready: 0 })],
  ])('stays quiet for %s', (_name, r) => {
    expect(replicaSetAnalyzer.analyze(snapshot({ replicaSets: [r] }))).toStrictEqual([]);
  });
});
