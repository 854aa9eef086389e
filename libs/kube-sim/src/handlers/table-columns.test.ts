import { columnsFor, humanDuration } from './table-columns';

const NOW = Date.parse('2026-01-10T12:00:00Z');
const row = (group: string, plural: string, o: object) => {
  const cols = columnsFor({ group, plural });
  return Object.fromEntries(cols.map((c) => [c.name, c.cell(o as Record<string, unknown>, NOW)]));
};

describe('humanDuration', () => {
  it.each([
    [45_000, '45s'],
    [200_000, '3m20s'],
    [600_000, '10m'],
    [5 * 3_600_000, '5h'],
    [5.5 * 3_600_000, '5h30m'],
    [30 * 3_600_000, '30h'],
    [3 * 86_400_000 + 3_600_000, '3d1h'],
    [40 * 86_400_000, '40d'],
    [3 * 365 * 86_400_000, '3y'],
    [-5000, '<invalid>'],
  ])('%d ms is %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('printer columns', () => {
  it.each([
    [
      'a crash-looping pod',
      {
        spec: { containers: [{}] },
        status: {
          phase: 'Running',
          containerStatuses: [
            {
              ready: false,
              restartCount: 4,
              state: { waiting: { reason: 'CrashLoopBackOff' } },
              lastState: { terminated: { finishedAt: '2026-01-10T11:58:00Z' } },
            },
          ],
        },
      },
      { Ready: '0/1', Status: 'CrashLoopBackOff', Restarts: '4 (2m ago)' },
    ],
    [
      'a pod waiting on an init container',
      {
        spec: { containers: [{}], initContainers: [{}, {}] },
        status: {
          phase: 'Pending',
          initContainerStatuses: [{ state: { terminated: { exitCode: 0 } } }, { state: { running: {} } }],
        },
      },
      { Status: 'Init:1/2' },
    ],
    [
      'a terminating pod',
      {
        metadata: { deletionTimestamp: '2026-01-10T11:59:00Z' },
        spec: { containers: [{}] },
        status: { phase: 'Running' },
      },
      { Status: 'Terminating' },
    ],
    [
      'an OOM-killed container',
      {
        spec: { containers: [{}] },
        status: {
          phase: 'Running',
          containerStatuses: [
            { restartCount: 1, state: { terminated: { reason: 'OOMKilled', exitCode: 137 } } },
          ],
        },
      },
      { Status: 'OOMKilled' },
    ],
  ])('pods: %s', (_name, pod, expected) => {
    expect(row('', 'pods', pod)).toMatchObject(expected);
  });

  it('HPA targets and bounds', () => {
    const hpa = {
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'web' },
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
          },
        ],
      },
      status: {
        currentReplicas: 4,
        currentMetrics: [
          { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 85 } } },
        ],
      },
    };
    expect(row('autoscaling', 'horizontalpodautoscalers', hpa)).toMatchObject({
      Reference: 'Deployment/web',
      Targets: 'cpu: 85%/70%',
      MinPods: 2,
      MaxPods: 10,
      Replicas: 4,
    });
  });

  it('resource quota usage against hard limits', () => {
    const quota = {
      spec: { hard: { 'requests.cpu': '4', 'limits.memory': '8Gi', pods: '10' } },
      status: { used: { 'requests.cpu': '3500m', pods: '10' } },
    };
    expect(row('', 'resourcequotas', quota)).toMatchObject({
      Request: 'requests.cpu: 3500m/4, pods: 10/10',
      Limit: 'limits.memory: 0/8Gi',
    });
  });

  it('kinds without a printer get Name and Age', () => {
    expect(columnsFor({ group: 'example.com', plural: 'widgets' }).map((c) => c.name)).toEqual([
      'Name',
      'Age',
    ]);
  });
});
