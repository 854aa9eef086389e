// Node-level causes as the Kubernetes docs describe them:
// https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/ (conditions,
// evictions, pods over their requests evicted first) and
// https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/ (NoExecute evicts
// pods that do not tolerate the taint). Messages are the kubelet's own formats.
import { ago, container, event, node, pod, type PodOptions, snapshot, workload } from '../__fixtures__/build';
import { rank } from '../rank';
import { nodeAnalyzer } from './node';
import { podAnalyzer } from './pod';

const MEMORY_EVICTION =
  'The node was low on resource: memory. Threshold quantity: 100Mi, available: 74392Ki. Container app was using 1578624Ki, request is 256Mi, has larger consumption of memory. ';

const pressure = (type: string, status = 'True', message = `kubelet has ${type}`) => [
  { type: 'Ready', status: 'True', reason: 'KubeletReady' },
  { type, status, reason: `KubeletHas${type}`, message },
];

function evicted(name: string, message: string, minutesAgo?: number, o: PodOptions = {}) {
  return pod(name, {
    ...o,
    phase: 'Failed',
    statuses: [],
    status: {
      reason: 'Evicted',
      message,
      ...(minutesAgo === undefined
        ? {}
        : {
            conditions: [
              {
                type: 'DisruptionTarget',
                status: 'True',
                reason: 'TerminationByKubelet',
                message: 'The node was low on resource: memory.',
                lastTransitionTime: ago(minutesAgo),
              },
            ],
          }),
    },
  });
}

