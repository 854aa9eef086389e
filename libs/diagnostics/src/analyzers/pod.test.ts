import { type Pod } from '../snapshot';
import crashloop from '../__fixtures__/pod-crashloop.json';
import healthy from '../__fixtures__/pod-healthy.json';
import {
  NS,
  ago,
  container,
  crashLooping,
  deployment,
  endpoints,
  event,
  log,
  node,
  pod,
  replicaSet,
  running,
  service,
  snapshot,
  template,
  waiting,
  workload,
} from '../__fixtures__/build';
import { podAnalyzer } from './pod';

const analyze = (s: ReturnType<typeof snapshot>) => podAnalyzer.analyze(s);

describe('pod analyzer', () => {
  it('names the missing env var of a crash-looping pod, quoting its previous log', () => {
    const s = snapshot(
      { pods: [crashloop as Pod] },
      {
        logs: [
          log(
            'checkout-7c9d5b8f4d-x2k9p',
            'checkout',
            [
              'starting checkout 2.4.0',
              'Error: Missing required environment variable: DATABASE_URL',
              '    at loadConfig (/app/config.js:12:11)',
            ],
            true,
          ),
        ],
      },
    );
    expect(analyze(s)).toStrictEqual([
      {
        id: 'pod:CrashLoopBackOff:shop/checkout-7c9d5b8f4d-x2k9p/checkout',
        analyzer: 'pod',
        reason: 'CrashLoopBackOff',
        object: { kind: 'Pod', name: 'checkout-7c9d5b8f4d-x2k9p', namespace: 'shop' },
        parent: { kind: 'Deployment', name: 'checkout', namespace: 'shop' },
        severity: 'critical',
        symptom:
          '1 of 1 pod(s) of Deployment shop/checkout: container checkout is CrashLoopBackOff after 7 restart(s)',
        cause:
          'container checkout exits (exit code 1) because the required environment variable DATABASE_URL is not set (the container spec does not define DATABASE_URL)',
        evidence: [
          {
            source: 'previous-log',
            excerpt: 'Error: Missing required environment variable: DATABASE_URL',
            ref: { kind: 'Pod', name: 'checkout-7c9d5b8f4d-x2k9p', namespace: 'shop' },
          },
          {
            source: 'field',
            path: 'spec.containers[0].env',
            excerpt: 'spec.containers[0].env: PORT, LOG_LEVEL',
            ref: { kind: 'Pod', name: 'checkout-7c9d5b8f4d-x2k9p', namespace: 'shop' },
          },
          {
            source: 'field',
            path: 'status.containerStatuses[checkout].lastState.terminated.exitCode',
            excerpt: 'status.containerStatuses[checkout].lastState.terminated.exitCode: 1',
            ref: { kind: 'Pod', name: 'checkout-7c9d5b8f4d-x2k9p', namespace: 'shop' },
          },
        ],
        confidence: 0.92,
        docs: 'https://kubernetes.io/docs/tasks/debug/debug-application/debug-pods/',
      },
    ]);
  });

  it('finds nothing wrong with a healthy pod with a sidecar and a completed init container', () => {
    expect(analyze(snapshot({ pods: [healthy as Pod] }))).toStrictEqual([]);
  });

  it('makes one finding for the replicas of a workload failing the same way', () => {
    const w = workload(
      'api',
      [1, 2, 3].map(
        (i) => (owner, labels) =>
          pod(`api-5d4f8c7b9-${i}`, { owner, labels, statuses: [crashLooping('app', { restarts: i })] }),
      ),
    );
    const findings = analyze(
      snapshot({ deployments: [w.deployment], replicaSets: [w.replicaSet], pods: w.pods }),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      object: { name: 'api-5d4f8c7b9-3' },
      parent: { kind: 'Deployment', name: 'api' },
      severity: 'critical',
    });
    expect(findings[0].symptom).toBe(
      '3 of 3 pod(s) of Deployment shop/api: container app is CrashLoopBackOff after 3 restart(s)',
    );
    expect(findings[0].cause).toBe(
      'container app exits (exit code 1), which signals an application error (no logs were available)',
    );
  });

  it('compares an OOM kill with the limit and the observed peak', () => {
    const p = pod('cache-0', {
      owner: { kind: 'StatefulSet', name: 'cache' },
      statuses: [crashLooping('app', { exitCode: 137, reason: 'OOMKilled', restarts: 9 })],
    });
    const s = snapshot(
      { pods: [p] },
      {
        metrics: [
          {
            metric: {
              __name__: 'container_memory_working_set_bytes',
              namespace: NS,
              pod: 'cache-0',
              container: 'app',
            },
            values: [
              [1, '100000000'],
              [2, '267000000'],
            ],
          },
        ],
      },
    );
    const [f] = analyze(s);
    expect(f.reason).toBe('OOMKilled');
    expect(f.parent).toEqual({ kind: 'StatefulSet', name: 'cache', namespace: NS });
    expect(f.cause).toBe(
      'container app is killed for exceeding its memory limit of 256Mi (OOMKilled, exit code 137, 9 restarts); observed use reached 254.63Mi (99% of the limit)',
    );
  });

  it('proposes the image the previous revision ran when a tag does not exist', () => {
    const labels = { app: 'catalog' };
    const old = template(labels, [container('catalog', { image: 'r.io/shop/catalog:v3.11.4' })]);
    const bad = template(labels, [container('catalog', { image: 'r.io/shop/catalog:3.12.1' })]);
    const p = pod('catalog-new-1', {
      labels: { ...labels, 'pod-template-hash': 'new' },
      owner: { kind: 'ReplicaSet', name: 'catalog-new' },
      containers: bad.spec.containers,
      statuses: [waiting('catalog', 'ImagePullBackOff', 'Back-off pulling image "r.io/shop/catalog:3.12.1"')],
    });
    const s = snapshot({
      deployments: [deployment('catalog', { labels, template: bad, replicas: 2, ready: 2 })],
      replicaSets: [
        replicaSet('catalog-old', {
          deployment: 'catalog',
          revision: 7,
          template: old,
          ready: 2,
          hash: 'old',
        }),
        replicaSet('catalog-new', {
          deployment: 'catalog',
          revision: 8,
          template: bad,
          replicas: 1,
          ready: 0,
          hash: 'new',
          createdMinutesAgo: 20,
        }),
      ],
      pods: [p],
      events: [
        event(
          { kind: 'Pod', name: 'catalog-new-1' },
          'Failed',
          'Failed to pull image "r.io/shop/catalog:3.12.1": rpc error: code = NotFound desc = failed to resolve reference "r.io/shop/catalog:3.12.1": not found',
        ),
      ],
    });
    const [f] = analyze(s);
    expect(f.reason).toBe('ImagePullBackOff');
    expect(
      f.cause.startsWith(
        'image r.io/shop/catalog:3.12.1 does not exist: the registry has no tag 3.12.1 of r.io/shop/catalog; the previous revision ran r.io/shop/catalog:v3.11.4',
      ),
    ).toBe(true);
    expect(f.suggestion).toEqual({
      action: {
        type: 'PatchDeploymentImage',
        namespace: NS,
        name: 'catalog',
        container: 'catalog',
        image: 'r.io/shop/catalog:v3.11.4',
      },
      summary:
        'Set container catalog of Deployment shop/catalog to r.io/shop/catalog:v3.11.4: r.io/shop/catalog:3.12.1 does not exist; r.io/shop/catalog:v3.11.4 does',
      expectedEffect: 'The kubelet pulls r.io/shop/catalog:v3.11.4, which exists, and the new pods start.',
      risk: 'low',
      rollback: {
        description: 'Set container catalog back to r.io/shop/catalog:3.12.1.',
        action: {
          type: 'PatchDeploymentImage',
          namespace: NS,
          name: 'catalog',
          container: 'catalog',
          image: 'r.io/shop/catalog:3.12.1',
        },
      },
    });
  });

  it('files a missing Secret as its own finding and points the pod finding at it', () => {
    const w = workload('gateway', [
      (owner, labels) =>
        pod('gateway-5d4f8c7b9-a', {
          owner,
          labels,
          statuses: [waiting('app', 'CreateContainerConfigError', 'secret "api-keys" not found')],
        }),
    ]);
    const findings = analyze(
      snapshot({ deployments: [w.deployment], replicaSets: [w.replicaSet], pods: w.pods }),
    );
    expect(findings.map((f) => f.id)).toEqual([
      'pod:SecretNotFound:shop/api-keys',
      'pod:CreateContainerConfigError:shop/gateway-5d4f8c7b9-a/app',
    ]);
    expect(findings[0]).toMatchObject({
      object: { kind: 'Secret', name: 'api-keys', namespace: NS },
      cause: 'Secret shop/api-keys does not exist',
    });
    expect(findings[1].evidence).toContainEqual({
      source: 'analysis',
      excerpt: 'Secret shop/api-keys does not exist',
      ref: { kind: 'Secret', name: 'api-keys', namespace: NS },
    });
  });

  it('explains an unschedulable pod with node arithmetic', () => {
    const p = pod('batch-1', {
      phase: 'Pending',
      nodeName: '',
      containers: [container('batch', { resources: { requests: { cpu: '6' } } })],
      statuses: [],
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: '0/1 nodes are available: 1 Insufficient cpu.',
        },
      ],
    });
    const [f] = analyze(snapshot({ pods: [p], nodes: [node('node-a')] }));
    expect(f).toMatchObject({ reason: 'Unschedulable', severity: 'high' });
    expect(f.cause).toBe(
      'the scheduler finds no node: the pod requests 6 cpu, but the most any node has unreserved is 4 (node-a: 0 of 4 allocatable already requested)',
    );
  });

  it('traces a readiness failure to the dependency it cannot reach', () => {
    const api = pod('api-1', {
      labels: { app: 'api' },
      owner: { kind: 'ReplicaSet', name: 'api-abc' },
      containers: [container('app', { readinessProbe: { httpGet: { path: '/ready', port: 8080 } } })],
      statuses: [running('app', { ready: false })],
    });
    const db = pod('db-0', {
      labels: { app: 'db' },
      owner: { kind: 'StatefulSet', name: 'db' },
      statuses: [crashLooping('app')],
    });
    const s = snapshot(
      {
        pods: [api, db],
        services: [service('db', { clusterIP: '10.96.0.7', ports: [{ port: 5432 }] })],
        endpoints: [endpoints('db', { notReady: ['db-0'] })],
        events: [
          event(
            { kind: 'Pod', name: 'api-1', fieldPath: 'spec.containers{app}' },
            'Unhealthy',
            'Readiness probe failed: HTTP probe failed with statuscode: 503',
            { count: 40 },
          ),
        ],
      },
      { logs: [log('api-1', 'app', ['dial tcp 10.96.0.7:5432: connect: connection refused'])] },
    );
    const apiFinding = analyze(s).find((f) => f.object.name === 'api-1')!;
    expect(apiFinding.reason).toBe('ReadinessProbeFailing');
    expect(apiFinding.cause).toBe(
      'the readiness probe fails: the application answers the probe (/ready) with HTTP 503: it reports itself unhealthy, because connections to 10.96.0.7:5432 are refused: Service shop/db has no ready endpoints: its pods are 1 CrashLoopBackOff',
    );
    expect(apiFinding.evidence).toContainEqual({
      source: 'analysis',
      excerpt: 'Service shop/db has 0 ready endpoints; pods of StatefulSet shop/db: 1 CrashLoopBackOff',
      ref: { kind: 'StatefulSet', name: 'db', namespace: NS },
    });
  });

  it('reports a failing init container by name, and a liveness probe on the wrong port', () => {
    const init = pod('web-1', {
      initContainers: [container('migrate')],
      initStatuses: [crashLooping('migrate', { restarts: 2 })],
      statuses: [waiting('app', 'PodInitializing')],
      phase: 'Pending',
    });
    const probed = container('img', {
      ports: [{ name: 'http', containerPort: 8080 }],
      livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
    });
    const live = pod('img-1', { containers: [probed], statuses: [crashLooping('img', { exitCode: 137 })] });
    const s = snapshot(
      {
        pods: [init, live],
        events: [
          event(
            { kind: 'Pod', name: 'img-1' },
            'Unhealthy',
            'Liveness probe failed: Get "http://10.0.0.10:8080/healthz": dial tcp 10.0.0.10:8080: connect: connection refused',
          ),
        ],
      },
      { logs: [log('img-1', 'img', ['level=INFO msg="http server listening" addr=:8081'])] },
    );
    expect(analyze(s).map((f) => [f.id, f.cause])).toEqual([
      [
        'pod:CrashLoopBackOff:shop/web-1/migrate',
        'container migrate exits (exit code 1), which signals an application error (no logs were available)',
      ],
      [
        'pod:LivenessProbeFailing:shop/img-1/img',
        'the kubelet restarts container img because its liveness probe fails: the probe checks port 8080 but the process listens on port 8081',
      ],
    ]);
  });

  it.each([
    ['no status at all', { ...pod('bare'), status: undefined }],
    [
      'a succeeded pod',
      pod('done', {
        phase: 'Succeeded',
        statuses: [
          {
            name: 'app',
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 0, reason: 'Completed' } },
          },
        ],
      }),
    ],
    [
      'a container still warming up',
      pod('warm', {
        statuses: [running('app', { ready: false, state: { running: { startedAt: ago(0.2) } } })],
      }),
    ],
  ])('stays quiet for %s', (_name, p) => {
    expect(analyze(snapshot({ pods: [p as Pod] }))).toStrictEqual([]);
  });

  it('reports evictions at low severity, blaming the node', () => {
    const p = pod('evicted', {
      phase: 'Failed',
      status: { reason: 'Evicted', message: 'The node was low on resource: memory.' },
      statuses: [],
    });
    const [f] = analyze(snapshot({ pods: [p] }));
    expect(f).toMatchObject({
      reason: 'Evicted',
      severity: 'low',
      cause: 'The node was low on resource: memory.',
    });
    expect(f.evidence).toContainEqual({
      source: 'analysis',
      excerpt: 'the fault lies with Node node-a',
      ref: { kind: 'Node', name: 'node-a' },
    });
  });

  it('attributes a failed Job pod to its Job with the decisive database error', () => {
    const p = pod('migrate-abc', {
      owner: { kind: 'Job', name: 'migrate' },
      spec: { restartPolicy: 'Never' },
      containers: [container('migrate')],
      statuses: [
        {
          name: 'migrate',
          ready: false,
          restartCount: 0,
          state: { terminated: { exitCode: 1, reason: 'Error' } },
        },
      ],
      phase: 'Failed',
    });
    const s = snapshot(
      { pods: [p] },
      {
        logs: [
          log('migrate-abc', 'migrate', [
            'psycopg2.errors.UniqueViolation: could not create unique index "uq_items_sku"',
            'DETAIL:  Key (sku)=(A-1) is duplicated.',
          ]),
        ],
      },
    );
    const [f] = analyze(s);
    expect(f).toMatchObject({
      reason: 'ContainerFailed',
      parent: { kind: 'Job', name: 'migrate', namespace: NS },
    });
    expect(f.cause).toBe(
      'container migrate exits (exit code 1) because the database rejects its statement: a unique constraint (uq_items_sku) is violated by duplicate rows',
    );
  });
});

