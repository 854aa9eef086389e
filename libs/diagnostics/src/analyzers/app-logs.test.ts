import { type ContainerLog } from '@foxhound/contracts';
import { type ConfigMap, type Container, type Pod } from '../snapshot';
import {
  NOW,
  NS,
  container,
  deployment,
  endpoints,
  log,
  pod,
  replicaSet,
  service,
  snapshot,
  template,
  workload,
} from '../__fixtures__/build';
import { appLogsAnalyzer } from './app-logs';

const analyze = (s: ReturnType<typeof snapshot>) => appLogsAnalyzer.analyze(s);
const at = (i: number) => new Date(Date.parse('2025-10-21T09:40:00Z') + i * 5_000).toISOString();
const info = (i: number) => `{"time":"${at(i)}","level":"info","msg":"served order ${i}"}`;

function api(lines: string[][]) {
  const w = workload(
    'api',
    lines.map((_, i) => (owner, labels) => pod(`api-5d4f8c7b9-${i}`, { owner, labels })),
  );
  const logs: ContainerLog[] = lines.map((l, i) => log(`api-5d4f8c7b9-${i}`, 'app', l));
  return { objects: { deployments: [w.deployment], replicaSets: [w.replicaSet], pods: w.pods }, logs };
}

describe('app-logs analyzer: noise stays quiet', () => {
  it.each([
    [
      'a few retried warnings',
      [
        ...Array.from({ length: 50 }, (_, i) => info(i)),
        'time="2025-10-21T09:45:00Z" level=warning msg="redis timeout, retrying" attempt=1',
        'time="2025-10-21T09:45:01Z" level=warning msg="redis timeout, retrying" attempt=2',
        'time="2025-10-21T09:45:02Z" level=warning msg="redis timeout, retrying" attempt=3',
      ],
    ],
    [
      'health-check 404s',
      Array.from({ length: 60 }, (_, i) =>
        i % 2
          ? 'INFO:     10.0.1.1:40000 - "GET /health HTTP/1.1" 404 Not Found'
          : 'INFO:     10.0.1.1:40001 - "GET /api/items HTTP/1.1" 200 OK',
      ),
    ],
    [
      'debug-level stack traces',
      [
        ...Array.from({ length: 20 }, (_, i) => info(i)),
        ...Array.from({ length: 5 }, () => [
          '2025-10-21 09:50:00,001 DEBUG urllib3.connectionpool: connection dropped, will reconnect',
          'Traceback (most recent call last):',
          '  File "/app/client.py", line 10, in call',
          'ConnectionResetError: [Errno 104] Connection reset by peer',
        ]).flat(),
      ],
    ],
    [
      'a connection pool briefly full twice',
      [
        ...Array.from({ length: 60 }, (_, i) => info(i)),
        'java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.',
        ...Array.from({ length: 60 }, (_, i) => info(i + 60)),
        'java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.',
      ],
    ],
    [
      'a single transient error',
      [
        ...Array.from({ length: 30 }, (_, i) => info(i)),
        `{"time":"${at(31)}","level":"error","msg":"upstream request failed","error":"context deadline exceeded"}`,
        ...Array.from({ length: 30 }, (_, i) => info(i + 32)),
      ],
    ],
  ])('%s make no finding', (_name, lines) => {
    const { objects, logs } = api([lines]);
    expect(analyze(snapshot(objects, { logs }))).toEqual([]);
  });
});