describe('node analyzer', () => {
  it('reports a NotReady node, critical when pods in scope run on it', () => {
    const down = node('node-a', {
      conditions: [
        {
          type: 'Ready',
          status: 'Unknown',
          reason: 'NodeStatusUnknown',
          message: 'Kubelet stopped posting node status.',
        },
      ],
    });
    const [f] = nodeAnalyzer.analyze(
      snapshot({ nodes: [down], pods: [pod('web-1', { nodeName: 'node-a' })] }),
    );
    expect(f).toMatchObject({
      reason: 'NodeNotReady',
      severity: 'critical',
      cause: 'Kubelet stopped posting node status.',
      symptom: 'Node node-a is not reporting (Ready=Unknown); 1 pod(s) in scope run on it',
    });
    expect(f!.evidence.map((e) => e.excerpt)).toContain('pods in scope on the node: shop/web-1');
  });

  it('reports pressure conditions and cordons, with how long the node has been cordoned', () => {
    const pressured = node('node-b', {
      unschedulable: true,
      taints: [
        { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: ago(90) } as never,
      ],
      conditions: [
        { type: 'Ready', status: 'True' },
        {
          type: 'DiskPressure',
          status: 'True',
          reason: 'KubeletHasDiskPressure',
          message: 'kubelet has disk pressure',
        },
      ],
    });
    const findings = nodeAnalyzer.analyze(snapshot({ nodes: [pressured] }));
    expect(findings.map((f) => [f.reason, f.severity, f.symptom])).toEqual([
      ['DiskPressure', 'medium', 'Node node-b reports DiskPressure'],
      ['Cordoned', 'info', 'Node node-b is cordoned (for 1h30m)'],
    ]);
  });

  it('explains memory pressure with the pods it evicted and the container furthest over its request', () => {
    const s = snapshot({
      nodes: [
        node('node-a', {
          conditions: pressure('MemoryPressure', 'True', 'kubelet has insufficient memory available'),
          allocatable: { cpu: '2', memory: '16Gi', pods: '110' },
        }),
      ],
      pods: [evicted('web-1', MEMORY_EVICTION, 12), pod('web-2')],
      events: [
        event(
          { kind: 'Node', name: 'node-a', namespace: 'default' },
          'EvictionThresholdMet',
          'Attempting to reclaim memory',
        ),
      ],
    });
    const [f] = nodeAnalyzer.analyze(s);
    expect(f).toMatchObject({
      reason: 'MemoryPressure',
      severity: 'high',
      cause:
        'kubelet has insufficient memory available: the kubelet evicts pods and refuses new ones; the kubelet evicted 1 pod(s) in scope because it ran low on memory (eviction threshold 100Mi, 74392Ki available), the latest 12m ago: shop/web-1',
    });
    expect(f!.evidence.map((e) => e.excerpt)).toEqual([
      'status.conditions[MemoryPressure]: True KubeletHasMemoryPressure: kubelet has insufficient memory available',
      `status.message: ${MEMORY_EVICTION.trim()}`,
      'shop/web-1 container app used 1578624Ki of memory against a request of 256Mi: pods using more than they request are evicted first',
      'pods in scope on the node: shop/web-2',
      'pods in scope on the node cpu: requests 100m (5%), limits 0 (0%) of 2 allocatable; memory: requests 128Mi (1%), limits 256Mi (2%) of 16Gi allocatable; 1 of 110 pods',
    ]);
  });

  it('files the evicted pods under the node, so the node ranks as their root cause', () => {
    const w = workload('web', [(owner, labels) => evicted('web-1', MEMORY_EVICTION, 5, { owner, labels })]);
    const s = snapshot({
      nodes: [node('node-a', { conditions: pressure('MemoryPressure') })],
      pods: w.pods,
      deployments: [w.deployment],
      replicaSets: [w.replicaSet],
    });
    const ranked = rank([...podAnalyzer.analyze(s), ...nodeAnalyzer.analyze(s)]);
    expect(ranked.rootCauses[0]).toMatchObject({ id: 'node:MemoryPressure:node-a', severity: 'high' });
    const podFinding = ranked.findings.find((f) => f.reason === 'Evicted');
    expect(podFinding?.causedBy).toBe('node:MemoryPressure:node-a');
  });

  it.each([
    ['one, recent: low, its pod was replaced', [30], 'low'],
    ['two in the last hours: medium, they recur', [30, 200], 'medium'],
    ['two, days old: low', [48 * 60, 50 * 60], 'low'],
  ])('names evictions whose pressure has cleared (%s)', (_name, minutesAgo, severity) => {
    const s = snapshot({
      nodes: [node('node-a')],
      pods: (minutesAgo as number[]).map((m, i) => evicted(`batch-${i + 1}`, MEMORY_EVICTION, m)),
    });
    const [f] = nodeAnalyzer.analyze(s);
    expect(f).toMatchObject({ reason: 'Evictions', severity });
    expect(f!.cause).toMatch(
      /^the kubelet evicted \d pod\(s\) in scope because it ran low on memory \(eviction threshold 100Mi, 74392Ki available\), the latest \S+ ago: shop\/batch-1.*; the pressure has cleared since/,
    );
  });

  it('blames the workload whose container used far more than it requested, and files the node under it', () => {
    // The kubelet's message for a pod that grew to 27Gi on a 30Gi node while requesting 1Gi.
    const message =
      'The node was low on resource: memory. Threshold quantity: 100Mi, available: 71204Ki. Container builder was using 27930112Ki, request is 1Gi, has larger consumption of memory. ';
    const w = workload('report-builder', [
      (owner, labels) =>
        evicted('report-builder-1', message, 8, {
          owner,
          labels,
          containers: [container('builder', { resources: { requests: { memory: '1Gi' } } })],
        }),
    ]);
    const s = snapshot({
      nodes: [
        node('batch-1', {
          conditions: pressure('MemoryPressure'),
          allocatable: { cpu: '4', memory: '30Gi', pods: '110' },
        }),
      ],
      pods: w.pods.map((p) => ({ ...p, spec: { ...p.spec, nodeName: 'batch-1' } })),
      deployments: [w.deployment],
      replicaSets: [w.replicaSet],
    });
    const findings = nodeAnalyzer.analyze(s);
    expect(findings.find((f) => f.reason === 'UsageOverRequest')).toMatchObject({
      object: { kind: 'Pod', namespace: 'shop', name: 'report-builder-1' },
      parent: { kind: 'Deployment', namespace: 'shop', name: 'report-builder' },
      severity: 'high',
      symptom:
        'Deployment shop/report-builder used 26.64Gi of memory against a request of 1Gi on Node batch-1 (89% of its allocatable 30Gi)',
      cause:
        'container builder requests 1Gi of memory and sets no limit, and grew to 26.64Gi: it drove Node batch-1 into MemoryPressure and the kubelet evicted it 1 time(s); pods using more than they request are evicted first. Set its memory request near its real use, and a limit',
    });
    // The fix: a request at the use the kubelet saw, a limit a quarter above it but within the node.
    expect(findings.find((f) => f.reason === 'UsageOverRequest')?.suggestion?.action).toEqual({
      type: 'PatchContainerResources',
      namespace: 'shop',
      name: 'report-builder',
      kind: 'Deployment',
      container: 'builder',
      requests: { memory: '27328Mi' },
      limits: { memory: '30720Mi' },
    });
    const ranked = rank([...podAnalyzer.analyze(s), ...findings]);
    expect(ranked.rootCauses[0]!.id).toBe('node:UsageOverRequest:shop/report-builder-1');
    expect(ranked.findings.find((f) => f.id === 'node:MemoryPressure:batch-1')?.causedBy).toBe(
      'node:UsageOverRequest:shop/report-builder-1',
    );
  });

  it('makes a cordon the root cause when the pending pods may run on no other node', () => {
    const unschedulable = {
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
      message:
        "0/4 nodes are available: 1 node(s) were unschedulable, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.",
    };
    const pending = (name: string, selector: Record<string, string>) =>
      pod(name, {
        phase: 'Pending',
        statuses: [],
        conditions: [unschedulable],
        spec: { nodeName: undefined, nodeSelector: selector },
      });
    const cordoned = node('etl-1', { unschedulable: true, labels: { 'workload-class': 'etl' } });
    const s = snapshot({
      nodes: [cordoned, node('web-1'), node('web-2')],
      pods: [
        pending('etl-runner-new', { 'workload-class': 'etl' }),
        pending('other', { 'workload-class': 'gpu' }),
      ],
    });
    const [f] = nodeAnalyzer.analyze(s);
    expect(f).toMatchObject({
      reason: 'Cordoned',
      severity: 'high',
      symptom: 'Node etl-1 is cordoned; 1 pending pod(s) in scope can run nowhere else',
    });
    expect(f!.cause).toContain('so the scheduler places none of them: shop/etl-runner-new');
    const ranked = rank([...podAnalyzer.analyze(s), f!]);
    const podFinding = ranked.findings.find((x) => x.object.name === 'etl-runner-new');
    expect(podFinding?.causedBy).toBe('node:Cordoned:etl-1');
  });

  it('ties an admission refusal ("The node had condition") to the active condition', () => {
    const s = snapshot({
      nodes: [node('node-a', { conditions: pressure('DiskPressure') })],
      pods: [evicted('job-1', 'The node had condition: [DiskPressure]. ')],
    });
    const findings = nodeAnalyzer.analyze(s);
    expect(findings.map((f) => f.reason)).toEqual(['DiskPressure']);
    expect(findings[0]!.cause).toContain('because it had DiskPressure: shop/job-1');
  });

  it('files a pod kept pending by the memory-pressure taint of the only node it may run on under that node', () => {
    const blocked = pod('report-builder-new', {
      phase: 'Pending',
      statuses: [],
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message:
            "0/4 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/memory-pressure: }, 3 node(s) didn't match Pod's node affinity/selector.",
        },
      ],
      spec: { nodeName: undefined, nodeSelector: { 'workload-class': 'batch' } },
    });
    const batch = node('batch-1', {
      labels: { 'workload-class': 'batch' },
      conditions: pressure('MemoryPressure'),
      taints: [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }],
    });
    const s = snapshot({ nodes: [batch, node('web-1'), node('web-2'), node('web-3')], pods: [blocked] });
    const ranked = rank([...podAnalyzer.analyze(s), ...nodeAnalyzer.analyze(s)]);
    expect(ranked.rootCauses[0]!.id).toBe('node:MemoryPressure:batch-1');
    expect(ranked.findings.find((f) => f.object.name === 'report-builder-new')?.causedBy).toBe(
      'node:MemoryPressure:batch-1',
    );
  });

  it('reports a NoExecute taint the pods in scope do not tolerate, and not one they do', () => {
    const taints = [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }];
    const tolerant = pod('trainer-1', {
      spec: { tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }] },
    });
    const quiet = nodeAnalyzer.analyze(snapshot({ nodes: [node('node-a', { taints })], pods: [tolerant] }));
    expect(quiet).toStrictEqual([]);
    const [f] = nodeAnalyzer.analyze(
      snapshot({ nodes: [node('node-a', { taints })], pods: [tolerant, pod('web-1')] }),
    );
    expect(f).toMatchObject({
      reason: 'NoExecuteTaint',
      severity: 'high',
      symptom:
        'Node node-a has the taint dedicated=gpu:NoExecute, which 1 pod(s) in scope on it do not tolerate',
      cause: 'a NoExecute taint evicts every pod without a matching toleration: shop/web-1',
    });
  });

  it('reports a node at its pod capacity', () => {
    const s = snapshot({
      nodes: [node('node-a', { allocatable: { cpu: '4', memory: '16Gi', pods: '2' } })],
      pods: [pod('web-1'), pod('web-2'), pod('old', { phase: 'Succeeded' })],
    });
    expect(nodeAnalyzer.analyze(s).map((f) => [f.reason, f.symptom])).toEqual([
      ['PodCapacityReached', 'Node node-a runs as many pods as it allows (2)'],
    ]);
  });

  it("believes the scheduler's Too many pods for the only node a pending pod may use, and files the pod under it", () => {
    // The kubelet's maxPods (https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/)
    // becomes status.allocatable.pods; the scheduler counts pods of every namespace against it.
    const waiting = pod('build-agent-x', {
      phase: 'Pending',
      statuses: [],
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message:
            "0/3 nodes are available: 1 Too many pods, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
        },
      ],
      spec: { nodeName: undefined, nodeSelector: { 'workload-class': 'ci' } },
    });
    const ci = node('ci-1', {
      labels: { 'workload-class': 'ci' },
      allocatable: { cpu: '8', memory: '32Gi', pods: '17' },
    });
    const s = snapshot({
      nodes: [ci, node('web-1'), node('web-2')],
      pods: [pod('build-agent-a', { nodeName: 'ci-1' }), waiting],
    });
    const f = nodeAnalyzer.analyze(s).find((x) => x.reason === 'PodCapacityReached');
    expect(f).toMatchObject({
      severity: 'high',
      symptom:
        'Node ci-1 runs as many pods as it allows (17), and 1 pending pod(s) in scope can run nowhere else',
    });
    const ranked = rank([...podAnalyzer.analyze(s), f!]);
    expect(ranked.findings.find((x) => x.object.name === 'build-agent-x')?.causedBy).toBe(
      'node:PodCapacityReached:ci-1',
    );
  });

  it('stays quiet for a healthy node', () => {
    expect(
      nodeAnalyzer.analyze(snapshot({ nodes: [node('ok')], pods: [pod('web-1', { nodeName: 'ok' })] })),
    ).toStrictEqual([]);
  });
});
