// The storage layer under the object store: one bucket per resource (objects by key and by
// namespace, etcd-ordered keys, the watch history), one resourceVersion counter for the whole
// cluster (like etcd's revision), owner and uid indexes for garbage collection, and the ordered
// change feed. It applies no API rules; object-store.ts does, on top of it.
//
// Stored objects are deep-frozen and shared: reads never copy, every write builds a new object.
import { type ResourceRegistry } from '../api/registry';
import { storageKey, type ResourceType } from '../api/resources';
import { errors } from '../api/status';
import { type StoredObject } from '../types';
import { History, type HistoryEvent } from './history';

export interface StoreEvent extends HistoryEvent {
  /** The storage row (for events.k8s.io events this is the core row). */
  resource: ResourceType;
}

export type StoreListener = (event: StoreEvent) => void;

export interface StorageOptions {
  registry: ResourceRegistry;
  /** Events kept per resource for watch resumption; older versions answer 410 Gone. */
  historyLimit?: number;
  now?: () => Date;
  /** Where a throwing store listener's error goes; the default prints a process warning. */
  onListenerError?: (error: unknown) => void;
}

/** One resource's objects, indexes and history. */
export interface Bucket {
  resource: ResourceType;
  items: Map<string, StoredObject>;
  byNamespace: Map<string, Map<string, StoredObject>>;
  /** Object keys in etcd order (namespace/name), rebuilt lazily after adds and deletes. */
  sortedKeys?: string[];
  history: History;
}

/** A resource given as its table row or as `plural` / `plural.group` (`pods`, `deployments.apps`). */
export type ResourceRef = ResourceType | string;