describe('app-logs analyzer: failing for users', () => {
  it('reports an endpoint answering 5xx, with its rate and window', () => {
    const lines = Array.from({ length: 40 }, (_, i) =>
      i % 4 === 0
        ? `10.0.0.1 - - [21/Oct/2025:09:${String(20 + Math.floor(i / 4)).padStart(2, '0')}:00 +0000] "POST /api/checkout HTTP/1.1" 502 150 "-" "curl/8.4"`
        : `10.0.0.1 - - [21/Oct/2025:09:${String(20 + Math.floor(i / 4)).padStart(2, '0')}:00 +0000] "POST /api/checkout HTTP/1.1" 200 150 "-" "curl/8.4"`,
    );
    const { objects, logs } = api([lines]);
    const [f] = analyze(snapshot(objects, { logs }));
    expect(f).toMatchObject({
      id: 'app-logs:ServerErrors:shop/api-5d4f8c7b9-0/app',
      reason: 'ServerErrors',
      parent: { kind: 'Deployment', name: 'api', namespace: NS },
      severity: 'high',
      cause: 'POST /api/checkout answers 10 of 40 requests with 5xx errors (25%) over 9m',
    });
  });

  it('reports slow requests per endpoint', () => {
    const lines = Array.from(
      { length: 20 },
      (_, i) =>
        `{"time":"${at(i)}","level":"info","msg":"request","method":"GET","path":"/api/search","status":200,"duration_ms":${i < 10 ? 40 : 2500 + i}}`,
    );
    const { objects, logs } = api([lines]);
    const [f] = analyze(snapshot(objects, { logs }));
    expect(f.reason).toBe('SlowRequests');
    expect(f.cause).toBe(
      'GET /api/search is slow: p95 latency 2519 ms over 20 requests, 10 slower than 1 s over 95s',
    );
  });

  it('reports in-process memory exhaustion in a pod that never restarted', () => {
    const lines = [
      ...Array.from(
        { length: 10 },
        (_, i) => `2025-10-21T09:4${i}:00.000Z  INFO 1 --- [exec-1] c.e.Orders : order ${i}`,
      ),
      '2025-10-21T09:51:00.000Z ERROR 1 --- [exec-2] o.a.c.c.C.[Tomcat].[localhost] : Servlet.service() threw exception',
      'java.lang.OutOfMemoryError: Java heap space',
      '2025-10-21T09:52:00.000Z ERROR 1 --- [exec-3] o.a.c.c.C.[Tomcat].[localhost] : Servlet.service() threw exception',
      'java.lang.OutOfMemoryError: Java heap space',
    ];
    const { objects, logs } = api([lines]);
    const [f] = analyze(snapshot(objects, { logs }));
    expect(f).toMatchObject({
      reason: 'OutOfMemoryInProcess',
      severity: 'high',
      cause:
        'it runs out of memory (JVM heap exhausted): "java.lang.OutOfMemoryError: Java heap space" (2 times over 12m, while the pod stays Ready)',
    });
  });

  it('names the verb and resource an in-cluster client is forbidden', () => {
    const denied =
      'E1021 09:59:05.123456       1 reflector.go:138] pkg/mod/k8s.io/client-go/tools/cache/reflector.go:229: Failed to watch *v1.ConfigMap: failed to list *v1.ConfigMap: configmaps is forbidden: User "system:serviceaccount:shop:api" cannot list resource "configmaps" in API group "" in the namespace "shop"';
    const { objects, logs } = api([[denied, denied, denied]]);
    const [f] = analyze(snapshot(objects, { logs }));
    expect(f.reason).toBe('Forbidden');
    expect(f.cause).toContain(
      'the Kubernetes API forbids it to list configmaps in namespace shop (system:serviceaccount:shop:api)',
    );
  });

  it('quotes the dominant error template with its count and first/last time', () => {
    const lines = Array.from({ length: 40 }, (_, i) =>
      i % 2
        ? `{"time":"${at(i)}","level":"error","msg":"failed to publish event ${1000 + i} to topic orders","error":"kafka: client has run out of available brokers"}`
        : info(i),
    );
    const { objects, logs } = api([lines]);
    const [f] = analyze(snapshot(objects, { logs }));
    expect(f.reason).toBe('ErrorRate');
    expect(f.cause).toBe(
      `the application keeps failing: its log repeats "${lines[39]}" x20 between 09:40:05 and 09:43:15 UTC (20 of 40 events are errors over 3m)`,
    );
  });

  it('makes one finding for replicas failing the same way', () => {
    const lines = Array.from(
      { length: 10 },
      (_, i) =>
        `{"time":"${at(i)}","level":"error","msg":"write failed","error":"open /data/out.bin: no space left on device"}`,
    );
    const { objects, logs } = api([lines, lines.slice(0, 6)]);
    const findings = analyze(snapshot(objects, { logs }));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      reason: 'DiskFull',
      symptom: expect.stringMatching(/^2 of 2 pod\(s\) of Deployment shop\/api/),
    });
  });

  it('blames the dependency whose Service has no ready endpoints', () => {
    const refused = Array.from(
      { length: 6 },
      (_, i) =>
        `{"time":"${at(i)}","level":"error","msg":"query failed","error":"dial tcp 10.96.0.60:5432: connect: connection refused"}`,
    );
    const { objects, logs } = api([[...Array.from({ length: 40 }, (_, i) => info(i)), ...refused]]);
    const db = service('db', {
      clusterIP: '10.96.0.60',
      ports: [{ name: 'pg', port: 5432, targetPort: 5432, protocol: 'TCP' }],
    });
    const dbPod = pod('db-0', {
      labels: { app: 'db' },
      statuses: [
        { name: 'app', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } },
      ],
    });
    const [f] = analyze(
      snapshot(
        {
          ...objects,
          services: [db],
          endpoints: [endpoints('db', { notReady: ['db-0'] })],
          pods: [...objects.pods, dbPod],
        },
        { logs },
      ),
    );
    expect(f.reason).toBe('DependencyErrors');
    expect(f.cause).toMatch(
      /^connections to 10\.96\.0\.60:5432 are refused: Service shop\/db has no ready endpoints: its pods are 1 CrashLoopBackOff; the log repeats ".*" x6 between 09:40:00 and 09:40:25 UTC$/,
    );
    expect(f.evidence).toContainEqual(
      expect.objectContaining({ source: 'analysis', ref: { kind: 'Pod', name: 'db-0', namespace: NS } }),
    );
  });

  it('reports an expired certificate a running pod keeps hitting, without blaming endpoints', () => {
    const lines = Array.from(
      { length: 3 },
      () =>
        'error calling https://payments.example.com/charge: x509: certificate has expired or is not yet valid',
    );
    const [f] = analyze(snapshot({ pods: [pod('api-1')] }, { logs: [log('api-1', 'app', lines)] }));
    expect(f).toMatchObject({
      reason: 'DependencyErrors',
      cause: 'a TLS certificate has expired (payments.example.com)',
    });
  });
});

