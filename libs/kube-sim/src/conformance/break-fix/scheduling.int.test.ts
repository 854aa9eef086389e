// Break-then-fix, the scheduler. From the Kubernetes docs "Assigning Pods to Nodes"
// (https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#inter-pod-affinity-and-anti-affinity),
// "Taints and Tolerations" (https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/),
// "Resource Management for Pods and Containers" (a pod whose requests fit no node stays Pending)
// and the hostPort caveat of "Configuration Best Practices". Each broken pod is Pending with
// PodScheduled=False/Unschedulable and a FailedScheduling event carrying the scheduler's message
// (pkg/scheduler/framework/types.go FitError, the plugins' ErrReason strings).
import { podsPath, useCluster } from '../../testing/cluster';
import { watchUntil } from '../../testing/watch-until';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const c = useCluster();

const node = (name: string, zone: string, taints: Json[] = []) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name,
    labels: {
      'kubernetes.io/hostname': name,
      'topology.kubernetes.io/zone': zone,
      'kubernetes.io/os': 'linux',
    },
  },
  spec: { taints },
  status: {
    addresses: [{ type: 'InternalIP', address: `172.18.0.${10 + zone.charCodeAt(zone.length - 1) - 97}` }],
    allocatable: { cpu: '2', memory: '4Gi', pods: '110' },
    capacity: { cpu: '2', memory: '4Gi', pods: '110' },
    conditions: [
      { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
    ],
  },
});

beforeAll(() => {
  // The cluster's machines: two workers and one dedicated to databases.
  c.sim.store.create('nodes', node('worker-a', 'zone-a'));
  c.sim.store.create('nodes', node('worker-b', 'zone-b'));
  c.sim.store.create(
    'nodes',
    node('db-c', 'zone-c', [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]),
  );
});

const scheduled = (p: Json) => p.status?.conditions?.find((x: Json) => x.type === 'PodScheduled');
const TAINT = '1 node(s) had untolerated taint {dedicated: db}';

/** Waits for one pending pod and checks the scheduler said `message` in its condition and event. */
async function expectUnschedulable(ns: string, selector: string, message: string): Promise<Json> {
  const [pending] = await watchUntil(
    c.kc,
    podsPath(ns),
    (pods) => pods.some((p) => scheduled(p)?.status === 'False'),
    { labelSelector: selector },
  ).then((pods) => pods.filter((p) => scheduled(p)?.status === 'False'));
  expect(pending.spec.nodeName).toBeUndefined();
  expect(pending.status.phase).toBe('Pending');
  expect(scheduled(pending)).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
  const events = JSON.parse(
    await c.ok(
      ns,
      'get',
      'events',
      '--field-selector',
      `involvedObject.name=${pending.metadata.name},reason=FailedScheduling`,
      '-o',
      'json',
    ),
  ).items as Json[];
  expect(events[0]).toMatchObject({
    type: 'Warning',
    reason: 'FailedScheduling',
    message,
    reportingComponent: 'default-scheduler',
  });
  expect(await c.ok(ns, 'get', 'pod', pending.metadata.name)).toMatch(/\s+0\/1\s+Pending\s+0\s+/);
  return pending;
}

const deployment = (name: string, replicas: number, podSpec: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
${podSpec.replace(/^/gm, '      ')}
`;

describe('the scheduler places pods as the default scheduler does, and says why it cannot', () => {
  it('required anti-affinity per node leaves the third replica Pending until the tainted node is opened', async () => {
    const ns = await c.namespace('sched-anti');
    const spec = `affinity:
  podAntiAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
    - labelSelector: {matchLabels: {app: cache}}
      topologyKey: kubernetes.io/hostname
containers: [{name: redis, image: "redis:7.2.5-alpine"}]`;
    await c.apply(ns, deployment('cache', 3, spec));
    await expectUnschedulable(
      ns,
      'app=cache',
      `0/3 nodes are available: ${TAINT}, 2 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.`,
    );

    // The node's taint is removed (kubectl taint ... -): the scheduler retries and the third lands there.
    await c.ok(ns, 'taint', 'nodes', 'db-c', 'dedicated-');
    try {
      await c.ok(ns, 'rollout', 'status', 'deployment/cache', '--timeout=60s');
      const nodes = (JSON.parse(await c.ok(ns, 'get', 'pods', '-o', 'json')).items as Json[])
        .map((p) => p.spec.nodeName)
        .sort();
      expect(nodes).toEqual(['db-c', 'worker-a', 'worker-b']);
    } finally {
      await c.ok(ns, 'taint', 'nodes', 'db-c', 'dedicated=db:NoSchedule');
    }
  });

  it('required pod affinity to a pod that does not exist stays Pending until that pod runs, then lands beside it', async () => {
    const ns = await c.namespace('sched-aff');
    await c.apply(
      ns,
      `apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector: {matchLabels: {app: session-store}}
        topologyKey: topology.kubernetes.io/zone
  containers: [{name: nginx, image: "nginx:1.27"}]
`,
    );
    await expectUnschedulable(
      ns,
      'app=web',
      `0/3 nodes are available: ${TAINT}, 2 node(s) didn't match pod affinity rules. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.`,
    );

    await c.ok(ns, 'run', 'session-store', '--image=redis:7.2.5-alpine', '--labels=app=session-store');
    const [store] = await watchUntil(c.kc, podsPath(ns), (pods) => pods.some((p) => p.spec.nodeName), {
      labelSelector: 'app=session-store',
    });
    const web = await c.waitFor(podsPath(ns), 'web', (p) => scheduled(p)?.status === 'True');
    expect(web.spec.nodeName).toBe(store.spec.nodeName);
  });

  it('a hostPort already taken on every schedulable node leaves a pod Pending until one is freed', async () => {
    const ns = await c.namespace('sched-port');
    const pod = (name: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {app: ingress, instance: ${name}}}
spec:
  containers: [{name: proxy, image: "nginx:1.27", ports: [{containerPort: 80, hostPort: 8443}]}]
`;
    await c.apply(ns, pod('proxy-1'));
    await c.apply(ns, pod('proxy-2'));
    await watchUntil(c.kc, podsPath(ns), (pods) => pods.length === 2 && pods.every((p) => p.spec.nodeName));
    await c.apply(ns, pod('proxy-3'));
    await expectUnschedulable(
      ns,
      'instance=proxy-3',
      `0/3 nodes are available: ${TAINT}, 2 node(s) didn't have free ports for the requested pod ports. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.`,
    );

    await c.ok(ns, 'delete', 'pod', 'proxy-1');
    const placed = await c.waitFor(podsPath(ns), 'proxy-3', (p) => scheduled(p)?.status === 'True');
    expect(['worker-a', 'worker-b']).toContain(placed.spec.nodeName);
  });

  it('requests no node can hold are Insufficient cpu until they are lowered', async () => {
    const ns = await c.namespace('sched-fit');
    const spec = (cpu: string) =>
      `containers: [{name: app, image: "nginx:1.27", resources: {requests: {cpu: "${cpu}"}}}]`;
    await c.apply(ns, deployment('batch', 1, spec('3')));
    await expectUnschedulable(
      ns,
      'app=batch',
      `0/3 nodes are available: ${TAINT}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.`,
    );
    await c.apply(ns, deployment('batch', 1, spec('500m')));
    await c.ok(ns, 'rollout', 'status', 'deployment/batch', '--timeout=60s');
  });
});
