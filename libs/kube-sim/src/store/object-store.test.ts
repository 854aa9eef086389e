import { ResourceRegistry } from '../api/registry';
import { StatusError } from '../api/status';
import { type KubeObject } from '../types';
import { type StoreEvent } from './storage';
import { KubeStore } from './index';

function newStore(): KubeStore {
  const store = new KubeStore({
    registry: new ResourceRegistry(),
    now: () => new Date('2026-01-10T12:00:00Z'),
  });
  store.load('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  return store;
}

const pod = (name: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'shop', ...extra },
  spec: { containers: [{ name: 'app', image: 'app:1' }] },
});

function statusOf(fn: () => unknown): { code: number; reason: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return { code: err.code, reason: err.reason, message: err.message };
    throw err;
  }
  throw new Error('expected a StatusError');
}

describe('create', () => {
  it('assigns uid, creationTimestamp, generation and a resourceVersion, and defaults the pod', () => {
    const store = newStore();
    const created = store.create('pods', pod('web'));
    expect(created.metadata).toMatchObject({
      name: 'web',
      namespace: 'shop',
      generation: 1,
      creationTimestamp: '2026-01-10T12:00:00Z',
      resourceVersion: String(store.resourceVersion),
    });
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
    expect(Object.isFrozen(created.metadata)).toBe(true);
  });

  it('generateName adds a five-character suffix', () => {
    const store = newStore();
    const created = store.create('pods', pod('', { generateName: 'web-' }));
    expect(created.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it.each([
    [
      '409 AlreadyExists for a duplicate',
      (s: KubeStore) => (s.create('pods', pod('web')), s.create('pods', pod('web'))),
      409,
      'AlreadyExists',
      'pods "web" already exists',
    ],
    [
      '404 for a missing namespace',
      (s: KubeStore) => s.create('pods', { ...pod('web'), metadata: { name: 'web', namespace: 'nope' } }),
      404,
      'NotFound',
      'namespaces "nope" not found',
    ],
    [
      '422 for a bad name',
      (s: KubeStore) => s.create('pods', pod('Bad_Name')),
      422,
      'Invalid',
      'Pod "Bad_Name" is invalid',
    ],
    [
      '422 without a name',
      (s: KubeStore) => s.create('pods', pod('')),
      422,
      'Invalid',
      'metadata.name: Required value: name or generateName is required',
    ],
    [
      '400 for a kind that does not match',
      (s: KubeStore) => s.create('pods', { ...pod('web'), kind: 'Service' }),
      400,
      'BadRequest',
      'the kind in the data (Service) does not match the expected kind (Pod)',
    ],
  ])('%s', (_name, fn, code, reason, message) => {
    const store = newStore();
    const status = statusOf(() => fn(store));
    expect(status).toMatchObject({ code, reason });
    expect(status.message).toContain(message);
  });

  it('dryRun runs everything and stores nothing', () => {
    const store = newStore();
    const before = store.resourceVersion;
    const created = store.create('pods', pod('web'), { dryRun: true });
    expect(created.metadata.uid).toBeDefined();
    expect(store.find('pods', 'shop', 'web')).toBeUndefined();
    expect(store.resourceVersion).toBe(before);
  });
});

describe('update and patch', () => {
  it('409 Conflict on a stale resourceVersion, success on the current one', () => {
    const store = newStore();
    const v1 = store.create('pods', pod('web'));
    const v2 = store.update('pods', { ...v1, metadata: { ...v1.metadata, labels: { a: '1' } } });
    expect(Number(v2.metadata.resourceVersion)).toBeGreaterThan(Number(v1.metadata.resourceVersion));
    const stale = statusOf(() =>
      store.update('pods', { ...v1, metadata: { ...v1.metadata, labels: { a: '2' } } }),
    );
    expect(stale).toEqual({
      code: 409,
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on pods "web": the object has been modified; please apply your changes to the latest version and try again',
    });
  });

  it('the main resource keeps status; /status changes only status', () => {
    const store = newStore();
    const created = store.create('pods', pod('web'));
    const main = store.update('pods', { ...created, status: { phase: 'Running' } });
    expect(main.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
    const status = store.update(
      'pods',
      { ...created, spec: { containers: [] }, status: { phase: 'Running' } },
      { subresource: 'status' },
    );
    expect(status.status).toEqual({ phase: 'Running' });
    expect((status.spec as { containers: unknown[] }).containers).toHaveLength(1);
  });

  it('bumps generation on spec changes only, and keeps the version on a no-op', () => {
    const store = newStore();
    const created = store.create('deployments.apps', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'a', image: 'a:1' }] },
        },
      },
    });
    const labelled = store.patch('deployments.apps', 'shop', 'web', 'merge', {
      metadata: { labels: { x: 'y' } },
    });
    expect(labelled.metadata.generation).toBe(1);
    const scaled = store.patch('deployments.apps', 'shop', 'web', 'merge', { spec: { replicas: 3 } });
    expect(scaled.metadata.generation).toBe(2);
    const again = store.patch('deployments.apps', 'shop', 'web', 'merge', { spec: { replicas: 3 } });
    expect(again.metadata.resourceVersion).toBe(scaled.metadata.resourceVersion);
    expect(created.spec).toMatchObject({ replicas: 1, strategy: { type: 'RollingUpdate' } });
  });

  it('a patch carrying an old resourceVersion is a conflict', () => {
    const store = newStore();
    const created = store.create('pods', pod('web'));
    store.patch('pods', 'shop', 'web', 'merge', { metadata: { labels: { a: '1' } } });
    const status = statusOf(() =>
      store.patch('pods', 'shop', 'web', 'merge', {
        metadata: { resourceVersion: created.metadata.resourceVersion, labels: { a: '2' } },
      }),
    );
    expect(status.code).toBe(409);
  });

  it('404 when updating something missing', () => {
    expect(statusOf(() => newStore().update('pods', pod('ghost')))).toMatchObject({
      code: 404,
      message: 'pods "ghost" not found',
    });
  });
});

