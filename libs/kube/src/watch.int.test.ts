// ListWatch and WatchCache against kube-sim over HTTP: list then watch from the list's version,
// relist after 410, bookmarks, capped backoff, stop(), and the cache's view of it all.
import { type SandboxClaim } from '@foxhound/contracts';
import { startKubeSim, type KubeSim } from '@foxhound/kube-sim';
import { AgentSandboxClient } from './agent-sandbox';
import { loadKubeConfig } from './client';
import { ListWatch, type ObjectEvent } from './watch';

const NS = 'watched';
const CLAIMS = 'sandboxclaims.extensions.agents.x-k8s.io';

let sim: KubeSim;
let client: AgentSandboxClient;
const stops: Array<() => void> = [];

beforeEach(async () => {
  sim = await startKubeSim({ prometheus: false, bookmarkIntervalMs: 50 });
  sim.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  client = new AgentSandboxClient(loadKubeConfig({ from: 'object', config: sim.kubeconfig() }));
});

afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  await sim.close();
});

function createClaim(name: string, labels: Record<string, string> = { app: 'test' }) {
  return sim.store.create(CLAIMS, {
    apiVersion: 'extensions.agents.x-k8s.io/v1beta1',
    kind: 'SandboxClaim',
    metadata: { name, namespace: NS, labels },
    spec: { warmPoolRef: { name: 'pool' } },
  });
}

function until(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (predicate()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error('condition not met'));
      setTimeout(tick, 5);
    };
    tick();
  });
}

function startWatch(options: Partial<ConstructorParameters<typeof ListWatch<SandboxClaim>>[0]> = {}) {
  const events: ObjectEvent<SandboxClaim>[] = [];
  const syncs: string[][] = [];
  const errors: Array<{ err: unknown; retryInMs: number }> = [];
  const watch = new ListWatch<SandboxClaim>({
    config: loadKubeConfig({ from: 'object', config: sim.kubeconfig() }),
    path: client.collectionPath('claim', NS),
    labelSelector: 'app=test',
    list: () => client.list('claim', NS, { labelSelector: 'app=test' }),
    onEvent: (e) => events.push(e),
    onSync: (items) => syncs.push(items.map((i) => i.metadata.name ?? '')),
    onError: (err, retryInMs) => errors.push({ err, retryInMs }),
    ...options,
  });
  stops.push(() => watch.stop());
  watch.start();
  return { watch, events, syncs, errors };
}

it('lists, then delivers every change after the list in order', async () => {
  createClaim('a');
  createClaim('b');
  createClaim('other', { app: 'else' });
  const { watch, events, syncs } = startWatch();
  await watch.synced;
  expect(syncs).toEqual([['a', 'b']]);
  createClaim('c');
  sim.store.patch(CLAIMS, NS, 'a', 'merge', { spec: { warmPoolRef: { name: 'p2' } } });
  sim.store.delete(CLAIMS, NS, 'b');
  await until(() => events.length === 3);
  expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
    ['ADDED', 'c'],
    ['MODIFIED', 'a'],
    ['DELETED', 'b'],
  ]);
  expect(watch.resourceVersion).toBe(String(sim.store.resourceVersion));
});

it('relists after 410 Gone and sees what changed while it was away', async () => {
  createClaim('a');
  createClaim('b');
  const { watch, syncs, errors } = startWatch();
  await watch.synced;
  // All in one tick, before the watch can reconnect: it will ask for a version older than history.
  sim.disconnectWatches();
  sim.store.delete(CLAIMS, NS, 'a');
  createClaim('c');
  sim.store.compact();
  await until(() => syncs.length === 2);
  expect(syncs[1]).toEqual(['b', 'c']);
  expect(errors.map((e) => (e.err as { statusCode?: number }).statusCode)).toContain(410);
});

it('advances its version on bookmarks without inventing events', async () => {
  const { watch, events } = startWatch();
  await watch.synced;
  sim.store.create('configmaps', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'bump', namespace: NS },
  });
  const bumped = String(sim.store.resourceVersion);
  await until(() => watch.resourceVersion === bumped);
  expect(events).toEqual([]);
});

it('retries a failing list with capped backoff, then syncs', async () => {
  let failures = 3;
  const { watch, errors, syncs } = startWatch({
    backoff: { initialMs: 10, maxMs: 25 },
    list: async () => {
      if (failures-- > 0) throw new Error('api server unavailable');
      return client.list('claim', NS, { labelSelector: 'app=test' });
    },
  });
  await watch.synced;
  expect(errors.map((e) => e.retryInMs)).toEqual([10, 20, 25]);
  expect(syncs).toEqual([[]]);
});

it('delivers nothing after stop()', async () => {
  const { watch, events } = startWatch();
  await watch.synced;
  watch.stop();
  createClaim('late');
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(events).toEqual([]);
});

describe('WatchCache', () => {
  it('mirrors the collection, keeps newer versions over older ones, and forgets deletions', async () => {
    createClaim('a');
    const cache = client.cache('claim', NS, { labelSelector: 'app=test' });
    stops.push(() => cache.stop());
    await cache.start();
    expect(cache.list().map((c) => c.metadata.name)).toEqual(['a']);
    const stale = cache.get(NS, 'a')!;
    const patched = sim.store.patch(CLAIMS, NS, 'a', 'merge', { metadata: { annotations: { v: '2' } } });
    await until(() => cache.get(NS, 'a')?.metadata.resourceVersion === patched.metadata.resourceVersion);
    cache.observe(stale);
    expect(cache.get(NS, 'a')?.metadata.annotations).toEqual({ v: '2' });
    sim.store.delete(CLAIMS, NS, 'a');
    await until(() => cache.size === 0);
  });
});
