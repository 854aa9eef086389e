// Break-then-fix, the kubelet's configuration checks. From the Kubernetes tasks "Configure a Pod to
// Use a ConfigMap" (https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/#restrictions:
// a pod referencing a missing ConfigMap or key does not start, unless the reference is optional),
// "Distribute Credentials Securely Using Secrets" (a secret volume whose Secret is missing keeps
// the pod in ContainerCreating with FailedMount) and "Configure a Security Context"
// (https://kubernetes.io/docs/tasks/configure-pod-container/security-context/: runAsNonRoot
// refuses an image that runs as root). Messages are the kubelet's (pkg/kubelet/kubelet_pods.go,
// pkg/volume/secret, pkg/kubelet/kuberuntime/security_context_others.go).
import { podsPath, useCluster } from '../../testing/cluster';
import { watchUntil } from '../../testing/watch-until';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const c = useCluster();

const waiting = (p: Json) => p.status?.containerStatuses?.[0]?.state?.waiting;
const running = (p: Json) =>
  p.status?.phase === 'Running' &&
  p.status.conditions?.find((x: Json) => x.type === 'Ready')?.status === 'True';
const events = (ns: string, pod: string) => c.events(ns, `involvedObject.name=${pod}`);

describe('the kubelet refuses to run a pod whose configuration is incomplete', () => {
  it('a missing ConfigMap, then a missing key, is CreateContainerConfigError until the key exists', async () => {
    const ns = await c.namespace('cfg-env');
    await c.apply(
      ns,
      `apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  containers:
  - name: app
    image: nginx:1.27
    env:
    - name: LOG_LEVEL
      valueFrom: {configMapKeyRef: {name: app-config, key: LOG_LEVEL}}
`,
    );
    let pod = await c.waitFor(
      podsPath(ns),
      'app',
      (p) => waiting(p)?.reason === 'CreateContainerConfigError',
    );
    expect(waiting(pod)).toEqual({
      reason: 'CreateContainerConfigError',
      message: 'configmap "app-config" not found',
    });
    expect(pod.status.phase).toBe('Pending');
    expect(pod.status.podIP).toMatch(/^10\.244\.100\.\d+$/); // the sandbox exists; the container does not
    expect(await c.ok(ns, 'get', 'pod', 'app')).toMatch(/\napp\s+0\/1\s+CreateContainerConfigError\s+0\s+/);
    const failed = (await events(ns, 'app')).find((e) => e.reason === 'Failed');
    expect(failed).toMatchObject({
      type: 'Warning',
      message: 'Error: configmap "app-config" not found',
      involvedObject: { fieldPath: 'spec.containers{app}' },
      source: { component: 'kubelet' },
    });

    await c.ok(ns, 'create', 'configmap', 'app-config', '--from-literal=LOGLEVEL=debug');
    pod = await c.waitFor(podsPath(ns), 'app', (p) => waiting(p)?.message?.startsWith("couldn't find key"));
    expect(waiting(pod).message).toBe(`couldn't find key LOG_LEVEL in ConfigMap ${ns}/app-config`);

    await c.ok(ns, 'patch', 'configmap', 'app-config', '-p', '{"data":{"LOG_LEVEL":"debug"}}');
    pod = await c.waitFor(podsPath(ns), 'app', running);
    expect(pod.status.containerStatuses[0]).toMatchObject({ ready: true, restartCount: 0, started: true });
  });

  it('a secret volume whose Secret is missing is FailedMount and ContainerCreating until the Secret is created', async () => {
    const ns = await c.namespace('cfg-vol');
    await c.apply(
      ns,
      `apiVersion: v1
kind: Pod
metadata: {name: db-client}
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: [sleep, "3600"]
    volumeMounts: [{name: creds, mountPath: /etc/creds, readOnly: true}]
  volumes:
  - name: creds
    secret: {secretName: db-credentials}
`,
    );
    const pod = await c.waitFor(podsPath(ns), 'db-client', (p) => waiting(p)?.reason === 'ContainerCreating');
    expect(pod.status.podIP).toBeUndefined();
    expect(pod.status.phase).toBe('Pending');
    expect(pod.status.conditions.map((x: Json) => [x.type, x.status])).toEqual([
      ['PodReadyToStartContainers', 'False'],
      ['Initialized', 'True'],
      ['Ready', 'False'],
      ['ContainersReady', 'False'],
      ['PodScheduled', 'True'],
    ]);
    expect(await c.ok(ns, 'get', 'pod', 'db-client')).toMatch(
      /\ndb-client\s+0\/1\s+ContainerCreating\s+0\s+/,
    );
    expect((await events(ns, 'db-client')).find((e) => e.reason === 'FailedMount')).toMatchObject({
      type: 'Warning',
      message: 'MountVolume.SetUp failed for volume "creds" : secret "db-credentials" not found',
      source: { component: 'kubelet' },
    });

    await c.ok(ns, 'create', 'secret', 'generic', 'db-credentials', '--from-literal=password=s3cret');
    const fixed = await c.waitFor(podsPath(ns), 'db-client', running);
    expect(fixed.status.podIP).toMatch(/^10\.244\.100\.\d+$/);
  });

  it('runAsNonRoot against an image that runs as root is refused until a non-root runAsUser is set', async () => {
    const ns = await c.namespace('cfg-sc');
    const deployment = (securityContext: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      securityContext: ${securityContext}
      containers: [{name: nginx, image: "nginx:1.27"}]
`;
    await c.apply(ns, deployment('{runAsNonRoot: true}'));
    const [pod] = await watchUntil(
      c.kc,
      podsPath(ns),
      (pods) => pods.length === 1 && waiting(pods[0])?.reason === 'CreateContainerConfigError',
    );
    expect(waiting(pod).message).toBe(
      `container has runAsNonRoot and image will run as root (pod: "${pod.metadata.name}_${ns}(${pod.metadata.uid})", container: nginx)`,
    );

    await c.apply(ns, deployment('{runAsNonRoot: true, runAsUser: 101}'));
    await c.ok(ns, 'rollout', 'status', 'deployment/web', '--timeout=60s');
    const pods = JSON.parse(await c.ok(ns, 'get', 'pods', '-o', 'json')).items as Json[];
    expect(pods.map((p) => [p.spec.securityContext.runAsUser, running(p)])).toEqual([[101, true]]);
  });

  it('optional references to a missing ConfigMap, Secret or key are skipped and the pod runs', async () => {
    const ns = await c.namespace('cfg-opt');
    await c.apply(
      ns,
      `apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  containers:
  - name: app
    image: nginx:1.27
    envFrom: [{secretRef: {name: extra-env, optional: true}}]
    env:
    - name: MODE
      valueFrom: {configMapKeyRef: {name: app-config, key: MODE, optional: true}}
    volumeMounts: [{name: overrides, mountPath: /etc/overrides}]
  volumes:
  - name: overrides
    configMap: {name: overrides, optional: true}
`,
    );
    const pod = await c.waitFor(podsPath(ns), 'app', running);
    expect(pod.status.containerStatuses[0].state.running).toBeDefined();
  });
});
