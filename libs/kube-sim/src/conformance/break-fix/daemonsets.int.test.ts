// Break-then-fix, DaemonSets. From the Kubernetes docs "DaemonSet"
// (https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/): "Running Pods on select
// Nodes" (a nodeSelector no node matches runs nothing until a node is labelled), "Taints and
// tolerations" (a tainted control-plane node gets no daemon pod until the template tolerates the
// taint) and "How Daemon Pods are scheduled" (each pod pinned by a metadata.name node-affinity
// term and bound by the default scheduler). Columns are kubectl 1.32's printDaemonSet.
import { podsPath, useCluster } from '../../testing/cluster';
import { watchUntil } from '../../testing/watch-until';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const c = useCluster();

const node = (name: string, n: number, taints: Json[] = []) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' } },
  spec: { taints, podCIDR: `10.244.${n}.0/24` },
  status: {
    addresses: [{ type: 'InternalIP', address: `172.18.0.${n}` }],
    allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
    capacity: { cpu: '4', memory: '8Gi', pods: '110' },
    conditions: [
      { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
    ],
  },
});

beforeAll(() => {
  c.sim.store.create('nodes', node('worker-a', 1));
  c.sim.store.create('nodes', node('worker-b', 2));
  c.sim.store.create(
    'nodes',
    node('control-plane', 3, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]),
  );
});

const dsPath = (ns: string) => `/apis/apps/v1/namespaces/${ns}/daemonsets`;
const daemonSet = (podSpec: string) => `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: log-agent}
spec:
  selector: {matchLabels: {app: log-agent}}
  template:
    metadata: {labels: {app: log-agent}}
    spec:
${podSpec.replace(/^/gm, '      ')}
      containers:
      - {name: agent, image: busybox:1.36, command: [sh, -c, "sleep 86400"]}
`;
const nodesOf = async (ns: string) =>
  (JSON.parse(await c.ok(ns, 'get', 'pods', '-o', 'json')).items as Json[])
    .map((p) => p.spec.nodeName)
    .sort();

describe('DaemonSets run one pod per qualifying node', () => {
  it('a nodeSelector no node matches runs nothing; labelling a node starts its daemon pod', async () => {
    const ns = await c.namespace('ds-selector');
    await c.apply(ns, daemonSet('nodeSelector: {disktype: ssd}'));
    const idle = await c.waitFor(dsPath(ns), 'log-agent', (d) => d.status?.observedGeneration === 1);
    expect(idle.status).toMatchObject({
      desiredNumberScheduled: 0,
      currentNumberScheduled: 0,
      numberReady: 0,
      numberMisscheduled: 0,
    });
    expect(await c.ok(ns, 'get', 'ds', 'log-agent')).toMatch(
      /\nlog-agent\s+0\s+0\s+0\s+0\s+0\s+disktype=ssd\s+/,
    );
    expect(await nodesOf(ns)).toEqual([]);

    await c.ok(ns, 'label', 'node', 'worker-a', 'disktype=ssd');
    const running = await c.waitFor(dsPath(ns), 'log-agent', (d) => d.status?.numberReady === 1);
    expect(running.status).toMatchObject({
      desiredNumberScheduled: 1,
      currentNumberScheduled: 1,
      updatedNumberScheduled: 1,
      numberAvailable: 1,
    });
    const [pod] = JSON.parse(await c.ok(ns, 'get', 'pods', '-o', 'json')).items as Json[];
    expect(pod.spec.nodeName).toBe('worker-a');
    expect(
      pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms,
    ).toEqual([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['worker-a'] }] }]);
    expect(pod.spec.tolerations).toContainEqual({
      key: 'node.kubernetes.io/unschedulable',
      operator: 'Exists',
      effect: 'NoSchedule',
    });
    expect((await c.events(ns, 'reason=SuccessfulCreate'))[0].message).toBe(
      `Created pod: ${pod.metadata.name}`,
    );

    // Removing the label takes the pod away again.
    await c.ok(ns, 'label', 'node', 'worker-a', 'disktype-');
    await watchUntil(c.kc, podsPath(ns), (ps) => ps.length === 0);
    expect((await c.get(ns, 'ds', 'log-agent')).status.desiredNumberScheduled).toBe(0);
  });

  it('a tainted control-plane node gets no daemon pod until the template tolerates the taint', async () => {
    const ns = await c.namespace('ds-taint');
    await c.apply(ns, daemonSet(''));
    await c.waitFor(dsPath(ns), 'log-agent', (d) => d.status?.numberReady === 2);
    expect(await nodesOf(ns)).toEqual(['worker-a', 'worker-b']);
    await c.apply(
      ns,
      daemonSet(
        'tolerations:\n- {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}',
      ),
    );
    const all = await c.waitFor(
      dsPath(ns),
      'log-agent',
      (d) =>
        d.status?.desiredNumberScheduled === 3 &&
        d.status?.updatedNumberScheduled === 3 &&
        d.status?.numberReady === 3,
    );
    expect(all.status).toMatchObject({
      currentNumberScheduled: 3,
      numberAvailable: 3,
      observedGeneration: 2,
    });
    expect(await nodesOf(ns)).toEqual(['control-plane', 'worker-a', 'worker-b']);
    expect(await c.ok(ns, 'get', 'ds', 'log-agent')).toMatch(/\nlog-agent\s+3\s+3\s+3\s+3\s+3\s+<none>\s+/);
  });
});
