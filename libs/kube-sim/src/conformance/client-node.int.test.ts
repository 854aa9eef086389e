// Conformance: the real @kubernetes/client-node 1.4 against kube-sim over HTTP. CRUD, selectors,
// pagination, patch kinds, subresources, errors as ApiException with Status bodies, watch and the
// informer's relist after a 410, custom resources, logs, metrics, RBAC.
import * as k8s from '@kubernetes/client-node';
import { startKubeSim, type KubeSim } from '../index';
import { CRASHLOOP_SCENARIO, Collector, kubeConfig } from '../testing/client';

const TOKENS = [
  { token: 'admin-token-0001', user: 'alice', groups: ['system:masters'] },
  { token: 'reader-token-0002', user: 'system:serviceaccount:foxhound:reader', groups: [] },
];

let sim: KubeSim;
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;
let apps: k8s.AppsV1Api;
let custom: k8s.CustomObjectsApi;

beforeAll(async () => {
  sim = await startKubeSim({
    tokens: TOKENS,
    authorization: 'rbac',
    scenarios: [CRASHLOOP_SCENARIO],
    bookmarkIntervalMs: 50,
  });
  kc = kubeConfig(sim, { user: 'alice' });
  core = kc.makeApiClient(k8s.CoreV1Api);
  apps = kc.makeApiClient(k8s.AppsV1Api);
  custom = kc.makeApiClient(k8s.CustomObjectsApi);
  await core.createNamespace({ body: { metadata: { name: 'conf' } } });
});
afterAll(() => sim.close());

async function apiError(p: Promise<unknown>): Promise<{ code: number; body: Record<string, unknown> }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof k8s.ApiException) {
      return {
        code: err.code,
        body: typeof err.body === 'string' ? JSON.parse(err.body) : (err.body as Record<string, unknown>),
      };
    }
    throw err;
  }
  throw new Error('expected the request to fail');
}

const deployment = (name: string): k8s.V1Deployment => ({
  metadata: { name, labels: { app: name } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        containers: [
          { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }] },
          { name: 'proxy', image: 'proxy:1' },
        ],
      },
    },
  },
});

describe('discovery', () => {
  it('reports the version and the API groups', async () => {
    const version = await kc.makeApiClient(k8s.VersionApi).getCode();
    expect(version.gitVersion).toBe('v1.32.0');
    const groups = await kc.makeApiClient(k8s.ApisApi).getAPIVersions();
    expect(groups.groups.map((g) => g.name)).toEqual(
      expect.arrayContaining(['apps', 'agents.x-k8s.io', 'extensions.agents.x-k8s.io', 'metrics.k8s.io']),
    );
  });
});

describe('CRUD', () => {
  it('creates, reads, replaces with optimistic concurrency, and deletes a deployment', async () => {
    const created = await apps.createNamespacedDeployment({ namespace: 'conf', body: deployment('web') });
    expect(created.metadata?.uid).toBeDefined();
    expect(created.spec?.strategy?.type).toBe('RollingUpdate');
    const read = await apps.readNamespacedDeployment({ namespace: 'conf', name: 'web' });
    read.spec!.replicas = 2;
    const replaced = await apps.replaceNamespacedDeployment({ namespace: 'conf', name: 'web', body: read });
    expect(replaced.metadata?.generation).toBe(2);
    const stale = await apiError(
      apps.replaceNamespacedDeployment({ namespace: 'conf', name: 'web', body: read }),
    );
    expect(stale).toEqual({
      code: 409,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
        reason: 'Conflict',
        details: { name: 'web', group: 'apps', kind: 'deployments' },
        code: 409,
      },
    });
    await apps.deleteNamespacedDeployment({ namespace: 'conf', name: 'web' });
    expect(
      (await apiError(apps.readNamespacedDeployment({ namespace: 'conf', name: 'web' }))).body,
    ).toMatchObject({
      reason: 'NotFound',
      message: 'deployments.apps "web" not found',
      code: 404,
    });
  });

  it.each([
    [
      '409 AlreadyExists',
      async () => {
        await core.createNamespacedConfigMap({ namespace: 'conf', body: { metadata: { name: 'dup' } } });
        return core.createNamespacedConfigMap({ namespace: 'conf', body: { metadata: { name: 'dup' } } });
      },
      409,
      'AlreadyExists',
      'configmaps "dup" already exists',
    ],
    [
      '422 Invalid name',
      () => core.createNamespacedConfigMap({ namespace: 'conf', body: { metadata: { name: 'No_Good' } } }),
      422,
      'Invalid',
      'ConfigMap "No_Good" is invalid',
    ],
    [
      '404 missing namespace',
      () => core.createNamespacedConfigMap({ namespace: 'nowhere', body: { metadata: { name: 'x' } } }),
      404,
      'NotFound',
      'namespaces "nowhere" not found',
    ],
  ])('%s', async (_name, call, code, reason, message) => {
    const err = await apiError(call());
    expect(err.code).toBe(code);
    expect(err.body.reason).toBe(reason);
    expect(String(err.body.message)).toContain(message);
  });

  it('dryRun=All answers like a create and stores nothing', async () => {
    const dry = await core.createNamespacedConfigMap({
      namespace: 'conf',
      body: { metadata: { name: 'dry' } },
      dryRun: 'All',
    });
    expect(dry.metadata?.name).toBe('dry');
    expect((await apiError(core.readNamespacedConfigMap({ namespace: 'conf', name: 'dry' }))).code).toBe(404);
  });
});