describe('app-logs analyzer: hostile input', () => {
  it('counts binary, clipped and non-object JSON lines in the finding instead of failing', () => {
    const lines = [
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `{"time":"${at(i)}","level":"error","msg":"write failed","error":"open /data/x: no space left on device"}`,
      ),
      'binary \u0000\u0001 bytes',
      'x'.repeat(1_000_000),
      '[1,2,3]',
    ];
    const { objects, logs } = api([lines]);
    const [f] = analyze(snapshot(objects, { logs }));
    expect(f.reason).toBe('DiskFull');
    expect(f.evidence).toContainEqual({
      source: 'analysis',
      excerpt:
        '8 of 11 log events of container app are errors over 35s; read with gaps: 1 binary, 1 clipped, 1 nonObjectJson',
    });
  });
});

describe('app-logs analyzer: errors about clients are not failures', () => {
  it.each([
    [
      'load-balancer health checks closing before the TLS handshake (Go net/http)',
      (i: number) =>
        `2025/10/21 09:${String(10 + Math.floor(i / 6)).padStart(2, '0')}:0${i % 6} http: TLS handshake error from 10.0.3.${i % 3}:${40000 + i}: EOF`,
    ],
    [
      'requests whose callers went away (Go context.Canceled)',
      (i: number) =>
        `{"level":"error","ts":${1761040000 + i},"msg":"request failed","path":"/v1/suggest","error":"context canceled"}`,
    ],
  ])('%s', (_name, line) => {
    const lines = Array.from({ length: 60 }, (_, i) => (i % 3 ? line(i) : info(i)));
    const { objects, logs } = api([lines]);
    expect(analyze(snapshot(objects, { logs }))).toEqual([]);
  });
});