export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export class Storage {
  readonly registry: ResourceRegistry;
  readonly now: () => Date;
  /** uid → `storageKey|objectKey`, so garbage collection can tell whether an owner still exists. */
  readonly byUid = new Map<string, string>();
  /** owner uid → `storageKey|objectKey` of the objects that name it in ownerReferences. */
  readonly dependents = new Map<string, Set<string>>();
  private readonly buckets = new Map<string, Bucket>();
  private readonly listeners = new Set<StoreListener>();
  private readonly queue: StoreEvent[] = [];
  private dispatching = false;
  private revision = 0;
  private readonly historyLimit: number;
  private readonly onListenerError: (error: unknown) => void;

  constructor(options: StorageOptions) {
    this.registry = options.registry;
    this.historyLimit = options.historyLimit ?? 1000;
    this.now = options.now ?? (() => new Date());
    this.onListenerError =
      options.onListenerError ??
      ((error) => process.emitWarning(`kube-sim store listener failed: ${String(error)}`, 'KubeSimWarning'));
  }

  get resourceVersion(): number {
    return this.revision;
  }

  /** Resolves `pods`, `deployments.apps` or a table row to the preferred row. */
  resource(ref: ResourceRef): ResourceType {
    if (typeof ref !== 'string') return ref;
    const dot = ref.indexOf('.');
    const plural = dot < 0 ? ref : ref.slice(0, dot);
    const group = dot < 0 ? '' : ref.slice(dot + 1);
    const found = this.registry.all().find((r) => r.plural === plural && r.group === group);
    if (!found) throw errors.badRequest(`unknown resource "${ref}"`);
    return found;
  }

  bucket(r: ResourceType): Bucket {
    const key = storageKey(r);
    let b = this.buckets.get(key);
    if (!b) {
      const storage = r.storedAs
        ? this.resource(`${r.storedAs.plural}${r.storedAs.group ? '.' + r.storedAs.group : ''}`)
        : r;
      b = {
        resource: storage,
        items: new Map(),
        byNamespace: new Map(),
        history: new History(this.historyLimit),
      };
      this.buckets.set(key, b);
    }
    return b;
  }

  /** Every committed change, in order, after it is stored. Returns the unsubscribe function. */
  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called after the last finalizer goes and an object is removed; the full store collects garbage here. */
  protected onRemoved(_object: StoredObject): void {}

  /** Stores `object` under a new resourceVersion and queues the event. */
  commit(bucket: Bucket, type: 'ADDED' | 'MODIFIED', object: StoredObject, old?: StoredObject): StoredObject {
    object.metadata.resourceVersion = String(++this.revision);
    deepFreeze(object);
    const key = objectKey(object.metadata.namespace, object.metadata.name);
    if (!bucket.items.has(key)) bucket.sortedKeys = undefined;
    bucket.items.set(key, object);
    const ns = object.metadata.namespace ?? '';
    let nsMap = bucket.byNamespace.get(ns);
    if (!nsMap) bucket.byNamespace.set(ns, (nsMap = new Map()));
    nsMap.set(object.metadata.name, object);
    this.indexOwners(bucket, key, old, object);
    this.byUid.set(object.metadata.uid, `${storageKey(bucket.resource)}|${key}`);
    if (bucket.resource.group === 'apiextensions.k8s.io') this.registry.syncCrd(object, false);
    this.emit({ type, object, oldObject: old, resourceVersion: this.revision, resource: bucket.resource });
    return object;
  }

  /** Removes `object` for good (DELETED event carries a fresh resourceVersion). */
  remove(bucket: Bucket, existing: StoredObject, finalState: StoredObject = existing): StoredObject {
    const object = structuredClone(finalState) as StoredObject;
    object.metadata.resourceVersion = String(++this.revision);
    deepFreeze(object);
    const key = objectKey(existing.metadata.namespace, existing.metadata.name);
    bucket.items.delete(key);
    bucket.sortedKeys = undefined;
    bucket.byNamespace.get(existing.metadata.namespace ?? '')?.delete(existing.metadata.name);
    this.indexOwners(bucket, key, existing, undefined);
    this.byUid.delete(existing.metadata.uid);
    if (bucket.resource.group === 'apiextensions.k8s.io') this.registry.syncCrd(object, true);
    this.emit({ type: 'DELETED', object, resourceVersion: this.revision, resource: bucket.resource });
    return object;
  }

  private indexOwners(
    bucket: Bucket,
    key: string,
    old: StoredObject | undefined,
    next: StoredObject | undefined,
  ): void {
    const ref = `${storageKey(bucket.resource)}|${key}`;
    for (const o of old?.metadata.ownerReferences ?? []) this.dependents.get(o.uid)?.delete(ref);
    for (const o of next?.metadata.ownerReferences ?? []) {
      let set = this.dependents.get(o.uid);
      if (!set) this.dependents.set(o.uid, (set = new Set()));
      set.add(ref);
    }
  }

  /** The bucket and object behind a `storageKey|objectKey` reference from the owner index. */
  resolveRef(ref: string): { bucket: Bucket; object: StoredObject } | undefined {
    const bar = ref.indexOf('|');
    const bucket = this.buckets.get(ref.slice(0, bar));
    const object = bucket?.items.get(ref.slice(bar + 1));
    return bucket && object ? { bucket, object } : undefined;
  }

  /** Every bucket, for cross-resource sweeps (namespace deletion, garbage collection). */
  allBuckets(): Bucket[] {
    return [...this.buckets.values()];
  }

  /** Forgets every event up to now: watches from any earlier resourceVersion get 410 Gone. */
  compact(): void {
    for (const b of this.buckets.values()) b.history.compact(this.revision);
  }

  private emit(event: StoreEvent): void {
    this.bucket(event.resource).history.push(event);
    this.queue.push(event);
    if (this.dispatching) return;
    // Listeners may write to the store; their events queue behind this one, so order holds.
    this.dispatching = true;
    try {
      for (let e = this.queue.shift(); e; e = this.queue.shift()) {
        for (const l of [...this.listeners]) {
          try {
            l(e);
          } catch (error) {
            this.onListenerError(error);
          }
        }
      }
    } finally {
      this.dispatching = false;
    }
  }
}
