// The Kubernetes backend against kube-sim and its agent-sandbox controller: warm adoption, cold
// starts, a missing pool, a readiness deadline, the controller's expiry, a watch that must relist
// after 410, a restarted manager, two replicas racing on one thread, bare Sandboxes, and the
// least-privilege Role the chart grants.
import { Writable } from 'node:stream';
import { AgentSandboxKeys, type SandboxDescriptor, type SandboxList } from '@foxhound/contracts';
import { createLogger } from '@foxhound/service-kit';
import { type ManagerRuntime } from '../../server/server';
import { call, eventually } from '../../testing/http';
import { sandboxHealth } from '../../testing/backend-contract';
import {
  CLAIMS,
  NAMESPACE,
  POOL,
  SANDBOXES,
  kubeHarness,
  type KubeHarness,
} from '../../testing/kube-harness';

let harness: KubeHarness | undefined;
const managers: ManagerRuntime[] = [];

afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.shutdown()));
  await harness?.close();
  harness = undefined;
});

async function start(env: Record<string, string> = {}) {
  const manager = await harness!.start(env);
  managers.push(manager);
  return manager;
}

const acquire = (manager: ManagerRuntime, threadId: string, extra: Record<string, unknown> = {}) =>
  call<SandboxDescriptor>(manager.url, 'POST', '/v1/sandboxes', { body: { threadId, ...extra } });

const claims = () => harness!.sim.store.list(CLAIMS, { namespace: NAMESPACE }).items;

/** Resolves once the pool reports `ready` warm sandboxes. */
const poolReady = (ready: number) =>
  eventually(async () => {
    const pool = harness!.sim.store.find(WARM_POOL_RESOURCE, NAMESPACE, POOL);
    return (pool?.status as { readyReplicas?: number } | undefined)?.readyReplicas === ready
      ? true
      : undefined;
  });
const WARM_POOL_RESOURCE = 'sandboxwarmpools.extensions.agents.x-k8s.io';

it('adopts a warm pool sandbox and records the thread in the claim', async () => {
  harness = await kubeHarness({ replicas: 1 });
  const manager = await start();
  await poolReady(1);
  const { status, body } = await acquire(manager, 'Checkout_500s', {
    owner: 'oncall@example.com',
    ttlSeconds: 900,
  });
  expect(status).toBe(201);
  expect(body).toMatchObject({
    sandboxId: expect.stringMatching(new RegExp(`^${POOL}-[a-z0-9]{5}$`)),
    warm: true,
    podIP: expect.stringMatching(/^127\.0\.0\.\d+$/),
    namespace: NAMESPACE,
    port: harness.port,
  });
  expect(body.podName).toBe(body.sandboxId);
  expect(await sandboxHealth(body)).toBe(200);
  const [claim] = claims();
  expect(claim!.metadata.name).toMatch(/^fh-checkout-500s-[0-9a-f]{12}$/);
  expect(claim!.metadata.labels).toEqual({
    'app.kubernetes.io/managed-by': 'foxhound-sandbox-manager',
    'foxhound.dev/thread-hash': expect.stringMatching(/^[0-9a-f]{32}$/),
    'foxhound.dev/owner-hash': expect.stringMatching(/^[0-9a-f]{32}$/),
  });
  expect(claim!.metadata.annotations).toMatchObject({
    'foxhound.dev/thread-id': 'Checkout_500s',
    'foxhound.dev/owner': 'oncall@example.com',
    'foxhound.dev/ttl-seconds': '900',
  });
  expect(claim!.spec).toEqual({
    warmPoolRef: { name: POOL },
    lifecycle: { shutdownTime: body.expiresAt.replace('.000Z', 'Z'), shutdownPolicy: 'Delete' },
  });
  expect(harness.sim.store.get(SANDBOXES, NAMESPACE, body.sandboxId).metadata.labels).toMatchObject({
    [AgentSandboxKeys.launchType]: 'warm',
  });
});

it('cold-starts a sandbox named after the claim when the pool is empty', async () => {
  harness = await kubeHarness({ replicas: 0 });
  const manager = await start();
  const { status, body } = await acquire(manager, 'thread-cold');
  expect(status).toBe(201);
  expect(body.warm).toBe(false);
  expect(body.sandboxId).toBe(claims()[0]!.metadata.name);
  expect(await sandboxHealth(body)).toBe(200);
});