describe('list', () => {
  beforeAll(async () => {
    for (const [name, tier] of [
      ['a', 'web'],
      ['b', 'web'],
      ['c', 'db'],
      ['d', 'cache'],
      ['e', ''],
    ]) {
      const labels: Record<string, string> = { set: 'list' };
      if (tier) labels.tier = tier;
      await core.createNamespacedConfigMap({
        namespace: 'conf',
        body: { metadata: { name: `list-${name}`, labels } },
      });
    }
  });

  it.each([
    ['tier=web', ['list-a', 'list-b']],
    ['tier!=web,set=list', ['list-c', 'list-d', 'list-e']],
    ['tier in (db,cache)', ['list-c', 'list-d']],
    ['tier notin (web),set=list', ['list-c', 'list-d', 'list-e']],
    ['set=list,!tier', ['list-e']],
    ['tier', ['list-a', 'list-b', 'list-c', 'list-d']],
  ])('labelSelector %s', async (labelSelector, expected) => {
    const list = await core.listNamespacedConfigMap({ namespace: 'conf', labelSelector });
    expect(list.items.map((i) => i.metadata?.name)).toEqual(expected);
  });

  it('fieldSelector on status.phase and metadata.name across namespaces', async () => {
    const running = await core.listPodForAllNamespaces({ fieldSelector: 'status.phase=Running' });
    expect(running.items.map((p) => p.metadata?.name)).toEqual(['checkout-7d9f8b6c5-x2x9q']);
    const byName = await core.listNamespacedConfigMap({
      namespace: 'conf',
      fieldSelector: 'metadata.name=list-c',
    });
    expect(byName.items.map((p) => p.metadata?.name)).toEqual(['list-c']);
  });

  it('pages with limit and continue', async () => {
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await core.listNamespacedConfigMap({
        namespace: 'conf',
        labelSelector: 'set=list',
        limit: 2,
        _continue: token,
      });
      names.push(...page.items.map((i) => i.metadata!.name!));
      token = page.metadata?._continue;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(names).toEqual(['list-a', 'list-b', 'list-c', 'list-d', 'list-e']);
  });

  it('events of a pod by involvedObject field selectors, as kubectl describe asks', async () => {
    const events = await core.listNamespacedEvent({
      namespace: 'shop',
      fieldSelector:
        'involvedObject.name=checkout-7d9f8b6c5-x2x9q,involvedObject.namespace=shop,involvedObject.kind=Pod',
    });
    expect(events.items.map((e) => e.reason)).toEqual(['BackOff']);
  });
});

