import { ResourceRegistry } from '../api/registry';
import { type KubeObject, type StoredObject } from '../types';
import { KubeStore } from './index';

function newStore(): KubeStore {
  const store = new KubeStore({ registry: new ResourceRegistry() });
  store.load('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  return store;
}

const ownerRef = (o: StoredObject) => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  name: o.metadata.name,
  uid: o.metadata.uid,
  controller: true,
});

/** Deployment → ReplicaSet → two Pods, linked by ownerReferences. */
function chain(store: KubeStore) {
  const deploy = store.create('deployments.apps', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'a' }] } },
    },
  });
  const rs = store.create('replicasets.apps', {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-1', namespace: 'shop', ownerReferences: [ownerRef(deploy)] },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'a' }] } },
    },
  });
  const pods = ['web-1-a', 'web-1-b'].map((name) =>
    store.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'shop', ownerReferences: [ownerRef(rs)] },
      spec: { containers: [{ name: 'a', image: 'a' }] },
    } as KubeObject),
  );
  return { deploy, rs, pods };
}

const names = (store: KubeStore, ref: string) =>
  store.list(ref, { namespace: 'shop' }).items.map((o) => o.metadata.name);

describe('cascading deletion', () => {
  it('Background (the default) removes the owner, then its dependents, recursively', () => {
    const store = newStore();
    chain(store);
    const result = store.delete('deployments.apps', 'shop', 'web');
    expect(result.finished).toBe(true);
    expect(names(store, 'replicasets.apps')).toEqual([]);
    expect(names(store, 'pods')).toEqual([]);
  });

  it('Orphan removes the owner and leaves dependents without the ownerReference', () => {
    const store = newStore();
    chain(store);
    store.delete('deployments.apps', 'shop', 'web', { propagationPolicy: 'Orphan' });
    expect(store.get('replicasets.apps', 'shop', 'web-1').metadata.ownerReferences).toBeUndefined();
    expect(names(store, 'pods')).toEqual(['web-1-a', 'web-1-b']);
  });

  it('Foreground deletes dependents first; a finalizer on a pod holds the whole chain', () => {
    const store = newStore();
    const { pods } = chain(store);
    store.patch('pods', 'shop', pods[0].metadata.name, 'merge', {
      metadata: { finalizers: ['example.com/hold'] },
    });
    const result = store.delete('deployments.apps', 'shop', 'web', { propagationPolicy: 'Foreground' });
    expect(result.finished).toBe(false);
    expect(result.object.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(result.object.metadata.deletionTimestamp).toBeDefined();
    expect(names(store, 'pods')).toEqual(['web-1-a']);
    expect(store.get('pods', 'shop', 'web-1-a').metadata.deletionTimestamp).toBeDefined();
    // Removing the last finalizer lets the pod go, then the ReplicaSet, then the Deployment.
    store.patch('pods', 'shop', 'web-1-a', 'json', [{ op: 'remove', path: '/metadata/finalizers' }]);
    expect(names(store, 'pods')).toEqual([]);
    expect(names(store, 'replicasets.apps')).toEqual([]);
    expect(names(store, 'deployments.apps')).toEqual([]);
  });

  it('a dependent with another live owner survives its first owner', () => {
    const store = newStore();
    const a = store.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a', namespace: 'shop' },
    });
    const b = store.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'b', namespace: 'shop' },
    });
    store.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'child', namespace: 'shop', ownerReferences: [ownerRef(a), ownerRef(b)] },
    });
    store.delete('configmaps', 'shop', 'a');
    expect(names(store, 'configmaps')).toEqual(['b', 'child']);
    store.delete('configmaps', 'shop', 'b');
    expect(names(store, 'configmaps')).toEqual([]);
  });
});

describe('finalizers and preconditions', () => {
  it('a finalizer keeps the object with a deletionTimestamp; removing it deletes the object', () => {
    const store = newStore();
    store.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'shop', finalizers: ['x/y'] },
    });
    const pending = store.delete('configmaps', 'shop', 'c');
    expect(pending.finished).toBe(false);
    expect(pending.object.metadata.deletionTimestamp).toBeDefined();
    const again = store.delete('configmaps', 'shop', 'c');
    expect(again.object.metadata.resourceVersion).toBe(pending.object.metadata.resourceVersion);
    const current = store.get('configmaps', 'shop', 'c');
    store.update('configmaps', { ...current, metadata: { ...current.metadata, finalizers: [] } });
    expect(store.find('configmaps', 'shop', 'c')).toBeUndefined();
  });

  it('409 when the uid precondition does not match', () => {
    const store = newStore();
    store.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'shop' },
    });
    expect(() => store.delete('configmaps', 'shop', 'c', { preconditions: { uid: 'other' } })).toThrow(
      /Precondition failed: UID in precondition: other/,
    );
  });

  it('dryRun deletes nothing', () => {
    const store = newStore();
    store.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'shop' },
    });
    store.delete('configmaps', 'shop', 'c', { dryRun: true });
    expect(store.find('configmaps', 'shop', 'c')).toBeDefined();
  });
});

describe('namespace deletion', () => {
  it('terminates the content, then removes the namespace; new content is refused meanwhile', () => {
    const store = newStore();
    chain(store);
    store.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'held', namespace: 'shop', finalizers: ['x/y'] },
    });
    const result = store.delete('namespaces', undefined, 'shop');
    expect(result.finished).toBe(false);
    expect(store.get('namespaces', undefined, 'shop').status).toEqual({ phase: 'Terminating' });
    expect(names(store, 'pods')).toEqual([]);
    expect(() =>
      store.create('configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'late', namespace: 'shop' },
      }),
    ).toThrow(
      'configmaps is forbidden: unable to create new content in namespace shop because it is being terminated',
    );
    store.patch('configmaps', 'shop', 'held', 'merge', { metadata: { finalizers: null } });
    expect(store.find('namespaces', undefined, 'shop')).toBeUndefined();
  });
});

describe('deleteCollection', () => {
  it('deletes what the selector lists', () => {
    const store = newStore();
    for (const [name, app] of [
      ['a', 'x'],
      ['b', 'x'],
      ['c', 'y'],
    ]) {
      store.create('configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace: 'shop', labels: { app } },
      });
    }
    const deleted = store.deleteCollection('configmaps', { namespace: 'shop', labelSelector: 'app=x' });
    expect(deleted.map((o) => o.metadata.name)).toEqual(['a', 'b']);
    expect(names(store, 'configmaps')).toEqual(['c']);
  });
});