it('503 naming WarmPoolNotFound at once when the pool does not exist; the claim is deleted', async () => {
  harness = await kubeHarness({ replicas: 0 });
  const manager = await start({ SANDBOX_WARM_POOL: 'no-such-pool', SANDBOX_READY_TIMEOUT_SECONDS: '600' });
  const { status, body } = await call<{ detail: string }>(manager.url, 'POST', '/v1/sandboxes', {
    body: { threadId: 'thread-nopool' },
  });
  expect(status).toBe(503);
  expect(body.detail).toMatch(
    /^Sandbox for thread thread-nopool failed: SandboxClaim foxhound-sandboxes\/fh-thread-nopool-[0-9a-f]{12} is not ready \(WarmPoolNotFound: SandboxWarmPool "no-such-pool" not found\)\. It was deleted\.$/,
  );
  expect(claims()).toEqual([]);
  expect((await call(manager.url, 'GET', '/v1/pool')).status).toBe(503);
});

it('504 naming the last Ready reason when the sandbox is not ready in time; the claim is deleted', async () => {
  harness = await kubeHarness({ replicas: 0, simulatedStartDelayMs: 600_000 });
  const manager = await start({ SANDBOX_READY_TIMEOUT_SECONDS: '1' });
  const { status, body } = await call<{ detail: string }>(manager.url, 'POST', '/v1/sandboxes', {
    body: { threadId: 'thread-slow' },
  });
  expect(status).toBe(504);
  expect(body.detail).toContain('not ready in time');
  expect(body.detail).toContain('last said SandboxNotReady: Sandbox fh-thread-slow-');
  expect(claims()).toEqual([]);
});

it('sees the controller expire a claim through its watch; the thread then gets a new sandbox', async () => {
  harness = await kubeHarness({ replicas: 0 });
  const manager = await start();
  const { body } = await acquire(manager, 'thread-ttl');
  const [claim] = claims();
  harness.sim.store.patch(CLAIMS, NAMESPACE, claim!.metadata.name, 'merge', {
    spec: { lifecycle: { shutdownTime: new Date(Date.now() + 200).toISOString() } },
  });
  await eventually(async () =>
    (await call(manager.url, 'GET', `/v1/sandboxes/${body.sandboxId}`)).status === 404 ? true : undefined,
  );
  expect(
    (await call<SandboxList>(manager.url, 'GET', '/v1/sandboxes?threadId=thread-ttl')).body.items,
  ).toEqual([]);
  expect((await acquire(manager, 'thread-ttl')).status).toBe(201);
});

it('keeps waiting through a watch that must relist after 410 Gone', async () => {
  const lines: string[] = [];
  const logger = createLogger({
    service: 'test',
    level: 'warn',
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  });
  harness = await kubeHarness({ replicas: 0, simulatedStartDelayMs: 1500, logger });
  const manager = await start();
  const pending = acquire(manager, 'thread-410');
  await eventually(async () => (claims().length === 1 ? true : undefined), 10_000, 5);
  // Forget all history and drop every watch: resuming from the version held is now 410 Gone.
  harness.sim.store.compact();
  harness.sim.disconnectWatches();
  const { status, body } = await pending;
  expect(status).toBe(201);
  expect(body.podIP).toMatch(/^10\.244\./);
  const restarts = lines.map((line) => JSON.parse(line) as { msg: string; err?: string });
  expect(restarts).toContainEqual(
    expect.objectContaining({
      msg: 'readiness watch restarting',
      err: expect.stringMatching(/^watch error: .*/),
    }),
  );
});

it('a restarted manager finds the sandboxes in the cluster and reuses them', async () => {
  harness = await kubeHarness({ replicas: 1 });
  const first = await start();
  const a = (await acquire(first, 'thread-a')).body;
  const b = (await acquire(first, 'thread-b')).body;
  await first.shutdown();
  const second = await start();
  const listed = (await call<SandboxList>(second.url, 'GET', '/v1/sandboxes')).body.items.map(
    (d) => d.sandboxId,
  );
  expect(listed.sort()).toEqual([a.sandboxId, b.sandboxId].sort());
  const again = await acquire(second, 'thread-a');
  expect(again).toMatchObject({ status: 200, body: { sandboxId: a.sandboxId, reused: true } });
  expect((await call(second.url, 'GET', `/v1/sandboxes/${b.sandboxId}`)).status).toBe(200);
});