describe('patch', () => {
  beforeAll(() => apps.createNamespacedDeployment({ namespace: 'conf', body: deployment('patched') }));
  const read = () => apps.readNamespacedDeployment({ namespace: 'conf', name: 'patched' });

  it('JSON patch (client-node default)', async () => {
    await apps.patchNamespacedDeployment({
      namespace: 'conf',
      name: 'patched',
      body: [{ op: 'replace', path: '/spec/replicas', value: 3 }],
    });
    expect((await read()).spec?.replicas).toBe(3);
  });

  it('JSON merge patch', async () => {
    await apps.patchNamespacedDeployment(
      { namespace: 'conf', name: 'patched', body: { metadata: { labels: { merged: 'yes' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect((await read()).metadata?.labels).toEqual({ app: 'patched', merged: 'yes' });
  });

  it('strategic merge patch merges the container list by name', async () => {
    await apps.patchNamespacedDeployment(
      {
        namespace: 'conf',
        name: 'patched',
        body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'app:2' }] } } } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    const containers = (await read()).spec?.template.spec?.containers ?? [];
    expect(containers.map((c) => `${c.name}=${c.image}`)).toEqual(['app=app:2', 'proxy=proxy:1']);
    expect(containers[0].env).toEqual([{ name: 'A', value: '1' }]);
  });

  it('server-side apply creates a missing object and updates an existing one', async () => {
    const body = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'applied', namespace: 'conf' },
      data: { k: '1' },
    };
    const opts = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.ServerSideApply);
    await core.patchNamespacedConfigMap(
      { namespace: 'conf', name: 'applied', body, fieldManager: 'test' },
      opts,
    );
    await core.patchNamespacedConfigMap(
      { namespace: 'conf', name: 'applied', body: { ...body, data: { k: '2' } }, fieldManager: 'test' },
      opts,
    );
    expect((await core.readNamespacedConfigMap({ namespace: 'conf', name: 'applied' })).data).toEqual({
      k: '2',
    });
  });

  it('415 for a strategic merge patch on a custom resource', async () => {
    const err = await apiError(
      custom.patchNamespacedCustomObject(
        {
          group: 'agents.x-k8s.io',
          version: 'v1beta1',
          namespace: 'conf',
          plural: 'sandboxes',
          name: 'none',
          body: {},
        },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
      ),
    );
    expect(err.code).toBe(404);
    await custom.createNamespacedCustomObject({
      group: 'agents.x-k8s.io',
      version: 'v1beta1',
      namespace: 'conf',
      plural: 'sandboxes',
      body: {
        apiVersion: 'agents.x-k8s.io/v1beta1',
        kind: 'Sandbox',
        metadata: { name: 'sb' },
        spec: { podTemplate: { spec: { containers: [] } } },
      },
    });
    const unsupported = await apiError(
      custom.patchNamespacedCustomObject(
        {
          group: 'agents.x-k8s.io',
          version: 'v1beta1',
          namespace: 'conf',
          plural: 'sandboxes',
          name: 'sb',
          body: { spec: {} },
        },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
      ),
    );
    expect(unsupported.code).toBe(415);
    expect(unsupported.body.reason).toBe('UnsupportedMediaType');
  });
});