describe('pod analyzer, missing files', () => {
  it('traces a missing file to the volume it should come from', () => {
    const c = container('gate', { volumeMounts: [{ name: 'tls', mountPath: '/certs' }] });
    const p = pod('gate-1', {
      containers: [c],
      statuses: [crashLooping('gate')],
      spec: { volumes: [{ name: 'tls', secret: { secretName: 'gate-tls', optional: true } }] },
    });
    const s = snapshot(
      { pods: [p] },
      {
        logs: [
          log(
            'gate-1',
            'gate',
            [
              '{"level":"fatal","msg":"loading serving certificate","error":"open /certs/tls.crt: no such file or directory"}',
            ],
            true,
          ),
        ],
      },
    );
    expect(analyze(s)[0].cause).toBe(
      'container gate exits (exit code 1) because a file it needs does not exist: /certs/tls.crt; /certs is mounted from Secret shop/gate-tls (optional, so the pod starts without it when it is missing), which does not provide tls.crt',
    );
  });
});

describe('pod analyzer, config edits', () => {
  it('names a ConfigMap edited just before the crashes began', () => {
    const c = container('app', { envFrom: [{ configMapRef: { name: 'app-config' } }] });
    const w = workload('api', [
      (owner, labels) =>
        pod('api-5d4f8c7b9-a', { owner, labels, containers: [c], statuses: [crashLooping('app')] }),
    ]);
    w.deployment.spec.template.spec.containers = [c];
    const cm = {
      metadata: {
        name: 'app-config',
        namespace: NS,
        creationTimestamp: ago(60 * 24 * 30),
        managedFields: [{ manager: 'kubectl-edit', operation: 'Update', time: ago(12) }],
      },
      data: { 'config.yaml': 'port: 8080\n  bad: [' },
    };
    const s = snapshot(
      {
        deployments: [w.deployment],
        replicaSets: [w.replicaSet],
        pods: w.pods,
        configMaps: [cm],
        events: [
          event({ kind: 'Pod', name: 'api-5d4f8c7b9-a' }, 'BackOff', 'Back-off restarting failed container', {
            firstMinutesAgo: 10,
          }),
        ],
      },
      { logs: [log('api-5d4f8c7b9-a', 'app', ['error: yaml: line 2: did not find expected key'], true)] },
    );
    expect(analyze(s)[0].cause).toBe(
      'container app exits (exit code 1) because its configuration fails to parse (syntax error); ConfigMap shop/app-config was changed 2 min before the failures began',
    );
  });
});

