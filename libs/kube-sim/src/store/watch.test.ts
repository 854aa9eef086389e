import { ResourceRegistry } from '../api/registry';
import { StatusError } from '../api/status';
import { type KubeObject } from '../types';
import { KubeStore } from './index';
import { type WatchEvent } from './watch';

function newStore(historyLimit = 1000): KubeStore {
  const store = new KubeStore({ registry: new ResourceRegistry(), historyLimit });
  store.load('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  return store;
}

const cm = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'shop', labels },
});

function record(store: KubeStore, options: Parameters<KubeStore['watch']>[1]) {
  const events: string[] = [];
  const w = store.watch('configmaps', options, (e: WatchEvent) =>
    events.push(`${e.type} ${e.object.metadata.name ?? ''}`),
  );
  return { events, w };
}

describe('watch', () => {
  it('without a resourceVersion starts with the current objects as ADDED, then follows', () => {
    const store = newStore();
    store.create('configmaps', cm('a'));
    const { events, w } = record(store, { namespace: 'shop' });
    store.create('configmaps', cm('b'));
    store.delete('configmaps', 'shop', 'a');
    w.stop();
    store.create('configmaps', cm('c'));
    expect(events).toEqual(['ADDED a', 'ADDED b', 'DELETED a']);
  });

  it('from a resourceVersion replays exactly the later events', () => {
    const store = newStore();
    const a = store.create('configmaps', cm('a'));
    store.patch('configmaps', 'shop', 'a', 'merge', { data: { k: 'v' } });
    store.create('configmaps', cm('b'));
    const { events } = record(store, { resourceVersion: a.metadata.resourceVersion });
    expect(events).toEqual(['MODIFIED a', 'ADDED b']);
  });

  it('turns a MODIFIED that leaves or enters the label selection into DELETED or ADDED', () => {
    const store = newStore();
    store.create('configmaps', cm('a', { tier: 'web' }));
    const { events } = record(store, { labelSelector: 'tier=web' });
    store.patch('configmaps', 'shop', 'a', 'merge', { metadata: { labels: { tier: 'db' } } });
    store.patch('configmaps', 'shop', 'a', 'merge', { metadata: { labels: { tier: 'web' } } });
    store.patch('configmaps', 'shop', 'a', 'merge', { data: { x: '1' } });
    expect(events).toEqual(['ADDED a', 'DELETED a', 'ADDED a', 'MODIFIED a']);
  });

  it('410 Expired once the history no longer reaches the version', () => {
    const store = newStore(2);
    const first = store.create('configmaps', cm('a'));
    for (const name of ['b', 'c', 'd']) store.create('configmaps', cm(name));
    let caught: unknown;
    try {
      record(store, { resourceVersion: first.metadata.resourceVersion });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StatusError);
    expect((caught as StatusError).toStatus()).toMatchObject({ code: 410, reason: 'Expired' });
    expect((caught as StatusError).message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
  });

  it('compact() expires every earlier version', () => {
    const store = newStore();
    const a = store.create('configmaps', cm('a'));
    store.create('configmaps', cm('b'));
    store.compact();
    expect(() => record(store, { resourceVersion: a.metadata.resourceVersion })).toThrow(
      /too old resource version/,
    );
    expect(() => record(store, { resourceVersion: String(store.resourceVersion) })).not.toThrow();
  });

  it('sendInitialEvents ends the initial state with the initial-events-end BOOKMARK', () => {
    const store = newStore();
    store.create('configmaps', cm('a'));
    const seen: WatchEvent[] = [];
    store.watch('configmaps', { resourceVersion: '1', sendInitialEvents: true }, (e) => seen.push(e));
    expect(seen.map((e) => e.type)).toEqual(['ADDED', 'BOOKMARK']);
    expect(seen[1].object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
  });

  it('a watch started from a listener does not see the current event twice', () => {
    const store = newStore();
    const events: string[] = [];
    store.subscribe((e) => {
      if (e.object.metadata.name === 'trigger' && e.type === 'ADDED') {
        store.watch('configmaps', { resourceVersion: String(e.resourceVersion - 1) }, (w) =>
          events.push(`${w.type} ${w.object.metadata.name}`),
        );
      }
    });
    store.create('configmaps', cm('trigger'));
    store.create('configmaps', cm('next'));
    expect(events).toEqual(['ADDED trigger', 'ADDED next']);
  });
});

describe('list pagination', () => {
  it('pages in name order with continue tokens and remainingItemCount', () => {
    const store = newStore();
    for (const name of ['e', 'a', 'd', 'b', 'c']) store.create('configmaps', cm(name));
    const page1 = store.list('configmaps', { namespace: 'shop', limit: 2 });
    expect(page1.items.map((o) => o.metadata.name)).toEqual(['a', 'b']);
    expect(page1.remainingItemCount).toBe(3);
    const page2 = store.list('configmaps', { namespace: 'shop', limit: 2, continue: page1.continue });
    expect(page2.items.map((o) => o.metadata.name)).toEqual(['c', 'd']);
    const page3 = store.list('configmaps', { namespace: 'shop', limit: 2, continue: page2.continue });
    expect(page3.items.map((o) => o.metadata.name)).toEqual(['e']);
    expect(page3.continue).toBeUndefined();
  });

  it('400 for a continue token that is not one', () => {
    expect(() => newStore().list('configmaps', { continue: 'garbage' })).toThrow(/continue key is not valid/);
  });
});