describe('admission hooks and subscriptions', () => {
  it('mutating hooks change the object, validating hooks refuse with their Status', () => {
    const store = newStore();
    store.addAdmissionHook({
      name: 'label-everything',
      resources: ['pods'],
      operations: ['CREATE'],
      mutate: (req) => {
        req.object!.metadata.labels = { ...req.object!.metadata.labels, admitted: 'yes' };
      },
    });
    const remove = store.addAdmissionHook({
      name: 'quota',
      resources: ['pods'],
      validate: (req) => {
        if (req.name === 'big')
          throw new StatusError(403, 'Forbidden', 'pods "big" is forbidden: exceeded quota: q');
      },
    });
    expect(store.create('pods', pod('small')).metadata.labels).toEqual({ admitted: 'yes' });
    expect(statusOf(() => store.create('pods', pod('big')))).toMatchObject({
      code: 403,
      reason: 'Forbidden',
    });
    remove();
    expect(store.create('pods', pod('big')).metadata.name).toBe('big');
  });

  it('delivers events in commit order even when a listener writes', () => {
    const store = newStore();
    const seen: string[] = [];
    store.subscribe((e: StoreEvent) => {
      seen.push(`${e.type} ${e.object.metadata.name}`);
      if (e.type === 'ADDED' && e.object.metadata.name === 'first') store.create('pods', pod('second'));
    });
    store.subscribe((e: StoreEvent) => seen.push(`other ${e.object.metadata.name}`));
    store.create('pods', pod('first'));
    expect(seen).toEqual(['ADDED first', 'other first', 'ADDED second', 'other second']);
  });

  it('a throwing listener does not stop the others', () => {
    const errors: unknown[] = [];
    const store = new KubeStore({ registry: new ResourceRegistry(), onListenerError: (e) => errors.push(e) });
    store.subscribe(() => {
      throw new Error('boom');
    });
    const seen: string[] = [];
    store.subscribe((e) => seen.push(e.object.metadata.name));
    store.load('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } });
    expect(seen).toEqual(['a']);
    expect(errors).toHaveLength(1);
  });
});

describe('custom resource definitions', () => {
  it('a created CRD serves its kind and a deleted one stops', () => {
    const store = newStore();
    store.create('customresourcedefinitions.apiextensions.k8s.io', {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { kind: 'Widget', plural: 'widgets', singular: 'widget' },
        versions: [{ name: 'v1', served: true, storage: true, subresources: { status: {} } }],
      },
    });
    const w = store.create('widgets.example.com', {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: 'shop' },
    });
    expect(w.apiVersion).toBe('example.com/v1');
    store.delete('customresourcedefinitions.apiextensions.k8s.io', undefined, 'widgets.example.com');
    expect(() => store.resource('widgets.example.com')).toThrow('unknown resource');
  });
});

describe('events.k8s.io view', () => {
  it('shows core events in the events.k8s.io/v1 shape and stores writes in the core shape', () => {
    const store = newStore();
    store.create('events', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e1', namespace: 'shop' },
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'shop' },
      reason: 'BackOff',
      message: 'Back-off restarting failed container',
      type: 'Warning',
      count: 3,
    });
    const viewed = store.get('events.events.k8s.io', 'shop', 'e1');
    expect(viewed).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      regarding: { kind: 'Pod', name: 'web' },
      note: 'Back-off restarting failed container',
      deprecatedCount: 3,
    });
    store.create('events.events.k8s.io', {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'e2', namespace: 'shop' },
      regarding: { kind: 'Pod', name: 'db' },
      note: 'pulled',
      reason: 'Pulled',
      type: 'Normal',
      reportingController: 'kubelet',
      action: 'Pull',
      eventTime: '2026-01-10T12:00:00.000000Z',
    });
    expect(store.get('events', 'shop', 'e2')).toMatchObject({
      apiVersion: 'v1',
      involvedObject: { name: 'db' },
      message: 'pulled',
    });
  });
});