describe('subresources', () => {
  it('status: the main resource ignores status, /status writes it', async () => {
    await core.createNamespacedPod({
      namespace: 'conf',
      body: { metadata: { name: 'st' }, spec: { containers: [{ name: 'c', image: 'c' }] } },
    });
    const pod = await core.readNamespacedPod({ namespace: 'conf', name: 'st' });
    pod.status = { phase: 'Running', podIP: '10.0.0.9' };
    expect(
      (await core.replaceNamespacedPod({ namespace: 'conf', name: 'st', body: pod })).status?.phase,
    ).toBe('Pending');
    const fresh = await core.readNamespacedPod({ namespace: 'conf', name: 'st' });
    fresh.status = { phase: 'Running', podIP: '10.0.0.9' };
    const written = await core.replaceNamespacedPodStatus({ namespace: 'conf', name: 'st', body: fresh });
    expect(written.status?.podIP).toBe('10.0.0.9');
  });

  it('scale: read and patch the replica count', async () => {
    await apps.createNamespacedDeployment({ namespace: 'conf', body: deployment('scaled') });
    const scale = await apps.readNamespacedDeploymentScale({ namespace: 'conf', name: 'scaled' });
    expect(scale.spec?.replicas).toBe(1);
    expect(scale.status?.selector).toBe('app=scaled');
    await apps.patchNamespacedDeploymentScale(
      { namespace: 'conf', name: 'scaled', body: { spec: { replicas: 4 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect((await apps.readNamespacedDeployment({ namespace: 'conf', name: 'scaled' })).spec?.replicas).toBe(
      4,
    );
  });
});

describe('pod logs', () => {
  const pod = { namespace: 'shop', name: 'checkout-7d9f8b6c5-x2x9q' };

  it('reads the previous container log with tailLines', async () => {
    const log = await core.readNamespacedPodLog({ ...pod, container: 'app', previous: true, tailLines: 1 });
    expect(log).toBe('FATAL: DATABASE_URL is not set\n');
  });

  it('reads the current log with timestamps', async () => {
    const log = await core.readNamespacedPodLog({ ...pod, timestamps: true });
    expect(log.split('\n')[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z starting checkout 2\.4\.1$/);
  });

  it('400 for a container the pod does not have', async () => {
    const err = await apiError(core.readNamespacedPodLog({ ...pod, container: 'nope' }));
    expect(err).toMatchObject({
      code: 400,
      body: { message: 'container nope is not valid for pod checkout-7d9f8b6c5-x2x9q' },
    });
  });
});

describe('watch', () => {
  it('streams ADDED, MODIFIED and DELETED from a resourceVersion, with bookmarks', async () => {
    const list = await core.listNamespacedConfigMap({ namespace: 'conf' });
    const events = new Collector<{ type: string; name: string }>();
    const req = await new k8s.Watch(kc).watch(
      '/api/v1/namespaces/conf/configmaps',
      { resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true },
      (type, obj) => events.push({ type, name: obj.metadata?.name ?? '' }),
      () => undefined,
    );
    try {
      await core.createNamespacedConfigMap({ namespace: 'conf', body: { metadata: { name: 'watched' } } });
      await core.patchNamespacedConfigMap(
        { namespace: 'conf', name: 'watched', body: { data: { a: '1' } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      await core.deleteNamespacedConfigMap({ namespace: 'conf', name: 'watched' });
      const seen = await events.until(
        (e) => e.some((x) => x.type === 'DELETED') && e.some((x) => x.type === 'BOOKMARK'),
      );
      expect(seen.filter((e) => e.type !== 'BOOKMARK')).toEqual([
        { type: 'ADDED', name: 'watched' },
        { type: 'MODIFIED', name: 'watched' },
        { type: 'DELETED', name: 'watched' },
      ]);
    } finally {
      req.abort();
    }
  });

  it('watches a custom resource by name, as the sandbox-manager does for a claim', async () => {
    const group = 'extensions.agents.x-k8s.io';
    const claim = (await custom.createNamespacedCustomObject({
      group,
      version: 'v1beta1',
      namespace: 'conf',
      plural: 'sandboxclaims',
      body: {
        apiVersion: `${group}/v1beta1`,
        kind: 'SandboxClaim',
        metadata: { name: 'claim-1' },
        spec: { warmPoolRef: { name: 'pool' } },
      },
    })) as k8s.KubernetesObject;
    const events = new Collector<{ type: string; obj: { status?: { sandbox?: { name?: string } } } }>();
    const req = await new k8s.Watch(kc).watch(
      `/apis/${group}/v1beta1/namespaces/conf/sandboxclaims`,
      { fieldSelector: 'metadata.name=claim-1', resourceVersion: claim.metadata?.resourceVersion },
      (type, obj) => events.push({ type, obj }),
      () => undefined,
    );
    try {
      sim.store.update(
        `sandboxclaims.${group}`,
        {
          ...sim.store.get(`sandboxclaims.${group}`, 'conf', 'claim-1'),
          status: { sandbox: { name: 'pool-abcde' } },
        },
        { subresource: 'status' },
      );
      const seen = await events.until((e) => e.length > 0);
      expect(seen[0]).toMatchObject({
        type: 'MODIFIED',
        obj: { status: { sandbox: { name: 'pool-abcde' } } },
      });
    } finally {
      req.abort();
    }
  });

  it('an informer relists after its watch is cut and the version has expired (410)', async () => {
    const path = '/api/v1/namespaces/conf/secrets';
    const informer = k8s.makeInformer(kc, path, () => core.listNamespacedSecret({ namespace: 'conf' }));
    const added = new Collector<string>();
    const connects = new Collector<number>();
    informer.on('add', (o) => added.push(o.metadata!.name!));
    informer.on('connect', () => connects.push(1));
    informer.on('error', () => undefined);
    await informer.start();
    try {
      await core.createNamespacedSecret({ namespace: 'conf', body: { metadata: { name: 'before' } } });
      await added.until((a) => a.includes('before'));
      // Another resource moves the cluster version on; compaction then expires the informer's
      // version, and cutting the watch makes it resume from there: 410, relist, watch again.
      await core.createNamespacedConfigMap({ namespace: 'conf', body: { metadata: { name: 'bump' } } });
      sim.store.compact();
      sim.disconnectWatches();
      await connects.until((c) => c.length >= 3);
      await core.createNamespacedSecret({ namespace: 'conf', body: { metadata: { name: 'after' } } });
      await added.until((a) => a.includes('after'));
      expect(
        informer
          .list('conf')
          .map((s) => s.metadata?.name)
          .sort(),
      ).toEqual(['after', 'before']);
    } finally {
      await informer.stop();
    }
  });
});

describe('metrics.k8s.io', () => {
  it('serves PodMetrics loaded from the scenario', async () => {
    const metrics = await new k8s.Metrics(kc).getPodMetrics('shop');
    expect(metrics.items.map((m) => [m.metadata.name, m.containers[0].usage.memory])).toEqual([
      ['checkout-7d9f8b6c5-x2x9q', '31Mi'],
    ]);
  });
});

describe('authentication and RBAC', () => {
  it('401 for an unknown token', async () => {
    const stranger = kubeConfig(sim, { token: 'not-a-known-token' }).makeApiClient(k8s.CoreV1Api);
    const err = await apiError(stranger.listNamespacedPod({ namespace: 'shop' }));
    expect(err.code).toBe(401);
  });

  it('403 with the real message until a RoleBinding grants read access', async () => {
    const reader = kubeConfig(sim, { user: 'system:serviceaccount:foxhound:reader' }).makeApiClient(
      k8s.CoreV1Api,
    );
    const denied = await apiError(reader.listNamespacedPod({ namespace: 'shop' }));
    expect(denied.code).toBe(403);
    expect(denied.body).toMatchObject({
      reason: 'Forbidden',
      message:
        'pods is forbidden: User "system:serviceaccount:foxhound:reader" cannot list resource "pods" in API group "" in the namespace "shop"',
      details: { kind: 'pods' },
    });
    const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
    await rbac.createClusterRole({
      body: {
        metadata: { name: 'pod-reader' },
        rules: [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] }],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: 'shop',
      body: {
        metadata: { name: 'reader' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'pod-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: 'foxhound' }],
      },
    });
    expect((await reader.listNamespacedPod({ namespace: 'shop' })).items).toHaveLength(1);
    expect(
      await reader.readNamespacedPodLog({
        namespace: 'shop',
        name: 'checkout-7d9f8b6c5-x2x9q',
        previous: true,
        tailLines: 1,
      }),
    ).toContain('DATABASE_URL');
    const deleteDenied = await apiError(
      reader.deleteNamespacedPod({ namespace: 'shop', name: 'checkout-7d9f8b6c5-x2x9q' }),
    );
    expect(deleteDenied.body.message).toBe(
      'pods "checkout-7d9f8b6c5-x2x9q" is forbidden: User "system:serviceaccount:foxhound:reader" cannot delete resource "pods" in API group "" in the namespace "shop"',
    );
    const otherNamespace = await apiError(reader.listNamespacedPod({ namespace: 'conf' }));
    expect(otherNamespace.code).toBe(403);
  });
});
