// The read-only tools against kube-sim serving real-shaped incidents, through the real Kubernetes
// client: what each tool reads, how it summarises it, and how it degrades when RBAC says no.
import { type Proposal } from '@foxhound/contracts';
import { type Harness, startHarness } from '../__fixtures__/harness';

describe('Kubernetes tools on a crash-looping rollout (crashloop-missing-env)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(['crashloop-missing-env']);
  });
  afterAll(() => h.close());

  it('lists pods as a kubectl table and flags the failing one', async () => {
    const out = await h.call('kubectl_get', { kind: 'po', namespace: 'identity' });
    expect(out.status).toBe('success');
    expect(out.text.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+NODE$/);
    expect(out.text).toMatch(/account-service-b8d5f6c97d-5tr47\s+0\/1\s+CrashLoopBackOff\s+9/);
    expect(out.summary).toBe('7 Pods in identity, 1 not ready or failing');
  });

  it('describes a Deployment with its conditions, ReplicaSets and events', async () => {
    const out = await h.call('kubectl_describe', {
      kind: 'Deployment',
      namespace: 'identity',
      name: 'account-service',
    });
    expect(out.text).toContain('Progressing=False (ProgressDeadlineExceeded)');
    expect(out.text).toMatch(/account-service-b8d5f6c97d revision 32: 0\/1 ready/);
    expect(out.text).toContain('Events (');
  });

  it('reads the previous container log and names the decisive line', async () => {
    const out = await h.call(
      'fetch_pod_logs',
      { namespace: 'identity', pod: 'account-service-b8d5f6c97d-5tr47', previous: true },
      'log_analyst',
    );
    expect(out.status).toBe('success');
    expect(out.summary).toContain('OIDC_ISSUER_URL');
    expect(out.text).toMatch(
      /^\d+ lines from the previous log of identity\/account-service-b8d5f6c97d-5tr47 \(account-service\)\./,
    );
  });

  it('filters a log with plain-text alternatives, never a regular expression', async () => {
    const out = await h.call(
      'fetch_pod_logs',
      {
        namespace: 'identity',
        pod: 'account-service-b8d5f6c97d-5tr47',
        previous: true,
        grep: 'field required|(a+)+$',
      },
      'log_analyst',
    );
    expect(out.text).toMatch(/\d+ line\(s\) match "field required\|\(a\+\)\+\$"/);
  });

  it.each([
    [
      'an unknown container',
      { container: 'sidecar' },
      'error',
      'has no container "sidecar"; its containers: account-service',
    ],
    ['a pod that does not exist', { pod: 'nope' }, 'no_data', 'Pod identity/nope not found.'],
  ] as const)('answers %s clearly', async (_name, override, status, message) => {
    const out = await h.call(
      'fetch_pod_logs',
      { namespace: 'identity', pod: 'account-service-b8d5f6c97d-5tr47', ...override },
      'log_analyst',
    );
    expect(out.status).toBe(status);
    expect(out.text).toContain(message);
  });

  it('shows what changed in the rollout', async () => {
    const out = await h.call(
      'what_changed',
      { namespace: 'identity', name: 'account-service' },
      'log_analyst',
    );
    expect(out.text).toContain('revision 31 → 32');
    expect(out.text).toContain('env OIDC_ISSUER_URL removed');
  });

  it('proposes a rollback with its inverse, a target digest and a dry run the server accepted', async () => {
    const out = await h.call<Proposal>(
      'propose_action',
      {
        action: { type: 'RollbackDeployment', namespace: 'identity', name: 'account-service' },
        summary: 'Roll back to the revision that had OIDC_ISSUER_URL.',
      },
      'remediator',
    );
    expect(out.status).toBe('success');
    expect(out.data).toMatchObject({
      action: { type: 'RollbackDeployment', namespace: 'identity', name: 'account-service', toRevision: 31 },
      risk: 'medium',
      rollback: {
        action: { type: 'RestoreObject', kind: 'Deployment', preImage: { body: { replicas: 3 } } },
      },
      target: { resourceVersion: expect.any(String), digest: expect.stringMatching(/^[0-9a-f]{16}$/) },
      dryRun: { ok: true },
    });
    expect(h.events.some((e) => e.type === 'proposal')).toBe(true);
    // A dry run persists nothing: the Deployment still runs revision 32.
    const d = (await h.cluster.get('deployments', 'account-service', 'identity')) as {
      metadata: { annotations: Record<string, string> };
    };
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('32');
  });

  it.each([
    [
      'a protected namespace',
      { type: 'DeletePod', namespace: 'kube-system', name: 'coredns-1' },
      'namespace kube-system is protected',
    ],
    [
      'a target that does not exist',
      { type: 'ScaleDeployment', namespace: 'identity', name: 'ghost', replicas: 2 },
      'the target does not exist',
    ],
    [
      'a revision that does not exist',
      { type: 'RollbackDeployment', namespace: 'identity', name: 'account-service', toRevision: 7 },
      'revision 7 of Deployment identity/account-service does not exist',
    ],
    [
      'an image patch to a missing container',
      {
        type: 'PatchDeploymentImage',
        namespace: 'identity',
        name: 'account-service',
        container: 'web',
        image: 'x:1',
      },
      'has no container "web"',
    ],
  ])('refuses to propose on %s', async (_name, action, message) => {
    const out = await h.call(
      'propose_action',
      { action, summary: 'A proposal that must be refused.' },
      'remediator',
    );
    expect(out.status).toBe('error');
    expect(out.text).toContain(message);
  });

  it('clamps a scale-up and says so', async () => {
    const out = await h.call<Proposal>(
      'propose_action',
      {
        action: { type: 'ScaleDeployment', namespace: 'identity', name: 'account-service', replicas: 500 },
        summary: 'Scale out to absorb load.',
      },
      'remediator',
    );
    expect(out.data?.action).toEqual({
      type: 'ScaleDeployment',
      namespace: 'identity',
      name: 'account-service',
      replicas: 11,
    });
    expect(out.data?.summary).toContain('Clamped from 500 to 11 replicas');
    expect(out.data?.rollback.action).toMatchObject({
      type: 'RestoreObject',
      namespace: 'identity',
      name: 'account-service',
      kind: 'Deployment',
      preImage: { body: { replicas: 3 } },
    });
  });
});

