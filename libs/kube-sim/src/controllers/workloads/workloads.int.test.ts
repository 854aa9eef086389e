// The workload controllers and the kubelet through the real @kubernetes/client-node: a Deployment
// rolls out to Ready pods, an image change rolls forward, a template patch rolls back, scale and
// restart work, a bad image sticks in ImagePullBackOff until fixed, and a rollout that cannot
// progress reports ProgressDeadlineExceeded. Waits are watches, never sleeps.
import * as k8s from '@kubernetes/client-node';
import { startKubeSim, type KubeSim } from '../../index';
import { deploymentController, kubelet, quotaController, replicaSetController } from '../index';
import { kubeConfig } from '../../testing/client';
import { watchObject, watchUntil } from '../../testing/watch-until';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const NS = 'shop';
const DEPLOYMENTS = `/apis/apps/v1/namespaces/${NS}/deployments`;
const PODS = `/api/v1/namespaces/${NS}/pods`;

let sim: KubeSim;
let kc: k8s.KubeConfig;
let apps: k8s.AppsV1Api;
let core: k8s.CoreV1Api;

beforeAll(async () => {
  const fast = { baseBackoffMs: 10, maxBackoffMs: 200 };
  sim = await startKubeSim({
    prometheus: false,
    controllers: [
      quotaController(),
      replicaSetController(fast),
      deploymentController(fast),
      kubelet({ startDelayMs: 2, readyDelayMs: 2, imagePullBackOffMs: 10, retryMs: 20 }),
    ],
  });
  kc = kubeConfig(sim);
  apps = kc.makeApiClient(k8s.AppsV1Api);
  core = kc.makeApiClient(k8s.CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: NS } } });
});
afterAll(() => sim.close());

function deployment(name: string, image: string, replicas = 3, extra: Json = {}): k8s.V1Deployment {
  return {
    metadata: {
      name,
      labels: { app: name },
      annotations: { 'kubernetes.io/change-cause': `deploy ${image}` },
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'app',
              image,
              ports: [{ containerPort: 80 }],
              readinessProbe: { httpGet: { path: '/', port: 80 } },
            },
          ],
        },
      },
      ...extra,
    },
  };
}

const condition = (o: Json, type: string) => (o.status?.conditions ?? []).find((c: Json) => c.type === type);
const complete = (d: Json) =>
  d.status?.observedGeneration === d.metadata.generation &&
  d.status?.updatedReplicas === d.spec.replicas &&
  d.status?.availableReplicas === d.spec.replicas &&
  d.status?.replicas === d.spec.replicas &&
  condition(d, 'Progressing')?.reason === 'NewReplicaSetAvailable';
const revision = (o: Json) => o.metadata.annotations?.['deployment.kubernetes.io/revision'];

async function rolledOut(name: string): Promise<Json> {
  return watchObject(kc, DEPLOYMENTS, name, complete);
}

async function replicaSetsOf(name: string): Promise<Json[]> {
  const list = await apps.listNamespacedReplicaSet({ namespace: NS, labelSelector: `app=${name}` });
  return list.items as Json[];
}

async function runningPods(name: string, count: number, image: string): Promise<Json[]> {
  return watchUntil(
    kc,
    PODS,
    (pods) =>
      pods.length === count &&
      pods.every(
        (p) =>
          p.status?.phase === 'Running' &&
          condition(p, 'Ready')?.status === 'True' &&
          p.spec.containers[0].image === image,
      ),
    { labelSelector: `app=${name}` },
  );
}