describe('pod analyzer, lost nodes', () => {
  it('blames the node of a pod whose state is Unknown', () => {
    const [f] = analyze(snapshot({ pods: [pod('api-1', { phase: 'Unknown', nodeName: 'node-b' })] }));
    expect(f).toMatchObject({
      reason: 'PodStatusUnknown',
      cause: 'its node node-b stopped reporting (node lost or kubelet down)',
    });
    expect(f.evidence).toContainEqual({
      source: 'analysis',
      excerpt: 'the fault lies with Node node-b',
      ref: { kind: 'Node', name: 'node-b' },
    });
  });
});

describe('pod analyzer, sandbox failures', () => {
  it('proposes deleting a pod whose sandbox cannot be created, when its controller recreates it', () => {
    const w = workload(
      'api',
      [1, 2].map(
        (i) => (owner, labels) =>
          pod(`api-5d4f8c7b9-${i}`, {
            owner,
            labels,
            ...(i === 1 ? { phase: 'Pending', statuses: [waiting('app', 'ContainerCreating')] } : {}),
          }),
      ),
    );
    const e = event(
      { kind: 'Pod', name: 'api-5d4f8c7b9-1' },
      'FailedCreatePodSandBox',
      'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox: plugin type="aws-cni" failed (add): add cmd: failed to assign an IP address to container',
      { count: 14 },
    );
    const [f] = analyze(
      snapshot({ deployments: [w.deployment], replicaSets: [w.replicaSet], pods: w.pods, events: [e] }),
    );
    expect(f.reason).toBe('FailedCreatePodSandBox');
    expect(f.suggestion).toMatchObject({
      action: { type: 'DeletePod', namespace: NS, name: 'api-5d4f8c7b9-1' },
      risk: 'low',
    });
  });
});