describe('tools on other failure modes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness([
      'imagepull-bad-tag',
      'quota-blocks-admission',
      'service-selector-mismatch',
      'cpu-throttling',
      'cascading-failure',
    ]);
  });
  afterAll(() => h.close());

  it('classifies a pull failure and names the tag the cluster already runs', async () => {
    const out = await h.call('image_check', { namespace: 'storefront', name: 'catalog-api' });
    expect(out.summary).toMatch(/1 image\(s\) failing to pull: .*catalog-api:3\.12\.1 \(not-found\)/);
    expect(out.text).toMatch(/Same repository elsewhere: [^\n]*v3\.12\.1/);
  });

  it('does the quota arithmetic of an admission refusal', async () => {
    const out = await h.call('quota_explain', { namespace: 'orders' });
    expect(out.summary).toBe('1 quota(s), 1 LimitRange(s) in orders; 1 quota refusals');
    expect(out.text).toContain('requests.memory: 7.5Gi of 8Gi used (94%)');
    expect(out.text).toContain(
      'refused by quota orders-compute: requests.memory: asks 1Gi, 7.5Gi of 8Gi used, 512Mi left',
    );
  });

  it('shows a Service whose selector matches no pod', async () => {
    const out = await h.call('get_endpoints', { namespace: 'checkout', service: 'cart' });
    expect(out.text).toContain('Ready endpoints (0): <none>');
    expect(out.text).toContain('Problems: the selector app=cart,tier=backend matches no pod in checkout.');
  });

  it('reads throttling from the metric series', async () => {
    const out = await h.call('kubectl_top', { namespace: 'search' });
    expect(out.summary).toMatch(/search-api-[\w-]+\/search-api throttled \d+% of CPU periods/);
  });

  it('queries Prometheus', async () => {
    const out = await h.call('prometheus_query', {
      query: 'container_cpu_cfs_throttled_periods_total{namespace="search"}',
      minutes: 30,
    });
    expect(out.status).toBe('success');
    expect(out.text).toMatch(/container_cpu_cfs_throttled_periods_total\{.*namespace="search".*\} {2}last/);
  });

  it('reports a PromQL error as an error result', async () => {
    const out = await h.call('prometheus_query', { query: 'sum(' });
    expect(out.status).toBe('error');
    expect(out.text).toMatch(/^Prometheus answered 400/);
  });

  it('maps dependencies and the blast radius of a broken dependency', async () => {
    const graph = await h.call('service_graph', { namespace: 'bookings' });
    expect(graph.text).toMatch(
      /Deployment bookings\/booking-api\n {2}served by: [^\n]+\n {2}calls: [^\n]*Service bookings\/redis/,
    );
    const blast = await h.call('blast_radius', { kind: 'StatefulSet', namespace: 'bookings', name: 'redis' });
    expect(blast.text).toContain('Deployment bookings/booking-api');
    expect(blast.text).toContain('Deployment bookings/pricing-service');
  });

  it('runs the analyzers and emits root causes, not their symptoms', async () => {
    const out = await h.call('run_diagnostics', { namespaces: ['bookings'] }, 'commander');
    expect(out.summary).toMatch(
      /^\d+ root cause\(s\) in bookings; top: OOMKilled on StatefulSet bookings\/redis/,
    );
    const findings = h.events.filter((e) => e.type === 'finding').map((e) => e.data as { causedBy?: string });
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.causedBy === undefined)).toBe(true);
    expect(h.turn.findings.size).toBeGreaterThan(findings.length);
  });
});