describe('app-logs analyzer: configuration at fault gets a finding of its own', () => {
  function withSpec(lines: string[], spec: Partial<Pod['spec']>, container: Partial<Container>) {
    const w = workload('api', [
      (owner, labels) =>
        pod('api-5d4f8c7b9-0', { owner, labels, containers: [{ name: 'app', ...container }], spec }),
    ]);
    return {
      objects: { deployments: [w.deployment], replicaSets: [w.replicaSet], pods: w.pods },
      logs: [log('api-5d4f8c7b9-0', 'app', lines)],
    };
  }

  it('files a full disk under the PersistentVolumeClaim mounted at the path', () => {
    const lines = Array.from(
      { length: 6 },
      (_, i) =>
        `{"time":"${at(i)}","level":"error","msg":"upload failed","error":"write /var/uploads/tmp/part-${i}: no space left on device"}`,
    );
    const { objects, logs } = withSpec(
      lines,
      { volumes: [{ name: 'staging', persistentVolumeClaim: { claimName: 'upload-staging' } }] },
      { volumeMounts: [{ name: 'staging', mountPath: '/var/uploads' }] },
    );
    const findings = analyze(snapshot(objects, { logs }));
    expect(findings.map((f) => [f.reason, f.object.kind, f.object.name])).toEqual([
      ['DiskFull', 'Pod', 'api-5d4f8c7b9-0'],
      ['VolumeFull', 'PersistentVolumeClaim', 'upload-staging'],
    ]);
    expect(findings[0].evidence).toContainEqual(
      expect.objectContaining({
        ref: { kind: 'PersistentVolumeClaim', name: 'upload-staging', namespace: NS },
      }),
    );
    expect(findings[1].cause).toMatch(
      /^PersistentVolumeClaim shop\/upload-staging, mounted at \/var\/uploads in container app, is full/,
    );
  });

  it("files requests over nginx's body limit under the ConfigMap nginx reads its configuration from", () => {
    const lines = Array.from({ length: 30 }, (_, i) =>
      i % 3
        ? `10.0.2.1 - - [21/Oct/2025:09:${String(10 + i).padStart(2, '0')}:00 +0000] "GET /api/v1/me HTTP/1.1" 200 512 "-" "app/6.0"`
        : `2025/10/21 09:${String(10 + i).padStart(2, '0')}:00 [error] 22#22: *${900 + i} client intended to send too large body: 13768984 bytes, client: 10.0.2.1, server: _, request: "POST /api/v1/me/avatar HTTP/1.1"`,
    );
    const { objects, logs } = withSpec(
      lines,
      { volumes: [{ name: 'conf', configMap: { name: 'web-nginx' } }] },
      { volumeMounts: [{ name: 'conf', mountPath: '/etc/nginx/conf.d' }] },
    );
    const findings = analyze(snapshot(objects, { logs }));
    expect(findings.map((f) => [f.reason, f.object.kind, f.object.name])).toEqual([
      ['ErrorRate', 'Pod', 'api-5d4f8c7b9-0'],
      ['LimitTooLow', 'ConfigMap', 'web-nginx'],
    ]);
    expect(findings[1].cause).toMatch(
      /^ConfigMap shop\/web-nginx, the configuration container app reads at \/etc\/nginx\/conf\.d, sets a limit its traffic exceeds: nginx client_max_body_size is below the request bodies \(13768984 bytes\)/,
    );
  });

  it('files a name no Service answers to under the ConfigMap key that holds it', () => {
    const cm: ConfigMap = {
      metadata: { name: 'api-config', namespace: NS },
      data: { SEARCH_HOST: 'search-es' },
    };
    const lines = Array.from(
      { length: 6 },
      (_, i) =>
        `{"time":"${at(i)}","level":"error","msg":"search failed","error":"dial tcp: lookup search-es on 10.96.0.10:53: no such host"}`,
    );
    const { objects, logs } = withSpec(lines, {}, { envFrom: [{ configMapRef: { name: 'api-config' } }] });
    const findings = analyze(snapshot({ ...objects, configMaps: [cm] }, { logs }));
    expect(findings.map((f) => [f.reason, f.object.kind, f.object.name])).toEqual([
      ['DependencyErrors', 'Pod', 'api-5d4f8c7b9-0'],
      ['MissingDependency', 'ConfigMap', 'api-config'],
    ]);
    expect(findings[1].cause).toBe(
      `ConfigMap ${NS}/api-config key SEARCH_HOST names search-es, but no Service ${NS}/search-es exists`,
    );
  });
});

