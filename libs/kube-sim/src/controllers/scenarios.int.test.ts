// The controllers over loaded scenarios: a replayed incident stays exactly as captured until
// someone acts on it, and then the remediations Foxhound proposes work end to end, through the
// real @kubernetes/client-node: DeleteResourceQuota lets the refused pods in and the Deployment
// becomes available; PatchDeploymentImage finishes a rollout stuck in ImagePullBackOff;
// RollbackDeployment (the old template patched back in, as kubectl rollout undo does) replaces a
// rollout whose pods fit no node.
import * as k8s from '@kubernetes/client-node';
import { join } from 'node:path';
import { startKubeSim, type KubeSim } from '../index';
import { kubeConfig } from '../testing/client';
import { watchObject, watchUntil } from '../testing/watch-until';
import { defaultControllers } from './index';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SCENARIOS = join(__dirname, '..', '..', '..', '..', 'scenarios');
let sim: KubeSim;
let kc: k8s.KubeConfig;
let apps: k8s.AppsV1Api;
let core: k8s.CoreV1Api;
const loadedVersions = new Map<string, string>();

const condition = (o: Json, type: string) => (o.status?.conditions ?? []).find((c: Json) => c.type === type);
const everything = () => sim.store.allBuckets().flatMap((b) => [...b.items.values()]);

beforeAll(async () => {
  sim = await startKubeSim({
    prometheus: false,
    scenarios: ['quota-blocks-admission', 'imagepull-bad-tag', 'pending-insufficient-resources'].map((s) =>
      join(SCENARIOS, s),
    ),
    controllers: defaultControllers({
      workloads: { baseBackoffMs: 10, maxBackoffMs: 200 },
      kubelet: { startDelayMs: 1, readyDelayMs: 1, imagePullBackOffMs: 5 },
      agentSandbox: false,
    }),
  });
  for (const o of everything()) loadedVersions.set(o.metadata.uid, o.metadata.resourceVersion);
  kc = kubeConfig(sim);
  apps = kc.makeApiClient(k8s.AppsV1Api);
  core = kc.makeApiClient(k8s.CoreV1Api);
});
afterAll(() => sim.close());

