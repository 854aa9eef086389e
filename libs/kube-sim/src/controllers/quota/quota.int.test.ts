// ResourceQuota and LimitRange admission with the workload controllers, through the real
// @kubernetes/client-node: a quota refuses the pods past its limit with the real 403, the
// ReplicaSet reports FailedCreate (condition and Warning event) and so does the Deployment;
// deleting the quota lets the next retry through and the Deployment becomes Available.
import * as k8s from '@kubernetes/client-node';
import { startKubeSim, type KubeSim } from '../../index';
import { deploymentController, kubelet, quotaController, replicaSetController } from '../index';
import { kubeConfig } from '../../testing/client';
import { watchObject, watchUntil } from '../../testing/watch-until';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const NS = 'orders';
let sim: KubeSim;
let kc: k8s.KubeConfig;
let apps: k8s.AppsV1Api;
let core: k8s.CoreV1Api;

beforeAll(async () => {
  sim = await startKubeSim({
    prometheus: false,
    controllers: [
      quotaController(),
      replicaSetController({ baseBackoffMs: 10, maxBackoffMs: 100 }),
      deploymentController({ baseBackoffMs: 10, maxBackoffMs: 100 }),
      kubelet({ startDelayMs: 1, readyDelayMs: 1 }),
    ],
  });
  kc = kubeConfig(sim);
  apps = kc.makeApiClient(k8s.AppsV1Api);
  core = kc.makeApiClient(k8s.CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: NS } } });
});
afterAll(() => sim.close());

const condition = (o: Json, type: string) => (o.status?.conditions ?? []).find((c: Json) => c.type === type);

function pod(name: string, resources: Json = {}): k8s.V1Pod {
  return { metadata: { name }, spec: { containers: [{ name: 'app', image: 'worker:1', resources }] } };
}

async function refusal(p: Promise<unknown>): Promise<{ code: number; body: Json }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof k8s.ApiException) return { code: err.code, body: JSON.parse(err.body as string) };
    throw err;
  }
  throw new Error('expected the request to be refused');
}