describe('app-logs analyzer: a datastore at its limit', () => {
  it("files a client's Redis maxmemory errors under the Redis it calls", () => {
    const w = workload('web', [
      (owner, labels) =>
        pod('web-5d4f8c7b9-0', {
          owner,
          labels,
          containers: [{ name: 'app', env: [{ name: 'REDIS_URL', value: 'redis://sessions:6379/0' }] }],
        }),
    ]);
    // The graph reads what the workload's template configures.
    w.deployment.spec.template.spec.containers[0].env = [
      { name: 'REDIS_URL', value: 'redis://sessions:6379/0' },
    ];
    const redis = deployment('sessions', {
      template: template({ app: 'sessions' }, [container('redis', { image: 'redis:7.2' })]),
    });
    const lines = Array.from(
      { length: 6 },
      (_, i) =>
        `{"time":"${at(i)}","level":"error","msg":"session save failed","error":"OOM command not allowed when used memory > 'maxmemory'."}`,
    );
    const findings = analyze(
      snapshot(
        {
          deployments: [w.deployment, redis],
          replicaSets: [w.replicaSet],
          pods: w.pods,
          services: [service('sessions', { ports: [{ port: 6379 }] })],
        },
        { logs: [log('web-5d4f8c7b9-0', 'app', lines)] },
      ),
    );
    expect(findings.map((f) => [f.reason, f.object.kind, f.object.name])).toEqual([
      ['Saturation', 'Pod', 'web-5d4f8c7b9-0'],
      ['DatastoreSaturated', 'Deployment', 'sessions'],
    ]);
  });
});

