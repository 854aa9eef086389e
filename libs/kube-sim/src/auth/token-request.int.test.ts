// TokenRequest over HTTP: a minted token is its ServiceAccount (RBAC decides what it may do), the
// real validation of expirationSeconds, and revocation by expiry or by deleting the ServiceAccount.
import { startKubeSim, type KubeSim } from '../index';

let clock = new Date('2025-06-01T12:00:00Z');
let sim: KubeSim;
beforeAll(async () => {
  sim = await startKubeSim({
    tokens: [{ token: 'admin-token-0001', user: 'admin', groups: ['system:masters'] }],
    authorization: 'rbac',
    prometheus: false,
    now: () => clock,
  });
});
afterAll(() => sim.close());

async function call(path: string, token: string, init: { method?: string; body?: unknown } = {}) {
  const res = await fetch(sim.url + path, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const ADMIN = 'admin-token-0001';
const tokenFor = async (name: string, expirationSeconds = 600) =>
  call(`/api/v1/namespaces/default/serviceaccounts/${name}/token`, ADMIN, {
    method: 'POST',
    body: {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { audiences: [], expirationSeconds },
    },
  });

beforeEach(() => {
  clock = new Date('2025-06-01T12:00:00Z');
  for (const sa of sim.store.list('serviceaccounts', { namespace: 'default' }).items)
    sim.store.delete('serviceaccounts', 'default', sa.metadata.name);
  for (const rb of sim.store.list('rolebindings.rbac.authorization.k8s.io', { namespace: 'default' }).items)
    sim.store.delete('rolebindings.rbac.authorization.k8s.io', 'default', rb.metadata.name);
});

it('mints a token that authenticates as the ServiceAccount, with only what RBAC grants it', async () => {
  sim.store.create('serviceaccounts', {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'writer', namespace: 'default' },
  });
  const minted = await tokenFor('writer');
  expect(minted.status).toBe(201);
  expect(minted.body.status.expirationTimestamp).toBe('2025-06-01T12:10:00Z');
  const token = minted.body.status.token as string;

  expect(await call('/api/v1/namespaces/default/pods', token)).toMatchObject({
    status: 403,
    body: {
      message:
        'pods is forbidden: User "system:serviceaccount:default:writer" cannot list resource "pods" in API group "" in the namespace "default"',
    },
  });
  sim.store.create('rolebindings.rbac.authorization.k8s.io', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'sa-readers', namespace: 'default' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'pod-reader' },
    subjects: [{ kind: 'Group', name: 'system:serviceaccounts:default' }],
  } as never);
  sim.store.create('clusterroles.rbac.authorization.k8s.io', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'pod-reader' },
    rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }],
  } as never);
  expect((await call('/api/v1/namespaces/default/pods', token)).status).toBe(200);
  expect((await call('/api/v1/namespaces/kube-system/pods', token)).status).toBe(403);
  sim.store.delete('clusterroles.rbac.authorization.k8s.io', undefined, 'pod-reader');
});

it('refuses an expired token and a token whose ServiceAccount was deleted (401)', async () => {
  sim.store.create('serviceaccounts', {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'short', namespace: 'default' },
  });
  const token = (await tokenFor('short')).body.status.token as string;
  expect((await call('/api/v1/namespaces/default/pods', token)).status).toBe(403);
  clock = new Date('2025-06-01T12:10:00Z');
  expect((await call('/api/v1/namespaces/default/pods', token)).status).toBe(401);

  clock = new Date('2025-06-01T12:00:00Z');
  const second = (await tokenFor('short')).body.status.token as string;
  sim.store.delete('serviceaccounts', 'default', 'short');
  expect((await call('/api/v1/namespaces/default/pods', second)).status).toBe(401);
});

it.each([
  ['a missing ServiceAccount', 'ghost', 600, 404],
  ['a duration under ten minutes', 'present', 60, 422],
])('answers %s with the real status', async (_name, sa, seconds, status) => {
  sim.store.create('serviceaccounts', {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'present', namespace: 'default' },
  });
  expect((await tokenFor(sa, seconds)).status).toBe(status);
});

it('serves serviceaccounts/token in discovery', async () => {
  const list = await call('/api/v1', ADMIN);
  expect(list.body.resources).toContainEqual(
    expect.objectContaining({ name: 'serviceaccounts/token', kind: 'TokenRequest', verbs: ['create'] }),
  );
});