describe('ResourceQuota', () => {
  it('refuses the pod that would exceed it, then admits the ReplicaSet retry once the quota is gone', async () => {
    await core.createNamespacedResourceQuota({
      namespace: NS,
      body: {
        metadata: { name: 'compute' },
        spec: { hard: { 'limits.memory': '1024Mi', 'requests.cpu': '2', pods: '10' } },
      },
    });
    await apps.createNamespacedDeployment({
      namespace: NS,
      body: {
        metadata: { name: 'worker' },
        spec: {
          replicas: 3,
          selector: { matchLabels: { app: 'worker' } },
          template: {
            metadata: { labels: { app: 'worker' } },
            spec: {
              containers: [
                {
                  name: 'app',
                  image: 'worker:1',
                  resources: { requests: { cpu: '100m' }, limits: { memory: '512Mi' } },
                },
              ],
            },
          },
        },
      },
    });
    const [rs] = await watchUntil(
      kc,
      `/apis/apps/v1/namespaces/${NS}/replicasets`,
      (list) =>
        list.length === 1 && condition(list[0], 'ReplicaFailure') && list[0].status?.readyReplicas === 2,
    );
    const message = `pods "${rs.metadata.name}-" is forbidden: exceeded quota: compute, requested: limits.memory=512Mi, used: limits.memory=1Gi, limited: limits.memory=1Gi`;
    expect(condition(rs, 'ReplicaFailure')).toEqual({
      type: 'ReplicaFailure',
      status: 'True',
      lastTransitionTime: expect.any(String),
      reason: 'FailedCreate',
      message,
    });
    expect(rs.status).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 2 });
    const events = (await core.listNamespacedEvent({ namespace: NS, fieldSelector: 'reason=FailedCreate' }))
      .items;
    expect(events[0]).toMatchObject({
      type: 'Warning',
      message: `Error creating: ${message}`,
      involvedObject: { kind: 'ReplicaSet', name: rs.metadata.name },
      source: { component: 'replicaset-controller' },
    });
    const d = await watchObject(kc, `/apis/apps/v1/namespaces/${NS}/deployments`, 'worker', (o) =>
      Boolean(condition(o, 'ReplicaFailure')),
    );
    expect(condition(d, 'ReplicaFailure')).toMatchObject({ status: 'True', reason: 'FailedCreate', message });
    expect(condition(d, 'Available')).toMatchObject({
      status: 'False',
      reason: 'MinimumReplicasUnavailable',
    });

    const quota = await watchObject(
      kc,
      `/api/v1/namespaces/${NS}/resourcequotas`,
      'compute',
      (q) => q.status?.used?.pods === '2',
    );
    expect(quota.status).toEqual({
      hard: { 'limits.memory': '1Gi', pods: '10', 'requests.cpu': '2' },
      used: { 'limits.memory': '1Gi', pods: '2', 'requests.cpu': '200m' },
    });

    // The same refusal, as the API server answers a direct create.
    const direct = await refusal(
      core.createNamespacedPod({
        namespace: NS,
        body: pod('direct', { requests: { cpu: '1500m' }, limits: { memory: '1Mi' } }),
      }),
    );
    expect(direct).toEqual({
      code: 403,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'pods "direct" is forbidden: exceeded quota: compute, requested: limits.memory=1Mi, used: limits.memory=1Gi, limited: limits.memory=1Gi',
        reason: 'Forbidden',
        details: { name: 'direct', kind: 'pods' },
        code: 403,
      },
    });

    await core.deleteNamespacedResourceQuota({ namespace: NS, name: 'compute' });
    const available = await watchObject(
      kc,
      `/apis/apps/v1/namespaces/${NS}/deployments`,
      'worker',
      (o) => condition(o, 'Available')?.status === 'True' && o.status?.availableReplicas === 3,
    );
    expect(condition(available, 'ReplicaFailure')).toBeUndefined();
    const after = await apps.readNamespacedReplicaSet({ namespace: NS, name: rs.metadata.name });
    expect(condition(after as Json, 'ReplicaFailure')).toBeUndefined();
  });

  it.each([
    [
      'a pod count quota',
      { pods: '0' },
      {},
      'pods "p1" is forbidden: exceeded quota: q1, requested: pods=1, used: pods=0, limited: pods=0',
    ],
    [
      'a container that does not state what a memory quota limits',
      { 'requests.memory': '1Gi', 'limits.cpu': '1' },
      { requests: { cpu: '10m' } },
      'pods "p2" is forbidden: failed quota: q2: must specify limits.cpu for: app; requests.memory for: app',
    ],
    [
      'requests in several resources at once',
      { 'requests.cpu': '500m', 'requests.memory': '100Mi' },
      { requests: { cpu: '750m', memory: '128Mi' } },
      'pods "p3" is forbidden: exceeded quota: q3, requested: requests.cpu=750m,requests.memory=128Mi, used: requests.cpu=0,requests.memory=0, limited: requests.cpu=500m,requests.memory=100Mi',
    ],
  ])('refuses %s', async (_what, hard, resources, message) => {
    const ns = `quota-${message.slice(6, 8)}`;
    const name = message.slice(6, 8);
    await core.createNamespace({ body: { metadata: { name: ns } } });
    await core.createNamespacedResourceQuota({
      namespace: ns,
      body: { metadata: { name: `q${name.slice(1)}` }, spec: { hard } },
    });
    const { code, body } = await refusal(
      core.createNamespacedPod({ namespace: ns, body: pod(name, resources) }),
    );
    expect(code).toBe(403);
    expect(body.message).toBe(message);
  });
});

describe('LimitRange', () => {
  it('fills missing requests and limits with the namespace defaults and says so on the pod', async () => {
    await core.createNamespace({ body: { metadata: { name: 'limits' } } });
    await core.createNamespacedLimitRange({
      namespace: 'limits',
      body: {
        metadata: { name: 'defaults' },
        // client-node's model names the `default` field `_default`.
        spec: {
          limits: [
            {
              type: 'Container',
              _default: { cpu: '500m', memory: '512Mi' },
              defaultRequest: { cpu: '100m' },
            },
          ],
        },
      },
    });
    const created = await core.createNamespacedPod({
      namespace: 'limits',
      body: pod('defaulted', { limits: { memory: '256Mi' } }),
    });
    expect(created.spec?.containers[0].resources).toEqual({
      limits: { cpu: '500m', memory: '256Mi' },
      requests: { cpu: '100m', memory: '256Mi' },
    });
    expect(created.metadata?.annotations).toEqual({
      'kubernetes.io/limit-ranger':
        'LimitRanger plugin set: cpu request for container app; cpu limit for container app',
    });
  });
});