describe('Deployment → ReplicaSet → Pods', () => {
  it('rolls a new Deployment out to Ready pods on a node, with the real status and events', async () => {
    await apps.createNamespacedDeployment({ namespace: NS, body: deployment('web', 'nginx:1.27') });
    const d = await rolledOut('web');
    expect(d.status).toMatchObject({
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    });
    expect(d.status.unavailableReplicas).toBeUndefined();
    expect(condition(d, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    expect(revision(d)).toBe('1');

    const [rs] = await replicaSetsOf('web');
    const hash = rs.metadata.labels['pod-template-hash'];
    expect(hash).toMatch(/^[bcdf4-9]{6,10}$/);
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true }),
    ]);
    expect(rs.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
      'kubernetes.io/change-cause': 'deploy nginx:1.27',
    });
    expect(rs.spec.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.status).toMatchObject({
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      fullyLabeledReplicas: 3,
    });
    expect(condition(d, 'Progressing')?.message).toBe(
      `ReplicaSet "${rs.metadata.name}" has successfully progressed.`,
    );

    const pods = await runningPods('web', 3, 'nginx:1.27');
    for (const p of pods) {
      expect(p.metadata.generateName).toBe(`${rs.metadata.name}-`);
      expect(p.spec.nodeName).toBe('kube-sim-worker');
      expect(p.status.podIP).toMatch(/^10\.244\.100\.\d+$/);
      expect(p.status.containerStatuses[0]).toMatchObject({
        name: 'app',
        ready: true,
        started: true,
        image: 'docker.io/library/nginx:1.27',
        imageID: expect.stringMatching(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/),
        containerID: expect.stringMatching(/^containerd:\/\/[0-9a-f]{64}$/),
        state: { running: { startedAt: expect.any(String) } },
      });
      expect(p.status.conditions.map((c: Json) => c.type)).toEqual([
        'PodReadyToStartContainers',
        'Initialized',
        'Ready',
        'ContainersReady',
        'PodScheduled',
      ]);
    }
    expect(new Set(pods.map((p) => p.status.podIP)).size).toBe(3);

    const events = (await core.listNamespacedEvent({ namespace: NS })).items;
    const messages = events.map((e) => `${e.reason}: ${e.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        `ScalingReplicaSet: Scaled up replica set ${rs.metadata.name} from 0 to 3`,
        `SuccessfulCreate: Created pod: ${pods[0].metadata.name}`,
        `Scheduled: Successfully assigned ${NS}/${pods[0].metadata.name} to kube-sim-worker`,
        'Pulling: Pulling image "nginx:1.27"',
        'Created: Created container app',
        'Started: Started container app',
      ]),
    );
    const scheduled = events.find((e) => e.reason === 'Scheduled') as Json;
    expect(scheduled).toMatchObject({
      action: 'Binding',
      reportingComponent: 'default-scheduler',
      firstTimestamp: null,
    });
    expect(scheduled.eventTime).toBeDefined();
    const started = events.find((e) => e.reason === 'Started') as Json;
    expect(started).toMatchObject({
      source: { component: 'kubelet', host: 'kube-sim-worker' },
      involvedObject: { kind: 'Pod', fieldPath: 'spec.containers{app}' },
    });
  });

  it('rolls forward on an image change: a new ReplicaSet, revision 2, the old one scaled to 0', async () => {
    await apps.patchNamespacedDeployment(
      {
        namespace: NS,
        name: 'web',
        body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.28' }] } } } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    const d = await rolledOut('web');
    expect(revision(d)).toBe('2');
    await runningPods('web', 3, 'nginx:1.28');
    const rss = await replicaSetsOf('web');
    expect(rss.map((rs) => [revision(rs), rs.spec.replicas]).sort()).toEqual([
      ['1', 0],
      ['2', 3],
    ]);
    const events = (
      await core.listNamespacedEvent({ namespace: NS, fieldSelector: 'reason=ScalingReplicaSet' })
    ).items;
    const old = rss.find((rs) => revision(rs) === '1')!;
    expect(events.map((e) => e.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^Scaled down replica set ${old.metadata.name} from \\d to \\d$`)),
      ]),
    );
  });

  it('rolls back by patching the old template in: the old ReplicaSet is reused as revision 3', async () => {
    const rss = await replicaSetsOf('web');
    const first = rss.find((rs) => revision(rs) === '1')!;
    const template = structuredClone(first.spec.template);
    delete template.metadata.labels['pod-template-hash'];
    await apps.patchNamespacedDeployment(
      { namespace: NS, name: 'web', body: [{ op: 'replace', path: '/spec/template', value: template }] },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
    );
    const d = await rolledOut('web');
    expect(revision(d)).toBe('3');
    await runningPods('web', 3, 'nginx:1.27');
    const after = await replicaSetsOf('web');
    expect(after).toHaveLength(2);
    const reused = after.find((rs) => rs.metadata.uid === first.metadata.uid)!;
    expect(reused.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '3',
      'deployment.kubernetes.io/revision-history': '1',
    });
    expect(reused.spec.replicas).toBe(3);
    expect(after.find((rs) => rs !== reused)!.spec.replicas).toBe(0);
  });

  it('scales through the scale subresource', async () => {
    await apps.patchNamespacedDeploymentScale(
      { namespace: NS, name: 'web', body: { spec: { replicas: 5 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await runningPods('web', 5, 'nginx:1.27');
    const d = await rolledOut('web');
    expect(d.status).toMatchObject({ replicas: 5, availableReplicas: 5 });
    expect(revision(d)).toBe('3');
    const scale = await apps.readNamespacedDeploymentScale({ namespace: NS, name: 'web' });
    expect(scale.status?.replicas).toBe(5);

    await apps.replaceNamespacedDeploymentScale({
      namespace: NS,
      name: 'web',
      body: { metadata: { name: 'web', namespace: NS }, spec: { replicas: 2 } },
    });
    await runningPods('web', 2, 'nginx:1.27');
  });

  it('restarts a rollout through the restartedAt annotation, as kubectl rollout restart does', async () => {
    const before = new Set((await replicaSetsOf('web')).map((rs) => rs.metadata.uid));
    const restartedAt = new Date().toISOString();
    await apps.patchNamespacedDeployment(
      {
        namespace: NS,
        name: 'web',
        body: {
          spec: {
            template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': restartedAt } } },
          },
        },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    const d = await rolledOut('web');
    expect(revision(d)).toBe('4');
    const pods = await runningPods('web', 2, 'nginx:1.27');
    expect(
      pods.every((p) => p.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'] === restartedAt),
    ).toBe(true);
    const fresh = (await replicaSetsOf('web')).filter((rs) => !before.has(rs.metadata.uid));
    expect(fresh).toHaveLength(1);
  });

  it('replaces a deleted pod', async () => {
    const [victim] = await runningPods('web', 2, 'nginx:1.27');
    await core.deleteNamespacedPod({ namespace: NS, name: victim.metadata.name });
    const pods = await runningPods('web', 2, 'nginx:1.27');
    expect(pods.map((p) => p.metadata.name)).not.toContain(victim.metadata.name);
  });

  it('keeps revisionHistoryLimit old ReplicaSets, deleting the oldest once a rollout completes', async () => {
    await apps.createNamespacedDeployment({
      namespace: NS,
      body: deployment('hist', 'hist:1', 1, { revisionHistoryLimit: 1 }),
    });
    await rolledOut('hist');
    for (const tag of ['2', '3']) {
      await apps.patchNamespacedDeployment(
        {
          namespace: NS,
          name: 'hist',
          body: { spec: { template: { spec: { containers: [{ name: 'app', image: `hist:${tag}` }] } } } },
        },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
      );
      await watchObject(kc, DEPLOYMENTS, 'hist', (d) => complete(d) && revision(d) === tag);
    }
    const rss = await watchUntil(
      kc,
      `/apis/apps/v1/namespaces/${NS}/replicasets`,
      (list) => list.length === 2,
      {
        labelSelector: 'app=hist',
      },
    );
    expect(rss.map(revision).sort()).toEqual(['2', '3']);
  });

  it('Recreate: the old pods go before the new ones come', async () => {
    await apps.createNamespacedDeployment({
      namespace: NS,
      body: deployment('batch', 'batch-runner:1.36', 2, { strategy: { type: 'Recreate' } }),
    });
    await rolledOut('batch');
    await apps.patchNamespacedDeployment(
      {
        namespace: NS,
        name: 'batch',
        body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'batch-runner:1.37' }] } } } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    await rolledOut('batch');
    await runningPods('batch', 2, 'batch-runner:1.37');
    const scaled = (
      await core.listNamespacedEvent({ namespace: NS, fieldSelector: 'reason=ScalingReplicaSet' })
    ).items
      .filter((e) => e.involvedObject.name === 'batch')
      .map((e) => e.message);
    expect(scaled).toEqual([
      expect.stringMatching(/^Scaled up replica set batch-\w+ from 0 to 2$/),
      expect.stringMatching(/^Scaled down replica set batch-\w+ from 2 to 0$/),
      expect.stringMatching(/^Scaled up replica set batch-\w+ from 0 to 2$/),
    ]);
  });
});

describe('the kubelet and images', () => {
  it('keeps a missing image in ImagePullBackOff with the real messages until the image is fixed', async () => {
    await apps.createNamespacedDeployment({
      namespace: NS,
      body: deployment('api', 'registry.example.com/api:1.0', 2),
    });
    await rolledOut('api');
    await apps.patchNamespacedDeployment(
      {
        namespace: NS,
        name: 'api',
        body: {
          spec: {
            template: {
              metadata: {
                annotations: { 'kube-sim.foxhound.dev/fail-image': 'registry.example.com/api:1.1' },
              },
              spec: { containers: [{ name: 'app', image: 'registry.example.com/api:1.1' }] },
            },
          },
        },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    const [stuck] = await watchUntil(
      kc,
      PODS,
      (pods) =>
        pods.some((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff'),
      { labelSelector: 'app=api' },
    ).then((pods) => pods.filter((p) => p.status?.containerStatuses?.[0]?.state?.waiting));
    expect(stuck.status.phase).toBe('Pending');
    expect(stuck.status.containerStatuses[0]).toMatchObject({
      ready: false,
      started: false,
      imageID: '',
      state: {
        waiting: {
          reason: 'ImagePullBackOff',
          message: 'Back-off pulling image "registry.example.com/api:1.1"',
        },
      },
    });
    expect(condition(stuck, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [app]',
    });
    const events = (
      await core.listNamespacedEvent({
        namespace: NS,
        fieldSelector: `involvedObject.name=${stuck.metadata.name}`,
      })
    ).items.map((e) => `${e.type} ${e.reason}: ${e.message}`);
    expect(events).toEqual(
      expect.arrayContaining([
        'Warning Failed: Failed to pull image "registry.example.com/api:1.1": rpc error: code = NotFound desc = failed to pull and unpack image "registry.example.com/api:1.1": failed to resolve reference "registry.example.com/api:1.1": registry.example.com/api:1.1: not found',
        'Warning Failed: Error: ErrImagePull',
        'Normal BackOff: Back-off pulling image "registry.example.com/api:1.1"',
        'Warning Failed: Error: ImagePullBackOff',
      ]),
    );
    // The rollout is stuck: the old pods keep serving (maxUnavailable 0 of 2).
    const d = await watchObject(kc, DEPLOYMENTS, 'api', (o) => o.status?.updatedReplicas === 1);
    expect(d.status).toMatchObject({ replicas: 3, availableReplicas: 2, unavailableReplicas: 1 });
    expect(condition(d, 'Progressing')).toMatchObject({ status: 'True', reason: 'ReplicaSetUpdated' });

    await apps.patchNamespacedDeployment(
      {
        namespace: NS,
        name: 'api',
        body: {
          spec: {
            template: { spec: { containers: [{ name: 'app', image: 'registry.example.com/api:1.1.1' }] } },
          },
        },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    // Still annotated to fail 1.1 only: 1.1.1 pulls.
    await rolledOut('api');
    await runningPods('api', 2, 'registry.example.com/api:1.1.1');
    const rss = await replicaSetsOf('api');
    expect(rss.filter((rs) => rs.spec.replicas > 0)).toHaveLength(1);
  });

  it('reports ProgressDeadlineExceeded when a rollout makes no progress in time', async () => {
    await apps.createNamespacedDeployment({
      namespace: NS,
      body: deployment('stuck', 'Registry.Example.com/Bad:1', 1, { progressDeadlineSeconds: 1 }),
    });
    const d = await watchObject(
      kc,
      DEPLOYMENTS,
      'stuck',
      (o) => condition(o, 'Progressing')?.status === 'False',
    );
    const [rs] = await replicaSetsOf('stuck');
    expect(condition(d, 'Progressing')).toMatchObject({
      reason: 'ProgressDeadlineExceeded',
      message: `ReplicaSet "${rs.metadata.name}" has timed out progressing.`,
    });
    expect(condition(d, 'Available')).toMatchObject({
      status: 'False',
      reason: 'MinimumReplicasUnavailable',
    });
    const [pod] = (await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=stuck' }))
      .items as Json[];
    expect(pod.status.containerStatuses[0].state.waiting).toEqual({
      reason: 'InvalidImageName',
      message:
        'Failed to apply default image tag "Registry.Example.com/Bad:1": couldn\'t parse image name "Registry.Example.com/Bad:1": invalid reference format: repository name (path) must be lowercase',
    });
  });
});