describe('app-logs analyzer: errors that began with a rollout', () => {
  // Revision 2 (image 2.0.0) rolled out 30 minutes before capture; revision 1 ran 1.0.0.
  const labels = { app: 'api' };
  const v1 = template(labels, [container('app', { image: 'registry.example.com/shop/api:1.0.0' })]);
  const v2 = template(labels, [container('app', { image: 'registry.example.com/shop/api:2.0.0' })]);
  const minutesAgo = (m: number) => new Date(Date.parse(NOW) - m * 60_000).toISOString();
  const line = (m: number, level: string, msg: string) =>
    `{"time":"${minutesAgo(m)}","level":"${level}","msg":"${msg}"}`;

  function rolledOut(errorsFrom: number) {
    const pods = [0, 1].map((i) =>
      pod(`api-2b2b2b2b2-${i}`, {
        owner: { kind: 'ReplicaSet', name: 'api-2b2b2b2b2' },
        labels: { ...labels, 'pod-template-hash': '2b2b2b2b2' },
      }),
    );
    const lines = Array.from({ length: 60 }, (_, k) => {
      const m = 29 - k * 0.45;
      return m <= errorsFrom
        ? line(m, 'error', `render failed: template "invoice" has no field Total (order ${k})`)
        : line(m, 'info', `served order ${k}`);
    });
    return snapshot(
      {
        deployments: [deployment('api', { labels, template: v2 })],
        replicaSets: [
          replicaSet('api-2b2b2b2b2', {
            deployment: 'api',
            template: v2,
            revision: 2,
            createdMinutesAgo: 30,
            hash: '2b2b2b2b2',
          }),
          replicaSet('api-1a1a1a1a1', {
            deployment: 'api',
            template: v1,
            revision: 1,
            replicas: 0,
            ready: 0,
            hash: '1a1a1a1a1',
          }),
        ],
        pods,
      },
      { logs: pods.map((p) => log(p.metadata.name, 'app', lines)) },
    );
  }

  it('pins the finding on the new revision and proposes rolling back to the one before', () => {
    const [finding] = analyze(rolledOut(20));
    expect(finding.cause).toContain('this began with revision 2 of Deployment api');
    expect(
      finding.evidence.some((e) => e.excerpt.includes('image registry.example.com/shop/api:2.0.0')),
    ).toBe(true);
    expect(finding.suggestion?.action).toEqual({
      type: 'RollbackDeployment',
      namespace: NS,
      name: 'api',
      toRevision: 1,
    });
  });

  // Revision 2 rolled out ten hours ago; the log tail shows only the last half hour of refusals.
  function refusedSinceRollout(roleWritten: string) {
    const s = rolledOut(30);
    s.objects.replicaSets![0].metadata.creationTimestamp = minutesAgo(600);
    const refused = (m: number) =>
      `E${minutesAgo(m).slice(5, 7)}${minutesAgo(m).slice(8, 10)} ${minutesAgo(m).slice(11, 19)}.000000       1 leaderelection.go:436] error retrieving resource lock shop/api: leases.coordination.k8s.io "api" is forbidden: User "system:serviceaccount:shop:api" cannot get resource "leases" in API group "coordination.k8s.io" in the namespace "shop"`;
    const lines = Array.from({ length: 30 }, (_, k) => refused(29 - k));
    s.logs = s.objects.pods!.map((p) => log(p.metadata.name, 'app', lines));
    for (const p of s.objects.pods!) p.spec.serviceAccountName = 'api';
    s.objects.serviceAccounts = [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api', namespace: NS } },
    ];
    s.objects.roles = [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'api-leader-election', namespace: NS, creationTimestamp: roleWritten },
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'create', 'update'] }],
      },
    ];
    s.objects.roleBindings = [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'api-leader-election', namespace: NS },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'api-leader-election' },
        subjects: [{ kind: 'ServiceAccount', name: 'api', namespace: NS }],
      },
    ];
    return s;
  }

  it('rolls back a release whose code asks for a permission its unchanged Role never granted', () => {
    const findings = analyze(refusedSinceRollout(minutesAgo(60 * 24 * 30)));
    const role = findings.find((f) => f.object.kind === 'Role');
    expect(role).toMatchObject({ reason: 'MissingPermission', object: { name: 'api-leader-election' } });
    expect(role?.suggestion?.action).toEqual({
      type: 'RollbackDeployment',
      namespace: NS,
      name: 'api',
      toRevision: 1,
    });
  });

  it('proposes the refused lease verb on the Role when every rule it ends up with is grantable', () => {
    const s = refusedSinceRollout(minutesAgo(60));
    s.objects.roles![0].rules = [
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create', 'update'] },
    ];
    const role = analyze(s).find((f) => f.object.kind === 'Role');
    expect(role?.suggestion?.action).toEqual({
      type: 'AddRoleRule',
      namespace: NS,
      name: 'api-leader-election',
      apiGroup: 'coordination.k8s.io',
      resource: 'leases',
      verb: 'get',
    });
    expect(role?.suggestion?.rollback.action).toMatchObject({ type: 'RestoreObject', kind: 'Role' });
  });

  it('does not blame the release when the Role was edited after it', () => {
    const findings = analyze(refusedSinceRollout(minutesAgo(60)));
    expect(findings.find((f) => f.object.kind === 'Role')).toMatchObject({ reason: 'MissingPermission' });
    expect(findings.find((f) => f.object.kind === 'Role')?.suggestion).toBeUndefined();
    expect(findings.some((f) => f.suggestion?.action.type === 'RollbackDeployment')).toBe(false);
  });

  // Revision 2 rolled out ten hours ago and its pods have run since; the pool ran out in the last half hour.
  function leakingSinceRollout(restarts: number) {
    const s = rolledOut(20);
    s.objects.replicaSets![0].metadata.creationTimestamp = minutesAgo(605);
    for (const p of s.objects.pods!) p.status!.containerStatuses![0]!.restartCount = restarts;
    const leak = (m: number) =>
      `{"time":"${minutesAgo(m)}","level":"warn","msg":"Connection leak detection triggered for org.postgresql.jdbc.PgConnection@0f2fcdd8 on thread exec-101","error":"java.lang.Exception: Apparent connection leak detected"}`;
    s.logs = s.logs!.map((l) => ({ ...l, lines: [leak(29), leak(25), ...l.lines] }));
    return s;
  }

  it("rolls back a revision whose code the runtime's leak detector reports, when its pods ran nothing else", () => {
    const [finding] = analyze(leakingSinceRollout(0));
    expect(finding.cause).toContain('this began with revision 2 of Deployment api');
    expect(finding.suggestion?.action).toEqual({
      type: 'RollbackDeployment',
      namespace: NS,
      name: 'api',
      toRevision: 1,
    });
  });

  it('does not blame the revision for a leak once its pods have restarted (the count was reset)', () => {
    const [finding] = analyze(leakingSinceRollout(1));
    expect(finding.suggestion).toBeUndefined();
  });

  it('leaves a rollout alone when the errors began long after it', () => {
    const s = rolledOut(20);
    // The same log, but revision 2 rolled out three hours before the errors.
    s.objects.replicaSets![0].metadata.creationTimestamp = minutesAgo(200);
    const [finding] = analyze(s);
    expect(finding.cause).not.toContain('began with revision');
    expect(finding.suggestion).toBeUndefined();
  });
});

