// Break-then-fix, probes (declared-behaviour mode). From the Kubernetes task "Configure Liveness,
// Readiness and Startup Probes"
// (https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/):
// the liveness-exec example (`cat /tmp/healthy` fails once the file is removed: Unhealthy, then
// `Container liveness failed liveness probe, will be restarted`), a liveness probe on a port nothing
// listens on (connection refused, restarts), and a readiness probe answered 404 (Running, not
// Ready, out of the Service's ready endpoints). One simulated second is 2 ms here.
import { containerStatus as status, podsPath, useCluster } from '../../testing/cluster';
import { watchUntil } from '../../testing/watch-until';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const c = useCluster();

const eventsOf = (ns: string, reason: string) => c.events(ns, `reason=${reason}`);
const web = (probe: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports: [{containerPort: 80}]
${probe.replace(/^/gm, '        ')}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80}]}
`;

describe('probes run against what the container declares', () => {
  it('the liveness-exec example: once /tmp/healthy is removed the probe fails and the container is restarted', async () => {
    const ns = await c.namespace('probe-exec');
    await c.apply(
      ns,
      `apiVersion: v1
kind: Pod
metadata: {name: liveness-exec, labels: {test: liveness}}
spec:
  containers:
  - name: liveness
    image: registry.k8s.io/busybox
    args: [/bin/sh, -c, "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"]
    livenessProbe:
      exec: {command: [cat, /tmp/healthy]}
      initialDelaySeconds: 5
      periodSeconds: 5
`,
    );
    const restarted = await c.waitFor(podsPath(ns), 'liveness-exec', (p) => status(p).restartCount >= 1);
    expect(status(restarted).lastState.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
    const [unhealthy] = await eventsOf(ns, 'Unhealthy');
    expect(unhealthy).toMatchObject({
      type: 'Warning',
      message: "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory",
      involvedObject: { fieldPath: 'spec.containers{liveness}' },
      source: { component: 'kubelet' },
    });
    expect((await eventsOf(ns, 'Killing'))[0].message).toBe(
      'Container liveness failed liveness probe, will be restarted',
    );
  });

  it('a liveness probe on a port nothing listens on restarts the container until it probes the served port', async () => {
    const ns = await c.namespace('probe-port');
    await c.apply(ns, web('livenessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 5}'));
    const [looping] = await watchUntil(c.kc, podsPath(ns), (pods) =>
      pods.some((p) => status(p).restartCount >= 1),
    );
    const ip = looping.status.podIP;
    const [unhealthy] = await eventsOf(ns, 'Unhealthy');
    expect(unhealthy.message).toBe(
      `Liveness probe failed: Get "http://${ip}:8080/": dial tcp ${ip}:8080: connect: connection refused`,
    );
    expect(status(looping).lastState.terminated.exitCode).toBe(137);

    await c.apply(ns, web('livenessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 5}'));
    await c.ok(ns, 'rollout', 'status', 'deployment/web', '--timeout=60s');
    const [fixed] = JSON.parse(await c.ok(ns, 'get', 'pods', '-o', 'json')).items as Json[];
    expect(status(fixed)).toMatchObject({ ready: true, restartCount: 0 });
  });

  it('a readiness probe answered 404 keeps the pod Running but not Ready and out of the ready endpoints, until its path is fixed', async () => {
    const ns = await c.namespace('probe-ready');
    await c.apply(ns, web('readinessProbe: {httpGet: {path: /healthz, port: 80}, periodSeconds: 2}'));
    const [unready] = await watchUntil(c.kc, `/api/v1/namespaces/${ns}/events`, (evs) =>
      evs.some((e) => e.reason === 'Unhealthy'),
    ).then(() => c.ok(ns, 'get', 'pods', '-o', 'json').then((o) => JSON.parse(o).items as Json[]));
    expect(unready.status.phase).toBe('Running');
    expect(status(unready)).toMatchObject({ ready: false, started: true, restartCount: 0 });
    expect((await eventsOf(ns, 'Unhealthy'))[0].message).toBe(
      'Readiness probe failed: HTTP probe failed with statuscode: 404',
    );
    const ep = await c.get(ns, 'endpoints', 'web');
    expect(ep.subsets[0].notReadyAddresses.map((a: Json) => a.ip)).toEqual([unready.status.podIP]);

    await c.apply(ns, web('readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 2}'));
    await c.ok(ns, 'rollout', 'status', 'deployment/web', '--timeout=60s');
    const ready = await c.waitFor(
      `/api/v1/namespaces/${ns}/endpoints`,
      'web',
      (o) => o.subsets?.[0]?.addresses?.length === 1,
    );
    expect(ready.subsets[0].notReadyAddresses).toBeUndefined();
  });
});