describe('controllers over loaded scenarios', () => {
  it('leave a loaded scenario as captured while other work goes on', async () => {
    await core.createNamespace({ body: { metadata: { name: 'sentinel' } } });
    await apps.createNamespacedDeployment({
      namespace: 'sentinel',
      body: {
        metadata: { name: 'probe' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'probe' } },
          template: {
            metadata: { labels: { app: 'probe' } },
            spec: { containers: [{ name: 'app', image: 'probe:1' }] },
          },
        },
      },
    });
    // Once this rollout is done, every controller has drained the work it had.
    await watchObject(
      kc,
      '/apis/apps/v1/namespaces/sentinel/deployments',
      'probe',
      (d) => d.status?.availableReplicas === 2,
    );
    const changed = everything().filter(
      (o) =>
        loadedVersions.has(o.metadata.uid) &&
        loadedVersions.get(o.metadata.uid) !== o.metadata.resourceVersion,
    );
    expect(changed.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([]);
    const [probe] = (await core.listNamespacedPod({ namespace: 'sentinel' })).items as Json[];
    // Scheduled onto the scenario's nodes, with an address from the node's subnet that no pod uses.
    expect(probe.spec.nodeName).toMatch(/^ip-10-0-\d-\d+\.eu-west-1\.compute\.internal$/);
    const subnet = probe.spec.nodeName.replace(/^ip-(10)-(0)-(\d)-.*$/, '$1.$2.$3.');
    expect(probe.status.podIP.startsWith(subnet)).toBe(true);
    const ips = everything()
      .filter((o) => o.kind === 'Pod')
      .map((o) => (o as Json).status?.podIP)
      .filter(Boolean);
    expect(new Set(ips).size).toBe(ips.length);
  });

  it('DeleteResourceQuota: the ReplicaSet creates the refused pods and the Deployment becomes available', async () => {
    const before = (await apps.readNamespacedDeployment({
      namespace: 'orders',
      name: 'order-processor',
    })) as Json;
    expect(before.status).toMatchObject({ replicas: 6, availableReplicas: 6 });
    expect(condition(before, 'ReplicaFailure')?.reason).toBe('FailedCreate');

    await core.deleteNamespacedResourceQuota({ namespace: 'orders', name: 'orders-compute' });
    const after = await watchObject(
      kc,
      '/apis/apps/v1/namespaces/orders/deployments',
      'order-processor',
      (d) => d.status?.availableReplicas === 8 && !condition(d, 'ReplicaFailure'),
    );
    expect(after.metadata.annotations['deployment.kubernetes.io/revision']).toBe('64');
    expect(after.status).toMatchObject({ replicas: 8, updatedReplicas: 8, readyReplicas: 8 });
    expect(condition(after, 'Available')).toMatchObject({
      status: 'True',
      reason: 'MinimumReplicasAvailable',
    });
    const pods = await watchUntil(kc, '/api/v1/namespaces/orders/pods', (list) => list.length === 8, {
      labelSelector: 'app.kubernetes.io/name=order-processor',
    });
    expect(pods.every((p) => p.status.phase === 'Running')).toBe(true);
  });

  it('PatchDeploymentImage: a rollout stuck in ImagePullBackOff completes with the right tag', async () => {
    const [stuck] = (
      await core.listNamespacedPod({
        namespace: 'storefront',
        labelSelector: 'app.kubernetes.io/name=catalog-api,pod-template-hash=6b7c9d5f84',
      })
    ).items as Json[];
    // Re-created, the pod is stuck again: the registry still has no 3.12.1.
    await core.deleteNamespacedPod({ namespace: 'storefront', name: stuck.metadata.name });
    const [again] = await watchUntil(
      kc,
      '/api/v1/namespaces/storefront/pods',
      (list) =>
        list.some((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff'),
      { labelSelector: 'pod-template-hash=6b7c9d5f84' },
    );
    expect(again.metadata.name).not.toBe(stuck.metadata.name);

    await apps.patchNamespacedDeployment(
      {
        namespace: 'storefront',
        name: 'catalog-api',
        body: {
          spec: {
            template: {
              spec: {
                containers: [
                  {
                    name: 'catalog-api',
                    image: '491208735114.dkr.ecr.eu-west-1.amazonaws.com/storefront/catalog-api:v3.12.1',
                  },
                ],
              },
            },
          },
        },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    const d = await watchObject(
      kc,
      '/apis/apps/v1/namespaces/storefront/deployments',
      'catalog-api',
      (o) =>
        condition(o, 'Progressing')?.reason === 'NewReplicaSetAvailable' && o.status?.updatedReplicas === 3,
    );
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('60');
    expect(d.status).toMatchObject({ replicas: 3, availableReplicas: 3 });
    const rss = (
      await apps.listNamespacedReplicaSet({
        namespace: 'storefront',
        labelSelector: 'app.kubernetes.io/name=catalog-api',
      })
    ).items as Json[];
    expect(
      rss
        .filter((rs) => rs.spec.replicas > 0)
        .map((rs) => rs.metadata.annotations['deployment.kubernetes.io/revision']),
    ).toEqual(['60']);
  });

  it('RollbackDeployment: a re-created pod still fits no node, the rollback brings the old ReplicaSet back', async () => {
    const [pending] = (
      await core.listNamespacedPod({ namespace: 'analytics', labelSelector: 'pod-template-hash=84d6c9b7f5' })
    ).items as Json[];
    await core.deleteNamespacedPod({ namespace: 'analytics', name: pending.metadata.name });
    const [again] = await watchUntil(
      kc,
      '/api/v1/namespaces/analytics/pods',
      (list) => list.some((p) => condition(p, 'PodScheduled')?.reason === 'Unschedulable'),
      { labelSelector: 'pod-template-hash=84d6c9b7f5' },
    );
    expect(condition(again, 'PodScheduled').message).toBe(condition(pending, 'PodScheduled').message);

    const previous = (await apps.readNamespacedReplicaSet({
      namespace: 'analytics',
      name: 'trino-worker-7c5f9b8d46',
    })) as Json;
    const template = structuredClone(previous.spec.template);
    delete template.metadata.labels['pod-template-hash'];
    await apps.patchNamespacedDeployment(
      {
        namespace: 'analytics',
        name: 'trino-worker',
        body: [{ op: 'replace', path: '/spec/template', value: template }],
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
    );
    const d = await watchObject(
      kc,
      '/apis/apps/v1/namespaces/analytics/deployments',
      'trino-worker',
      (o) => condition(o, 'Progressing')?.reason === 'NewReplicaSetAvailable' && o.status?.replicas === 2,
    );
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('14');
    const rss = (
      await apps.listNamespacedReplicaSet({
        namespace: 'analytics',
        labelSelector: 'app.kubernetes.io/name=trino-worker',
      })
    ).items as Json[];
    const byName = Object.fromEntries(
      rss.map((rs) => [
        rs.metadata.name,
        [rs.metadata.annotations['deployment.kubernetes.io/revision'], rs.spec.replicas],
      ]),
    );
    expect(byName).toEqual({ 'trino-worker-7c5f9b8d46': ['14', 2], 'trino-worker-84d6c9b7f5': ['13', 0] });
  });
});