describe('pod analyzer, crash logs no class names', () => {
  const crashing = (lines: string[]) =>
    analyze(
      snapshot(
        { pods: [pod('worker-1', { statuses: [crashLooping('app', { exitCode: 3 })] })] },
        { logs: [log('worker-1', 'app', lines, true)] },
      ),
    )[0];

  it("quotes the log's own last error instead of stopping at the exit code", () => {
    const f = crashing([
      '2025-10-21 09:57:58,100 INFO starting ledger sync',
      '2025-10-21 09:57:59,200 ERROR ledger sync aborted: checksum mismatch in segment 0042',
    ]);
    expect(f.cause).toBe(
      'container app exits (exit code 3); its last error in the log: "2025-10-21 09:57:59,200 ERROR ledger sync aborted: checksum mismatch in segment 0042" x1 at 09:57:59 UTC',
    );
    expect(f.evidence).toContainEqual({
      source: 'previous-log',
      excerpt: '2025-10-21 09:57:59,200 ERROR ledger sync aborted: checksum mismatch in segment 0042',
      ref: { kind: 'Pod', name: 'worker-1', namespace: NS },
    });
  });

  it('says a crashing container wrote nothing when its previous log is empty', () => {
    expect(crashing([]).cause).toBe(
      'container app exits (exit code 3) and wrote nothing to its log before exiting',
    );
  });
});
