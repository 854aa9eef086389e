// AgentSandboxClient over HTTP against kube-sim: CRUD with the real client, merge patches,
// delete preconditions, and waitFor() driven by a watch.
import { type SandboxClaim } from '@foxhound/contracts';
import { startKubeSim, type KubeSim } from '@foxhound/kube-sim';
import { AgentSandboxClient, WaitTimeoutError, type WaitVerdict } from './agent-sandbox';
import { KubeApiError, loadKubeConfig } from './client';
import { isConflict } from './errors';

const NS = 'sandboxes';
const CLAIMS = 'sandboxclaims.extensions.agents.x-k8s.io';

let sim: KubeSim;
let client: AgentSandboxClient;

beforeEach(async () => {
  sim = await startKubeSim({ prometheus: false });
  sim.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  client = new AgentSandboxClient(loadKubeConfig({ from: 'object', config: sim.kubeconfig() }));
});

afterEach(async () => {
  await sim.close();
});

const claim = (name: string): SandboxClaim => ({
  apiVersion: 'extensions.agents.x-k8s.io/v1beta1',
  kind: 'SandboxClaim',
  metadata: { name, namespace: NS, labels: { owner: 'test' } },
  spec: { warmPoolRef: { name: 'pool' } },
});

const readyVerdict = (c: SandboxClaim | undefined): WaitVerdict<string> => {
  if (c === undefined) return { done: false, failed: new Error('deleted') };
  const ready = c.status?.conditions?.find((x) => x.type === 'Ready');
  if (ready?.status === 'True') return { done: true, value: c.status?.sandbox?.name ?? '' };
  if (ready?.reason === 'WarmPoolNotFound') return { done: false, failed: new Error(ready.reason) };
  return { done: false, status: ready?.reason ?? 'no status' };
};

function setReady(name: string, status: 'True' | 'False', reason: string) {
  const current = sim.store.get(CLAIMS, NS, name);
  sim.store.update(
    CLAIMS,
    {
      ...structuredClone(current),
      status: { sandbox: { name: `${name}-sb` }, conditions: [{ type: 'Ready', status, reason }] },
    },
    { subresource: 'status' },
  );
}

it('creates, reads, lists, patches and deletes', async () => {
  const created = await client.create('claim', NS, claim('c1'));
  expect(created.metadata.resourceVersion).toBeDefined();
  await client.create('claim', NS, claim('c2'));
  expect((await client.get('claim', NS, 'c1'))?.spec.warmPoolRef).toEqual({ name: 'pool' });
  expect(await client.get('claim', NS, 'missing')).toBeUndefined();
  const listed = await client.list('claim', NS, { labelSelector: 'owner=test' });
  expect(listed.items.map((c) => c.metadata.name)).toEqual(['c1', 'c2']);
  expect(listed.resourceVersion).toBe(String(sim.store.resourceVersion));
  const patched = await client.mergePatch('claim', NS, 'c1', {
    spec: { lifecycle: { shutdownTime: '2030-01-01T00:00:00Z' } },
  });
  expect(patched.spec.lifecycle).toEqual({ shutdownTime: '2030-01-01T00:00:00Z' });
  await expect(client.delete('claim', NS, 'c1')).resolves.toBe(true);
  await expect(client.delete('claim', NS, 'c1')).resolves.toBe(false);
});

it('reports AlreadyExists and failed preconditions as 409', async () => {
  const created = await client.create('claim', NS, claim('c1'));
  const exists = await client.create('claim', NS, claim('c1')).catch((err: unknown) => err);
  expect(exists).toBeInstanceOf(KubeApiError);
  expect(isConflict(exists)).toBe(true);
  expect((exists as KubeApiError).message).toBe(
    'create SandboxClaim sandboxes/c1: 409 sandboxclaims.extensions.agents.x-k8s.io "c1" already exists',
  );
  await client.mergePatch('claim', NS, 'c1', { metadata: { annotations: { touched: 'yes' } } });
  const stale = await client
    .delete('claim', NS, 'c1', { resourceVersion: created.metadata.resourceVersion })
    .catch((err: unknown) => err);
  expect(isConflict(stale)).toBe(true);
  expect(sim.store.find(CLAIMS, NS, 'c1')).toBeDefined();
});

describe('waitFor', () => {
  it('resolves on the first change that satisfies it, watching from the version given', async () => {
    const created = await client.create('claim', NS, claim('c1'));
    const waiting = client.waitFor('claim', {
      namespace: NS,
      name: 'c1',
      current: created,
      evaluate: readyVerdict,
      timeoutMs: 10_000,
    });
    setReady('c1', 'False', 'SandboxNotReady');
    setReady('c1', 'True', 'DependenciesReady');
    await expect(waiting).resolves.toBe('c1-sb');
  });

  it('resolves at once when the current object already satisfies it', async () => {
    await client.create('claim', NS, claim('c1'));
    setReady('c1', 'True', 'DependenciesReady');
    const current = await client.get('claim', NS, 'c1');
    await expect(
      client.waitFor('claim', {
        namespace: NS,
        name: 'c1',
        current,
        evaluate: readyVerdict,
        timeoutMs: 10_000,
      }),
    ).resolves.toBe('c1-sb');
  });

  it('lists first when given no object, and fails as soon as the evaluator says so', async () => {
    await client.create('claim', NS, claim('c1'));
    setReady('c1', 'False', 'WarmPoolNotFound');
    await expect(
      client.waitFor('claim', { namespace: NS, name: 'c1', evaluate: readyVerdict, timeoutMs: 10_000 }),
    ).rejects.toThrow('WarmPoolNotFound');
  });

  it('sees a deletion', async () => {
    const created = await client.create('claim', NS, claim('c1'));
    const waiting = client.waitFor('claim', {
      namespace: NS,
      name: 'c1',
      current: created,
      evaluate: readyVerdict,
      timeoutMs: 10_000,
    });
    sim.store.delete(CLAIMS, NS, 'c1');
    await expect(waiting).rejects.toThrow('deleted');
  });

  it('times out with the last status it saw', async () => {
    const created = await client.create('claim', NS, claim('c1'));
    const waiting = client.waitFor('claim', {
      namespace: NS,
      name: 'c1',
      current: created,
      evaluate: readyVerdict,
      timeoutMs: 300,
    });
    setReady('c1', 'False', 'SandboxNotReady');
    const err = await waiting.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect((err as WaitTimeoutError).message).toBe(
      'SandboxClaim sandboxes/c1 not ready after 0 s: SandboxNotReady',
    );
    expect((err as WaitTimeoutError).lastStatus).toBe('SandboxNotReady');
  });

  it('stops when aborted', async () => {
    const created = await client.create('claim', NS, claim('c1'));
    const abort = new AbortController();
    const waiting = client.waitFor('claim', {
      namespace: NS,
      name: 'c1',
      current: created,
      evaluate: readyVerdict,
      timeoutMs: 10_000,
      signal: abort.signal,
    });
    abort.abort(new Error('client went away'));
    await expect(waiting).rejects.toThrow('client went away');
  });
});
