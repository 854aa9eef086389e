// The Kubernetes tools a model needs beyond pods and Deployments, against kube-sim serving real-shaped
// incidents through the real client: kubectl's columns and describe views for StatefulSets, Jobs,
// HPAs and NetworkPolicies, JSONPath projection, search by name fragment, API discovery with a CRD,
// and the network path under a default-deny egress policy.
import { type Harness, startHarness } from '../../__fixtures__/harness';

const CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'certificates.cert-manager.io' },
  spec: {
    group: 'cert-manager.io',
    scope: 'Namespaced',
    names: {
      plural: 'certificates',
      singular: 'certificate',
      kind: 'Certificate',
      shortNames: ['cert', 'certs'],
    },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    ],
  },
};

describe('Kubernetes tools for every kind', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness([
      'cpu-throttling',
      'failed-job',
      'cascading-failure',
      'ledger-egress-policy-blocks-db',
    ]);
    h.sim.store.create('customresourcedefinitions.apiextensions.k8s.io', CRD);
  });
  afterAll(() => h.close());

  it.each([
    [
      'StatefulSets',
      { kind: 'sts', namespace: 'bookings' },
      /^NAME\s+READY\s+SERVICE\s+AGE\s+IMAGES\nredis\s+0\/1\s+redis-headless\s+\S+\s+redis:7\.2\.5$/,
    ],
    [
      'Jobs',
      { kind: 'job', namespace: 'inventory' },
      /^NAME\s+STATUS\s+COMPLETIONS\s+FAILED\s+DURATION\s+AGE\ninventory-db-migrate-88\s+Failed\s+0\/1\s+4\s/,
    ],
    [
      'HPAs',
      { kind: 'hpa', namespace: 'search' },
      /query-suggest\s+Deployment\/query-suggest\s+cpu: 41%\/70%\s+2\s+6\s+2\s/,
    ],
    [
      'NetworkPolicies',
      { kind: 'netpol', namespace: 'ledger' },
      /default-deny-egress\s+<all pods>\s+Egress\s+-\s+3\s/,
    ],
  ])('lists %s with the columns kubectl prints', async (_kind, input, table) => {
    const out = await h.call('kubectl_get', input);
    expect(out.status).toBe('success');
    expect(out.text).toMatch(table);
  });

  it('names kinds in plain English', async () => {
    expect((await h.call('kubectl_get', { kind: 'netpol', namespace: 'ledger' })).summary).toBe(
      '1 NetworkPolicies in ledger',
    );
  });

  it('describes a StatefulSet with replicas, revisions, its Service, claims, template and pods', async () => {
    const out = await h.call('kubectl_describe', {
      kind: 'StatefulSet',
      namespace: 'bookings',
      name: 'redis',
    });
    expect(out.text).toContain('Replicas: 1 desired, 1 current, 0 ready, 1 updated');
    expect(out.text).toContain('Service: redis-headless');
    expect(out.text).toContain('  data: 8Gi gp3 ReadWriteOnce');
    expect(out.text).toContain('Readiness: exec sh -c redis-cli -h 127.0.0.1 ping | grep -q PONG');
    expect(out.text).toMatch(/ {2}redis-0 {2}0\/1 {2}Running {2}restarts 9/);
  });

  it('describes a failed Job with its backoff arithmetic, conditions and pods', async () => {
    const out = await h.call('kubectl_describe', {
      kind: 'job',
      namespace: 'inventory',
      name: 'inventory-db-migrate-88',
    });
    expect(out.text).toContain('Status: Failed');
    expect(out.text).toContain('Completions: 0/1 succeeded, 0 active, 4 failed (backoffLimit 3)');
    expect(out.text).toContain(
      'Failed=True (BackoffLimitExceeded): Job has reached the specified backoff limit',
    );
    expect(out.text).toContain('Pods (job-name=inventory-db-migrate-88): 4');
  });

  it('describes an HPA with current against target metrics and its conditions', async () => {
    const out = await h.call('kubectl_describe', { kind: 'hpa', namespace: 'search', name: 'query-suggest' });
    expect(out.text).toContain('Metrics (current/target): cpu: 41%/70%');
    expect(out.text).toContain('Replicas: min 2, max 6, current 2, desired 2');
    expect(out.text).toContain('ScalingLimited=False (DesiredWithinRange)');
  });

  it('describes every rule of a NetworkPolicy', async () => {
    const out = await h.call('kubectl_describe', {
      kind: 'netpol',
      namespace: 'ledger',
      name: 'default-deny-egress',
    });
    expect(out.text).toContain('Pod selector: <all pods in the namespace>');
    expect(out.text).toContain('Ingress: not isolated by this policy');
    expect(out.text).toContain(
      '  1. to pods k8s-app=kube-dns in namespaces kubernetes.io/metadata.name=kube-system on 53/UDP, 53/TCP',
    );
    expect(out.text).toContain(
      '  3. to ipBlock 0.0.0.0/0 except 10.0.0.0/8,172.16.0.0/12,192.168.0.0/16 on 443/TCP',
    );
  });

  it('describes a kind with no hand-written view by its fields', async () => {
    const out = await h.call('kubectl_describe', { kind: 'pv', name: 'does-not-exist' });
    expect(out.status).toBe('no_data');
    const sc = await h.call('kubectl_get', { kind: 'sa', namespace: 'inventory' });
    expect(sc.text).toMatch(/^NAME\s+AGE\n/);
  });

  it('projects a list with a JSONPath range', async () => {
    const out = await h.call('kubectl_get', {
      kind: 'pods',
      namespace: 'bookings',
      jsonpath:
        '{range .items[*]}{.metadata.name}{"\\t"}{.status.containerStatuses[*].restartCount}{"\\n"}{end}',
    });
    expect(out.status).toBe('success');
    expect(out.text.split('\n')).toContain('redis-0\t9');
  });

  it('projects one object with a filter', async () => {
    const out = await h.call('kubectl_get', {
      kind: 'job',
      namespace: 'inventory',
      name: 'inventory-db-migrate-88',
      jsonpath: '{.status.conditions[?(@.type=="Failed")].reason}',
    });
    expect(out.text).toBe('BackoffLimitExceeded');
  });

  it.each([
    [
      { jsonpath: '{.status.nothing}' },
      'no_data',
      '{.status.nothing} matched nothing in Job inventory/inventory-db-migrate-88.',
    ],
    [
      { jsonpath: '{.status[' },
      'error',
      'Invalid input for kubectl_get: jsonpath: not a valid kubectl JSONPath template',
    ],
  ])('answers a projection that finds nothing or does not parse (%j)', async (input, status, message) => {
    const out = await h.call('kubectl_get', {
      kind: 'job',
      namespace: 'inventory',
      name: 'inventory-db-migrate-88',
      ...input,
    });
    expect(out.status).toBe(status);
    expect(out.text).toContain(message);
  });

  it('finds objects by a name fragment across namespaces and kinds, exact names first', async () => {
    const out = await h.call('find_resource', { name: 'redis' });
    expect(out.summary).toBe('7 object(s) named like "redis"; first: StatefulSet bookings/redis');
    expect(
      out.text
        .split('\n')
        .slice(1, 4)
        .map((l) => l.split(/\s+/).slice(0, 3).join(' ')),
    ).toEqual(['StatefulSet bookings redis', 'Service bookings redis', 'ServiceAccount bookings redis']);
    const none = await h.call('find_resource', { name: 'no such thing' });
    expect(none.status).toBe('no_data');
    expect(none.text).toContain('Try a shorter fragment');
  });

  it('discovers the API, custom resources included', async () => {
    const all = await h.call('api_resources', { filter: 'apps' });
    expect(all.text).toMatch(/^statefulsets\s+sts\s+apps\/v1\s+true\s+StatefulSet$/m);
    const custom = await h.call('api_resources', { customOnly: true });
    expect(custom.text).toMatch(
      /^certificates\s+cert,certs\s+cert-manager\.io\/v1\s+true\s+Certificate\s+CRD$/m,
    );
    expect(custom.text).not.toMatch(/apps\/v1/);
    expect(all.summary).toBe('5 resources matching "apps", 0 custom');
  });

  it('names the egress policy that blocks a database outside the cluster', async () => {
    const out = await h.call('network_path', {
      namespace: 'ledger',
      from: 'ledger-api',
      to: '10.40.12.7',
      port: 5432,
    });
    expect(out.summary).toMatch(
      /^ledger\/ledger-api-\S+ → 10\.40\.12\.7 blocked by ledger\/default-deny-egress \(Egress\)$/,
    );
    expect(out.text).toContain(
      'To 10.40.12.7:5432/TCP (outside the cluster): DENIED on egress of ledger: isolated by ledger/default-deny-egress',
    );
    // The same policy admits HTTPS to public addresses (its third rule).
    const https = await h.call('network_path', {
      namespace: 'ledger',
      from: 'ledger-api',
      to: '52.95.110.1',
      port: 443,
    });
    expect(https.text).toContain('Verdict: the NetworkPolicies allow this path.');
  });

  it('judges DNS and every backend of a Service in the namespace', async () => {
    const out = await h.call('network_path', { namespace: 'ledger', from: 'ledger-api', to: 'ledger-api' });
    expect(out.text).toContain('DNS (UDP 53 to the cluster DNS, needed to resolve ledger-api): allowed');
    expect(out.text).toMatch(/ {2}ledger-api-\S+ \S+ port 8000→http\/TCP: allowed/);
    expect(out.data).toEqual({ allowed: true, blockers: [] });
  });

  it('answers a Service that does not exist with the ones that do', async () => {
    const out = await h.call('network_path', { namespace: 'ledger', from: 'ledger-api', to: 'ledger-db' });
    expect(out.status).toBe('no_data');
    expect(out.text).toBe('Service ledger/ledger-db does not exist; Services in ledger: ledger-api.');
  });
});