describe('a read-only ServiceAccount that may not read quotas', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(['quota-blocks-admission'], {
      sim: {
        tokens: [
          {
            token: 'executor-token-0123456789',
            user: 'system:serviceaccount:foxhound:executor',
            groups: ['system:authenticated'],
          },
        ],
        // The executor's ClusterRole minus resourcequotas: reads only, never a write, never secrets.
        authorization: (a) =>
          ['get', 'list', 'watch'].includes(a.verb) &&
          a.resource !== 'secrets' &&
          a.resource !== 'resourcequotas',
      },
    });
  });
  afterAll(() => h.close());

  it('degrades a forbidden read to an error result and a blind spot', async () => {
    const out = await h.call('quota_explain', { namespace: 'orders' });
    expect(out.status).toBe('error');
    expect(out.text).toContain(
      "Not permitted: list resourcequotas in orders. The executor's ServiceAccount is read-only",
    );
    expect([...h.turn.notChecked]).toContain(
      "list resourcequotas in orders (forbidden for the executor's read-only ServiceAccount)",
    );
  });

  it('records the snapshot gap and still analyses the rest', async () => {
    const out = await h.call('run_diagnostics', {}, 'commander');
    expect(out.status).toBe('success');
    expect([...h.turn.notChecked].some((n) => n.startsWith('ResourceQuota in orders: forbidden'))).toBe(true);
  });

  it('proposes without a dry run when the server refuses it, and says so', async () => {
    const out = await h.call<Proposal>(
      'propose_action',
      {
        action: { type: 'ScaleDeployment', namespace: 'orders', name: 'order-processor', replicas: 6 },
        summary: 'Scale to what the quota allows.',
      },
      'remediator',
    );
    expect(out.status).toBe('success');
    expect(out.data?.dryRun).toBeUndefined();
    expect([...h.turn.notChecked]).toContain(
      "Server-side dry runs of proposals (the executor's ServiceAccount may not write, even in a dry run)",
    );
  });
});
