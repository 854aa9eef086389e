import { type AuthorizationAttributes, type KubeSim, startKubeSim } from '@foxhound/kube-sim';
import { createKubeClient } from './client';
import { collectSnapshot } from './snapshot';

const NS = 'shop';
const TOKEN = 'reader-token-0123456789';

function podObject(name: string, app: string, status: Record<string, unknown>) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: NS,
      labels: { app },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app}-rs`, uid: `${app}-rs`, controller: true },
      ],
    },
    spec: { containers: [{ name: 'app', image: `r.io/${app}:1` }], nodeName: 'node-a' },
    status,
  };
}

const running = {
  phase: 'Running',
  containerStatuses: [
    {
      name: 'app',
      ready: true,
      restartCount: 0,
      image: 'x',
      imageID: 'x',
      state: { running: { startedAt: '2025-10-21T09:00:00Z' } },
    },
  ],
};
const crashing = {
  phase: 'Running',
  containerStatuses: [
    {
      name: 'app',
      ready: false,
      restartCount: 3,
      image: 'x',
      imageID: 'x',
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { exitCode: 1, reason: 'Error' } },
    },
  ],
};
const pulling = {
  phase: 'Pending',
  containerStatuses: [
    {
      name: 'app',
      ready: false,
      restartCount: 0,
      image: 'x',
      imageID: '',
      state: { waiting: { reason: 'ImagePullBackOff' } },
    },
  ],
};

describe('collectSnapshot against kube-sim', () => {
  let sim: KubeSim;
  const requests: AuthorizationAttributes[] = [];

  beforeAll(async () => {
    sim = await startKubeSim({
      tokens: [{ token: TOKEN, user: 'foxhound-reader' }],
      // A reader that may not see quotas: their absence must become a gap, not a failure.
      authorization: (a) => {
        requests.push(a);
        return a.resource !== 'resourcequotas';
      },
    });
    const s = sim.store;
    s.load('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    s.load('pods', podObject('api-1', 'api', crashing));
    s.load('pods', podObject('api-2', 'api', running));
    s.load('pods', podObject('web-1', 'web', running));
    s.load('pods', podObject('web-2', 'web', running));
    s.load('pods', podObject('img-1', 'img', pulling));
    s.load('secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'db',
        namespace: NS,
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"password":"aHVudGVyMg=="}}',
          owner: 'team-a',
        },
      },
      type: 'Opaque',
      data: { password: 'aHVudGVyMg==' },
    });
    s.load('resourcequotas', {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'compute', namespace: NS },
      spec: { hard: { pods: '10' } },
    });
    s.load('events', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'api-1.1', namespace: NS },
      involvedObject: { kind: 'Pod', name: 'api-1', namespace: NS },
      reason: 'BackOff',
      message: 'Back-off restarting failed container',
      type: 'Warning',
    });
    s.load('nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-a' },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    });
    s.load('pods.metrics.k8s.io', {
      apiVersion: 'metrics.k8s.io/v1beta1',
      kind: 'PodMetrics',
      metadata: { name: 'api-2', namespace: NS },
      timestamp: '2025-10-21T09:59:00Z',
      window: '15s',
      containers: [{ name: 'app', usage: { cpu: '10m', memory: '64Mi' } }],
    });
    sim.logs.set(NS, 'api-1', 'app', {
      current: 'starting\nError: Missing required environment variable: DATABASE_URL\n',
      previous: 'starting\nboom 1\nboom 2\nError: Missing required environment variable: DATABASE_URL\n',
    });
    sim.logs.set(NS, 'web-1', 'app', { current: 'listening on :8080\n' });
    sim.logs.set(NS, 'web-2', 'app', { current: 'listening on :8080\n' });
    const now = Math.floor(Date.now() / 1000);
    sim.metrics.add([
      {
        metric: {
          __name__: 'container_memory_working_set_bytes',
          namespace: NS,
          pod: 'api-2',
          container: 'app',
        },
        values: [
          [now - 120, '1000'],
          [now - 60, '2000'],
        ],
      },
    ]);
  });
  afterAll(() => sim.close());

  const client = () => createKubeClient({ from: 'object', config: sim.kubeconfig() });

  it('reads every kind in scope as plain JSON and names what it could not read', async () => {
    const data = await collectSnapshot(client(), { namespaces: [NS], prometheusUrl: sim.prometheusUrl });
    expect(data.namespaces).toEqual([NS]);
    expect(data.objects.pods.map((p) => p.metadata.name).sort()).toEqual([
      'api-1',
      'api-2',
      'img-1',
      'web-1',
      'web-2',
    ]);
    expect(data.objects.pods[0]).toMatchObject({ apiVersion: 'v1', kind: 'Pod' });
    expect(data.objects.namespaces.map((n) => n.metadata.name)).toEqual([NS]);
    expect(data.objects.nodes.map((n) => n.metadata.name)).toEqual(['node-a']);
    expect(data.objects.events.map((e) => e.metadata.name)).toEqual(['api-1.1']);
    expect(data.objects.resourceQuotas).toEqual([]);
    expect(data.podMetrics.map((m) => m.metadata.name)).toEqual(['api-2']);
    expect(data.metrics.map((m) => m.metric.pod)).toEqual(['api-2']);
    expect(data.gaps).toContainEqual({ what: 'ResourceQuota in shop', reason: 'forbidden (RBAC)' });
    expect(data.gaps).toContainEqual({
      what: 'Secret names',
      reason: 'not listed (least privilege); missing Secrets are seen through kubelet events only',
    });
  });

  it('reads every container log in scope, Ready or not: current and previous, bounded per container', async () => {
    const data = await collectSnapshot(client(), { namespaces: [NS], logTailLines: 2 });
    const logs = data.logs.map(
      (l) =>
        `${l.pod}${l.previous ? ' (previous)' : ''}: ${l.lines.join(' | ')}${l.truncated ? ' [truncated]' : ''}`,
    );
    // Unhealthy first (previous before current), then the healthy pods with workloads taking turns;
    // img-1 never started, so it has no log and is no gap either.
    expect(logs).toEqual([
      'api-1 (previous): boom 2 | Error: Missing required environment variable: DATABASE_URL [truncated]',
      'api-1: starting | Error: Missing required environment variable: DATABASE_URL [truncated]',
      'api-2: ',
      'web-1: listening on :8080',
      'web-2: listening on :8080',
    ]);
    expect(data.gaps.filter((g) => g.what.includes('log'))).toEqual([]);
  });

  it('keeps Secret names but never their data, when asked to list them', async () => {
    const data = await collectSnapshot(client(), { namespaces: [NS], includeSecretNames: true });
    expect(data.objects.secrets).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: expect.objectContaining({ name: 'db', annotations: { owner: 'team-a' } }),
        type: 'Opaque',
      },
    ]);
    expect(JSON.stringify(data)).not.toContain('aHVudGVyMg==');
  });

  it('uses read-only verbs only', async () => {
    requests.length = 0;
    await collectSnapshot(client(), {
      namespaces: [NS],
      includeSecretNames: true,
      prometheusUrl: sim.prometheusUrl,
    });
    expect(new Set(requests.map((r) => r.verb))).toEqual(new Set(['get', 'list']));
  });

  it('names an unreachable Prometheus as a gap', async () => {
    const data = await collectSnapshot(client(), {
      namespaces: [NS],
      prometheusUrl: `${sim.url}/not-prometheus`,
    });
    expect(data.metrics).toEqual([]);
    expect(data.gaps.filter((g) => g.what.startsWith('Prometheus'))).toHaveLength(4);
  });
});

describe('collectSnapshot log budget against kube-sim', () => {
  const LOG_NS = 'ledger';
  let sim: KubeSim;
  /** 60 lines of 50 bytes: 3,000 bytes per log. */
  const bigLog = (who: string) =>
    Array.from(
      { length: 60 },
      (_, i) => `${who} line ${String(i).padStart(3, '0')}`.padEnd(49, '.') + '\n',
    ).join('');

  const pod = (name: string, app: string, status: Record<string, unknown>) => ({
    ...podObject(name, app, status),
    metadata: { ...podObject(name, app, status).metadata, namespace: LOG_NS },
  });

  beforeAll(async () => {
    sim = await startKubeSim({
      tokens: [{ token: TOKEN, user: 'foxhound-reader' }],
      // One pod's log is forbidden: the read error must become a gap naming it.
      authorization: (a) => !(a.subresource === 'log' && a.name === 'gone-1'),
    });
    const s = sim.store;
    s.load('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: LOG_NS } });
    s.load('pods', pod('payments-1', 'payments', crashing));
    for (const [name, app] of [
      ['ledger-1', 'ledger'],
      ['ledger-2', 'ledger'],
      ['audit-1', 'audit'],
      ['gone-1', 'gone'],
    ])
      s.load('pods', pod(name, app, running));
    sim.logs.set(LOG_NS, 'payments-1', 'app', {
      current: bigLog('payments'),
      previous: bigLog('payments-prev'),
    });
    for (const name of ['ledger-1', 'ledger-2', 'audit-1', 'gone-1'])
      sim.logs.set(LOG_NS, name, 'app', { current: bigLog(name) });
  });
  afterAll(() => sim.close());

  const client = () => createKubeClient({ from: 'object', config: sim.kubeconfig() });
  const read = (data: Awaited<ReturnType<typeof collectSnapshot>>) =>
    data.logs.map((l) => `${l.pod}${l.previous ? ' (previous)' : ''}`);

  it('spends the byte budget on the highest-priority logs first and names the rest as a gap', async () => {
    const data = await collectSnapshot(client(), {
      namespaces: [LOG_NS],
      logLimitBytes: 2048,
      maxLogBytes: 4096,
    });
    expect(read(data)).toEqual(['payments-1 (previous)', 'payments-1']);
    expect(data.logs.every((l) => l.truncated)).toBe(true);
    const bytes = data.logs.reduce((n, l) => n + Buffer.byteLength(l.lines.join('\n')), 0);
    expect(bytes).toBeLessThanOrEqual(4096);
    expect(data.gaps).toContainEqual({
      what: '4 container log(s)',
      reason:
        'not read: the log budget of 4 KiB per investigation was used up by higher-priority pods (ledger/audit-1 app, ledger/gone-1 app, ledger/ledger-1 app, ledger/ledger-2 app)',
    });
  });

  it('reads the workloads the focus names before the rest, within the pod limit', async () => {
    const data = await collectSnapshot(client(), {
      namespaces: [LOG_NS],
      maxPodsWithLogs: 3,
      focus: 'ledger balances are wrong since 09:00',
    });
    expect(read(data)).toEqual(['payments-1 (previous)', 'payments-1', 'ledger-1', 'ledger-2']);
    expect(data.gaps).toContainEqual({
      what: 'container logs of 2 pod(s)',
      reason: 'not read: the limit is 3 pods per investigation (ledger/audit-1, ledger/gone-1)',
    });
  });

  it('names a log it could not read, with why, and reads every other one whole', async () => {
    const data = await collectSnapshot(client(), { namespaces: [LOG_NS] });
    expect(read(data)).toEqual(['payments-1 (previous)', 'payments-1', 'audit-1', 'ledger-1', 'ledger-2']);
    expect(data.logs.find((l) => l.pod === 'ledger-2')).toMatchObject({ truncated: false });
    expect(data.logs.find((l) => l.pod === 'ledger-2')?.lines).toHaveLength(60);
    expect(data.gaps).toContainEqual({
      what: '1 container log(s)',
      reason: 'read failed: ledger/gone-1 app: forbidden (RBAC)',
    });
  });
});