describe('network_path on the receiving side', () => {
  const NS = 'payments';
  let h: Harness;
  const podObject = (name: string, app: string, ip: string, ports: Record<string, unknown>[] = []) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, labels: { app } },
    spec: { nodeName: 'node-a', containers: [{ name: app, image: `r.io/${app}:1`, ports }] },
    status: {
      phase: 'Running',
      podIP: ip,
      containerStatuses: [
        { name: app, ready: true, restartCount: 0, image: 'x', imageID: 'x', state: { running: {} } },
      ],
    },
  });

  beforeAll(async () => {
    h = await startHarness([], { scope: [NS] });
    const s = h.sim.store;
    s.load('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    s.load('pods', podObject('web-1', 'web', '10.1.0.10'));
    s.load('pods', podObject('api-1', 'api', '10.1.0.11'));
    s.load('pods', podObject('db-0', 'db', '10.1.0.20', [{ name: 'pg', containerPort: 5432 }]));
    s.load('services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'db', namespace: NS },
      spec: { selector: { app: 'db' }, ports: [{ port: 5432, targetPort: 'pg' }] },
    });
    s.load('services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'psp', namespace: NS },
      spec: { type: 'ExternalName', externalName: 'api.psp.example.com' },
    });
    // https://kubernetes.io/docs/concepts/services-networking/network-policies/: once a policy selects
    // the database pods for ingress, only what its rules admit reaches them.
    s.load('networkpolicies.networking.k8s.io', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'db-from-api', namespace: NS },
      spec: {
        podSelector: { matchLabels: { app: 'db' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 5432 }] }],
      },
    });
  });
  afterAll(() => h.close());

  it('names the ingress policy of the server that drops a caller it does not admit', async () => {
    const out = await h.call('network_path', { namespace: NS, from: 'web-1', to: 'db' });
    expect(out.text).toContain(
      '  db-0 10.1.0.20 port 5432→pg/TCP: DENIED on ingress of payments: isolated by payments/db-from-api, and no rule of it admits this flow',
    );
    expect(out.summary).toBe('payments/web-1 → payments/db blocked by payments/db-from-api (Ingress)');
  });

  it('allows the caller the policy admits, resolving the named target port', async () => {
    const out = await h.call('network_path', { namespace: NS, from: 'api-1', to: 'db', port: 5432 });
    expect(out.text).toContain('  db-0 10.1.0.20 port 5432→pg/TCP: allowed');
    expect(out.data).toEqual({ allowed: true, blockers: [] });
  });

  it('says an ExternalName leaves the cluster and how to judge it', async () => {
    const out = await h.call('network_path', { namespace: NS, from: 'api-1', to: 'psp' });
    expect(out.status).toBe('no_data');
    expect(out.text).toContain('Service payments/psp is an ExternalName for api.psp.example.com');
  });
});