it('two replicas racing on one thread hand out one sandbox', async () => {
  harness = await kubeHarness({ replicas: 0 });
  const [one, two] = await Promise.all([start(), start()]);
  const results = await Promise.all(
    Array.from({ length: 6 }, (_, i) => acquire(i % 2 === 0 ? one! : two!, 'thread-shared')),
  );
  expect(results.map((r) => r.status).every((s) => s === 200 || s === 201)).toBe(true);
  expect(new Set(results.map((r) => r.body.sandboxId)).size).toBe(1);
  expect(claims()).toHaveLength(1);
});

it('sandbox mode creates a locked-down bare Sandbox with the shutdown time', async () => {
  harness = await kubeHarness({ replicas: 0 });
  const manager = await start({
    SANDBOX_MODE: 'sandbox',
    SANDBOX_IMAGE: 'registry.example/foxhound/executor:1.2.3',
    SANDBOX_RUNTIME_CLASS: 'gvisor',
  });
  const { body } = await acquire(manager, 'thread-bare');
  expect(body).toMatchObject({ warm: false, backend: 'kubernetes' });
  const sandbox = harness.sim.store.get(SANDBOXES, NAMESPACE, body.sandboxId);
  const spec = sandbox.spec as {
    shutdownTime: string;
    shutdownPolicy: string;
    podTemplate: { spec: Record<string, unknown> };
  };
  expect(spec.shutdownPolicy).toBe('Delete');
  expect(spec.shutdownTime).toBe(body.expiresAt.replace('.000Z', 'Z'));
  expect(spec.podTemplate.spec).toMatchObject({
    runtimeClassName: 'gvisor',
    serviceAccountName: 'foxhound-executor',
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        image: 'registry.example/foxhound/executor:1.2.3',
        ports: [{ containerPort: harness.port }],
        readinessProbe: { httpGet: { path: '/healthz', port: harness.port } },
        resources: { limits: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '2Gi' } },
        securityContext: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
        },
      },
    ],
  });
});

it('works with only the namespaced Role the chart grants', async () => {
  const user = 'system:serviceaccount:foxhound:sandbox-manager';
  harness = await kubeHarness({
    replicas: 1,
    sim: { tokens: [{ token: 'sandbox-manager-token-0123456789', user, groups: [] }], authorization: 'rbac' },
    user,
  });
  const store = harness.sim.store;
  store.create('roles.rbac.authorization.k8s.io', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'foxhound-sandbox-manager', namespace: NAMESPACE },
    rules: [
      {
        apiGroups: ['extensions.agents.x-k8s.io'],
        resources: ['sandboxclaims'],
        verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'],
      },
      { apiGroups: ['extensions.agents.x-k8s.io'], resources: ['sandboxwarmpools'], verbs: ['get'] },
      { apiGroups: ['agents.x-k8s.io'], resources: ['sandboxes'], verbs: ['get', 'list', 'watch'] },
    ],
  });
  store.create('rolebindings.rbac.authorization.k8s.io', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'foxhound-sandbox-manager', namespace: NAMESPACE },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'foxhound-sandbox-manager' },
    subjects: [{ kind: 'ServiceAccount', name: 'sandbox-manager', namespace: 'foxhound' }],
  });
  const manager = await start();
  const { status, body } = await acquire(manager, 'thread-rbac');
  expect(status).toBe(201);
  expect((await acquire(manager, 'thread-rbac')).status).toBe(200);
  expect((await call(manager.url, 'GET', `/v1/sandboxes/${body.sandboxId}`)).status).toBe(200);
  expect((await call(manager.url, 'GET', '/v1/pool')).status).toBe(200);
  expect((await call(manager.url, 'DELETE', `/v1/sandboxes/${body.sandboxId}`)).status).toBe(204);
});
