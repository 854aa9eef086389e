// Break-then-fix, containers that run and crash (declared-behaviour mode). From the Kubernetes
// docs "Pod Lifecycle" (https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-restarts:
// restarts back off 10 s, 20 s, 40 s... capped at 5 min; CrashLoopBackOff), "Assign Memory
// Resources to Containers" (https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/:
// polinux/stress allocating past its limit is OOMKilled), "Debug Running Pods" (`kubectl logs
// --previous`), and the official postgres image's documented POSTGRES_PASSWORD requirement.
// Messages are the kubelet's (pkg/kubelet/kuberuntime: `back-off %s restarting failed
// container=%s pod=%s`) and runc's. One simulated second is 2 ms here.
import { containerStatus as status, podsPath, useCluster } from '../../testing/cluster';
import { watchUntil } from '../../testing/watch-until';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const c = useCluster();

const pod = (name: string, container: string, extra = '') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
${extra}  containers:
  - name: app
${container.replace(/^/gm, '    ')}
`;

describe('containers run their declared behaviour: they crash, back off, log and get OOM-killed', () => {
  it('a command that exits 1 crash-loops with back-off, restartCount, lastState and previous logs, until fixed', async () => {
    const ns = await c.namespace('run-crash');
    await c.apply(
      ns,
      pod(
        'worker',
        'image: busybox:1.36\ncommand: [sh, -c, "echo loading /etc/worker.conf; echo missing setting QUEUE_URL; exit 1"]',
      ),
    );
    const looping = await c.waitFor(
      podsPath(ns),
      'worker',
      (p) => status(p).state?.waiting?.reason === 'CrashLoopBackOff' && status(p).restartCount >= 2,
    );
    const s = status(looping);
    expect(s.state.waiting.message).toMatch(
      new RegExp(
        `^back-off (20|40|1m20|2m40|5m0)s restarting failed container=app pod=worker_${ns}\\(${looping.metadata.uid}\\)$`,
      ),
    );
    expect(s.lastState.terminated).toMatchObject({
      exitCode: 1,
      reason: 'Error',
      containerID: expect.stringMatching(/^containerd:\/\//),
    });
    expect(s).toMatchObject({ ready: false, started: false, image: 'docker.io/library/busybox:1.36' });
    expect(looping.status.phase).toBe('Running');
    expect(await c.ok(ns, 'get', 'pod', 'worker')).toMatch(
      /\nworker\s+0\/1\s+(CrashLoopBackOff|Error)\s+\d+ \(\S+ ago\)\s+/,
    );
    expect(await c.ok(ns, 'logs', 'worker', '--previous')).toBe(
      'loading /etc/worker.conf\nmissing setting QUEUE_URL\n',
    );
    const events = JSON.parse(
      await c.ok(ns, 'get', 'events', '--field-selector', 'reason=BackOff', '-o', 'json'),
    ).items as Json[];
    expect(events[0]).toMatchObject({
      type: 'Warning',
      message: `Back-off restarting failed container app in pod worker_${ns}(${looping.metadata.uid})`,
      involvedObject: { fieldPath: 'spec.containers{app}' },
    });

    await c.ok(ns, 'delete', 'pod', 'worker');
    await c.apply(
      ns,
      pod(
        'worker',
        'image: busybox:1.36\ncommand: [sh, -c, "echo loading /etc/worker.conf; sleep infinity"]',
      ),
    );
    const fixed = await c.waitFor(podsPath(ns), 'worker', (p) => status(p).state?.running);
    expect(status(fixed)).toMatchObject({ ready: true, restartCount: 0, lastState: {} });
    expect(await c.ok(ns, 'logs', 'worker')).toBe('loading /etc/worker.conf\n');
  });

  it('a container that allocates past its memory limit is OOMKilled (137) until the limit is raised', async () => {
    const ns = await c.namespace('run-oom');
    const stress = (limit: string) =>
      pod(
        'memory-demo',
        `image: polinux/stress\nresources: {requests: {memory: 50Mi}, limits: {memory: ${limit}}}\ncommand: [stress]\nargs: [--vm, "1", --vm-bytes, 150M, --vm-hang, "1"]`,
      );
    await c.apply(ns, stress('100Mi'));
    const killed = await c.waitFor(
      podsPath(ns),
      'memory-demo',
      (p) => status(p).lastState?.terminated?.reason === 'OOMKilled',
    );
    expect(status(killed).lastState.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });

    await c.ok(ns, 'delete', 'pod', 'memory-demo');
    await c.apply(ns, stress('200Mi'));
    const fits = await c.waitFor(podsPath(ns), 'memory-demo', (p) => status(p).state?.running);
    expect(status(fits).restartCount).toBe(0);
  });

  it('a command the image lacks is StartError (128) when exec-ed, and exit 127 through a shell', async () => {
    const ns = await c.namespace('run-cmd');
    await c.apply(ns, pod('direct', 'image: busybox:1.36\ncommand: [/app/server, --port, "8080"]'));
    const direct = await c.waitFor(
      podsPath(ns),
      'direct',
      (p) => status(p).lastState?.terminated?.reason === 'StartError',
    );
    expect(status(direct).lastState.terminated).toMatchObject({
      exitCode: 128,
      reason: 'StartError',
      startedAt: '1970-01-01T00:00:00Z',
      message:
        'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "/app/server": stat /app/server: no such file or directory: unknown',
    });

    await c.apply(ns, pod('shell', 'image: busybox:1.36\ncommand: [sh, -c, "server --port 8080"]'));
    const shell = await c.waitFor(
      podsPath(ns),
      'shell',
      (p) => status(p).lastState?.terminated?.exitCode === 127,
    );
    expect(status(shell).lastState.terminated.reason).toBe('Error');
    expect(await c.ok(ns, 'logs', 'shell', '--previous')).toBe('sh: server: not found\n');

    await c.ok(ns, 'delete', 'pod', 'shell');
    await c.apply(ns, pod('shell', 'image: busybox:1.36\ncommand: [sh, -c, "httpd -f -p 8080"]'));
    await c.waitFor(podsPath(ns), 'shell', (p) => status(p).state?.running);
  });

  it('postgres without POSTGRES_PASSWORD exits with its entrypoint error until the variable is set', async () => {
    const ns = await c.namespace('run-pg');
    const deployment = (env: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: db}
spec:
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: postgres, image: "postgres:16", env: ${env}}]}
`;
    await c.apply(ns, deployment('[]'));
    const [crashing] = await watchUntil(c.kc, podsPath(ns), (pods) =>
      pods.some((p) => status(p).lastState?.terminated?.exitCode === 1),
    ).then((pods) => pods.filter((p) => status(p).lastState?.terminated));
    const logs = await c.ok(ns, 'logs', crashing.metadata.name, '--previous');
    expect(logs).toContain('Error: Database is uninitialized and superuser password is not specified.');

    await c.ok(ns, 'create', 'secret', 'generic', 'db-auth', '--from-literal=password=s3cret');
    await c.apply(
      ns,
      deployment('[{name: POSTGRES_PASSWORD, valueFrom: {secretKeyRef: {name: db-auth, key: password}}}]'),
    );
    await c.ok(ns, 'rollout', 'status', 'deployment/db', '--timeout=60s');
    // The pod of the fixed template, running (not one of the old ReplicaSet's on its way out).
    const fixedPod = (p: Json) => Boolean(p.spec.containers[0].env?.length && status(p).state?.running);
    const [healthy] = await watchUntil(c.kc, podsPath(ns), (pods) => pods.some(fixedPod)).then((pods) =>
      pods.filter(fixedPod),
    );
    expect(await c.ok(ns, 'logs', healthy.metadata.name)).toContain(
      'database system is ready to accept connections',
    );
  });

  it('restartPolicy Never: exit 0 is Succeeded (Completed), exit 1 is Failed (Error)', async () => {
    const ns = await c.namespace('run-never');
    const once = (name: string, code: number) =>
      pod(
        name,
        `image: busybox:1.36\ncommand: [sh, -c, "echo run; exit ${code}"]`,
        '  restartPolicy: Never\n',
      );
    await c.apply(ns, once('ok', 0));
    await c.apply(ns, once('bad', 1));
    const ok = await c.waitFor(podsPath(ns), 'ok', (p) => p.status?.phase === 'Succeeded');
    const bad = await c.waitFor(podsPath(ns), 'bad', (p) => p.status?.phase === 'Failed');
    expect(status(ok).state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(status(bad).state.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(await c.ok(ns, 'get', 'pods')).toMatch(
      /\nbad\s+0\/1\s+Error\s+0\s+\S+\nok\s+0\/1\s+Completed\s+0\s+/,
    );
  });
});