describe('app-logs analyzer: credentials rotated under running pods', () => {
  const minutesAgo = (m: number) => new Date(Date.parse(NOW) - m * 60_000).toISOString();
  const rejected =
    'org.postgresql.util.PSQLException: FATAL: password authentication failed for user \\"orders_app\\"';
  /** A pod started `startedMinutesAgo`, serving for a while, then rejected by its database. */
  function rotated(startedMinutesAgo: number) {
    const lines = Array.from({ length: 60 }, (_, k) => {
      const m = 59 - k;
      return m > 25
        ? `{"time":"${minutesAgo(m)}","level":"info","msg":"GET /v1/orders/${k} 200"}`
        : `{"time":"${minutesAgo(m)}","level":"error","msg":"request failed","error":"${rejected}"}`;
    });
    const app = container('app', {
      env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'orders-db', key: 'password' } } }],
    });
    const w = workload('api', [
      (owner, labels) =>
        pod('api-5d4f8c7b9-0', {
          owner,
          labels,
          containers: [app],
          statuses: [
            {
              name: 'app',
              ready: true,
              started: true,
              restartCount: 0,
              state: { running: { startedAt: minutesAgo(startedMinutesAgo) } },
            },
          ],
        }),
    ]);
    w.deployment.spec.template.spec.containers = [app];
    return snapshot(
      { deployments: [w.deployment], replicaSets: [w.replicaSet], pods: w.pods },
      { logs: [log('api-5d4f8c7b9-0', 'app', lines)] },
    );
  }

  it('restarts a workload whose pods authenticated for days before their credentials were rejected', () => {
    const [finding] = analyze(rotated(6 * 24 * 60));
    expect(finding.cause).toContain('it holds Secret shop/orders-db as it was at its start');
    expect(finding.suggestion?.action).toEqual({
      type: 'RolloutRestart',
      namespace: NS,
      name: 'api',
      kind: 'Deployment',
    });
  });

  it('restarts a workload whose Secret was written after its pods started, even when the log shows only rejections', () => {
    const s = rotated(3 * 24 * 60);
    s.logs = s.logs!.map((l) => ({ ...l, lines: l.lines.filter((line) => line.includes('"error"')) }));
    s.objects.secrets = [
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'orders-db', namespace: NS, creationTimestamp: minutesAgo(7 * 60) },
      },
    ];
    const [finding] = analyze(s);
    expect(finding.cause).toContain(
      'Secret shop/orders-db was written 7h ago, after container app started 3d ago',
    );
    expect(finding.suggestion?.action.type).toBe('RolloutRestart');
  });

  it("proposes no restart when the credentials were rejected from the pod's start", () => {
    const [finding] = analyze(rotated(62));
    expect(finding?.suggestion?.action.type).not.toBe('RolloutRestart');
  });
});
