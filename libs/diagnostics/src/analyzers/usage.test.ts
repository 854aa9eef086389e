import { type MetricSeries } from '@foxhound/contracts';
import { NS, container, pod, snapshot, workload } from '../__fixtures__/build';
import { usageAnalyzer } from './usage';
import { configMapAnalyzer } from './configmap';

function counter(name: string, podName: string, values: number[]): MetricSeries {
  return {
    metric: { __name__: name, namespace: NS, pod: podName, container: 'app' },
    values: values.map((v, i) => [1000 + i * 30, String(v)]),
  };
}

describe('usage analyzer', () => {
  const limited = [
    container('app', { resources: { requests: { cpu: '250m' }, limits: { cpu: '500m', memory: '256Mi' } } }),
  ];
  const w = workload(
    'search',
    [1, 2].map(
      (i) => (owner, labels) => pod(`search-5d4f8c7b9-${i}`, { owner, labels, containers: limited }),
    ),
  );
  const throttled = (p: string) => [
    counter('container_cpu_cfs_periods_total', p, [0, 100, 200]),
    counter('container_cpu_cfs_throttled_periods_total', p, [0, 70, 140]),
  ];

  it('groups throttled replicas and proposes more of them', () => {
    const s = snapshot(
      { deployments: [w.deployment], replicaSets: [w.replicaSet], pods: w.pods },
      { metrics: [...throttled('search-5d4f8c7b9-1'), ...throttled('search-5d4f8c7b9-2')] },
    );
    const [f] = usageAnalyzer.analyze(s);
    expect(f).toMatchObject({
      reason: 'CPUThrottled',
      parent: { kind: 'Deployment', name: 'search', namespace: NS },
      symptom:
        '2 pod(s) of Deployment shop/search: container app is CPU-throttled in up to 70% of scheduling periods',
    });
    expect(f.suggestion?.action).toEqual({
      type: 'ScaleDeployment',
      namespace: NS,
      name: 'search',
      replicas: 4,
    });
  });

  it('reports memory close to the limit from PodMetrics, and nothing without a limit', () => {
    const p = pod('cache-1', { containers: limited });
    const metrics = [
      {
        metadata: { name: 'cache-1', namespace: NS },
        containers: [{ name: 'app', usage: { cpu: '10m', memory: '250Mi' } }],
      },
    ];
    expect(
      usageAnalyzer.analyze(snapshot({ pods: [p] }, { podMetrics: metrics })).map((f) => f.reason),
    ).toEqual(['MemoryNearLimit']);
    const unlimited = pod('cache-1', { containers: [container('app', { resources: {} })] });
    expect(usageAnalyzer.analyze(snapshot({ pods: [unlimited] }, { podMetrics: metrics }))).toStrictEqual([]);
  });
});

describe('configmap analyzer', () => {
  it('notes unused and empty ConfigMaps at info severity', () => {
    const s = snapshot({
      pods: [
        pod('web-1', { containers: [container('app', { envFrom: [{ configMapRef: { name: 'used' } }] })] }),
      ],
      configMaps: [
        { metadata: { name: 'used', namespace: NS }, data: { a: '1' } },
        { metadata: { name: 'stale', namespace: NS }, data: { a: '1' } },
        { metadata: { name: 'empty', namespace: NS } },
        { metadata: { name: 'kube-root-ca.crt', namespace: NS }, data: { 'ca.crt': 'x' } },
      ],
    });
    expect(configMapAnalyzer.analyze(s).map((f) => [f.reason, f.object.name, f.severity])).toEqual([
      ['Unused', 'stale', 'info'],
      ['Empty', 'empty', 'info'],
    ]);
  });
});
