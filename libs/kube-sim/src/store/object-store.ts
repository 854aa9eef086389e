// The object store: every object by resource, namespace and name, one resourceVersion counter for
// the whole cluster (like etcd's revision), create/get/list/update/patch, and the change feed
// that watches and controllers read. Deletion (finalizers, cascade) lives in deletion.ts, list
// pagination and selectors in list.ts, watch registration in watch.ts.
//
// Stored objects are deep-frozen and shared: reads never copy, every write builds a new object.
import { type ResourceRegistry } from '../api/registry';
import { applyCreateDefaults } from '../api/defaults';
import { apiVersionOf, storageKey, type ResourceType } from '../api/resources';
import { errors } from '../api/status';
import { fromStorage, toStorage } from '../api/views';
import { applyPatch, type PatchType } from '../patch';
import { type KubeObject, type StoredObject, type UserInfo } from '../types';
import { AdmissionChain, type AdmissionHook, type AdmissionOperation } from './admission';
import { History, type HistoryEvent } from './history';
import {
  checkApiVersionAndKind,
  formatTime,
  newUid,
  randomSuffix,
  specFingerprint,
  validateMetadataMaps,
  validateName,
} from './meta';

export interface WriteOptions {
  /** `dryRun=All`: run every check and hook, store nothing. */
  dryRun?: boolean;
  user?: UserInfo;
}

export interface UpdateOptions extends WriteOptions {
  subresource?: 'status';
}

export interface StoreEvent extends HistoryEvent {
  /** The storage row (for events.k8s.io events this is the core row). */
  resource: ResourceType;
}

export type StoreListener = (event: StoreEvent) => void;

export interface StoreOptions {
  registry: ResourceRegistry;
  /** Events kept per resource for watch resumption; older versions answer 410 Gone. */
  historyLimit?: number;
  now?: () => Date;
  /** Refuse namespaced writes into a namespace that does not exist (the NamespaceLifecycle check). */
  requireNamespace?: boolean;
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

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export class ObjectStore {
  readonly registry: ResourceRegistry;
  private readonly buckets = new Map<string, Bucket>();
  private readonly listeners = new Set<StoreListener>();
  private readonly admission = new AdmissionChain();
  private readonly queue: StoreEvent[] = [];
  private dispatching = false;
  private revision = 0;
  private nextServiceIp = 10;
  private readonly historyLimit: number;
  readonly now: () => Date;
  private readonly requireNamespace: boolean;
  private readonly onListenerError: (error: unknown) => void;
  /** uid → `storageKey|objectKey`, so garbage collection can tell whether an owner still exists. */
  readonly byUid = new Map<string, string>();
  /** owner uid → `storageKey|objectKey` of the objects that name it in ownerReferences. */
  readonly dependents = new Map<string, Set<string>>();

  constructor(options: StoreOptions) {
    this.registry = options.registry;
    this.historyLimit = options.historyLimit ?? 1000;
    this.now = options.now ?? (() => new Date());
    this.requireNamespace = options.requireNamespace ?? true;
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

  addAdmissionHook(hook: AdmissionHook): () => void {
    return this.admission.add(hook);
  }

  /** Every committed change, in order, after it is stored. Returns the unsubscribe function. */
  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(ref: ResourceRef, namespace: string | undefined, name: string): StoredObject {
    const r = this.resource(ref);
    const found = this.bucket(r).items.get(objectKey(r.namespaced ? namespace : undefined, name));
    if (!found) throw errors.notFound(r, name);
    return fromStorage(r, found);
  }

  /** Like get, but undefined instead of a 404. */
  find(ref: ResourceRef, namespace: string | undefined, name: string): StoredObject | undefined {
    const r = this.resource(ref);
    const found = this.bucket(r).items.get(objectKey(r.namespaced ? namespace : undefined, name));
    return found && fromStorage(r, found);
  }

  create(ref: ResourceRef, input: KubeObject, options: WriteOptions = {}): StoredObject {
    const r = this.resource(ref);
    const draft = this.prepareDraft(r, input);
    const namespace = r.namespaced ? draft.metadata.namespace : undefined;
    if (r.namespaced && !namespace) throw errors.badRequest('the namespace of the object is required');
    if (!draft.metadata.name && draft.metadata.generateName) {
      draft.metadata.name = draft.metadata.generateName + randomSuffix();
    }
    const name = draft.metadata.name ?? '';
    const causes = [...validateName(r, name), ...validateMetadataMaps(draft)];
    if (causes.length) throw errors.invalid(r, name, causes);
    if (namespace) this.checkNamespaceWritable(namespace, r);
    applyCreateDefaults(r, draft, { allocateClusterIP: () => this.allocateClusterIP() });
    this.admit('CREATE', r, draft, undefined, options);
    const bucket = this.bucket(r);
    if (bucket.items.has(objectKey(namespace, name))) throw errors.alreadyExists(r, name);
    const meta = draft.metadata;
    meta.uid = newUid();
    meta.creationTimestamp = formatTime(this.now());
    meta.generation = 1;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    if (options.dryRun) {
      delete meta.resourceVersion;
      return fromStorage(r, deepFreeze(draft as StoredObject));
    }
    return fromStorage(r, this.commit(bucket, 'ADDED', draft as StoredObject));
  }

  /**
   * Stores an object as given (uid, timestamps, status and ownerReferences kept; a fresh
   * resourceVersion), skipping defaults and admission. The scenario loader and snapshots use it.
   */
  load(ref: ResourceRef, input: KubeObject): StoredObject {
    const r = this.resource(ref);
    const draft = this.prepareDraft(r, input);
    const name = draft.metadata.name ?? '';
    const causes = validateName(r, name);
    if (causes.length) throw errors.invalid(r, name, causes);
    if (r.namespaced && !draft.metadata.namespace) draft.metadata.namespace = 'default';
    draft.metadata.uid ??= newUid();
    draft.metadata.creationTimestamp ??= formatTime(this.now());
    const bucket = this.bucket(r);
    const existing = bucket.items.get(objectKey(draft.metadata.namespace, name));
    return this.commit(bucket, existing ? 'MODIFIED' : 'ADDED', draft as StoredObject, existing);
  }

  update(ref: ResourceRef, input: KubeObject, options: UpdateOptions = {}): StoredObject {
    const r = this.resource(ref);
    const draft = this.prepareDraft(r, input);
    const name = draft.metadata.name ?? '';
    const namespace = r.namespaced ? draft.metadata.namespace : undefined;
    const bucket = this.bucket(r);
    const existing = bucket.items.get(objectKey(namespace, name));
    if (!existing) throw errors.notFound(r, name);
    const rv = draft.metadata.resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== existing.metadata.resourceVersion)
      throw errors.staleVersion(r, name);
    if (draft.metadata.uid !== undefined && draft.metadata.uid !== existing.metadata.uid) {
      throw errors.conflict(
        r,
        name,
        `Precondition failed: UID in precondition: ${draft.metadata.uid}, UID in object meta: ${existing.metadata.uid}`,
      );
    }
    return this.replace(r, bucket, existing, draft, options);
  }

  patch(
    ref: ResourceRef,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    options: UpdateOptions = {},
  ): StoredObject {
    const r = this.resource(ref);
    const bucket = this.bucket(r);
    const existing = bucket.items.get(objectKey(r.namespaced ? namespace : undefined, name));
    if (!existing) throw errors.notFound(r, name);
    const view = fromStorage(r, existing);
    const patched = applyPatch(r, type, view, patch) as KubeObject;
    if (typeof patched !== 'object' || patched === null || Array.isArray(patched)) {
      throw errors.badRequest('the patch did not produce an object');
    }
    const draft = this.prepareDraft(r, patched);
    const rv = draft.metadata?.resourceVersion;
    if (rv && rv !== existing.metadata.resourceVersion) throw errors.staleVersion(r, name);
    if (draft.metadata.name !== name || (r.namespaced && draft.metadata.namespace !== namespace)) {
      throw errors.invalid(r, name, [
        { field: 'metadata.name', message: 'Invalid value: field is immutable' },
      ]);
    }
    return this.replace(r, bucket, existing, draft, options);
  }

  /** Turns a read object back into a writable draft of the storage shape. */
  private prepareDraft(r: ResourceType, input: KubeObject): KubeObject {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw errors.badRequest(`Object 'Kind' is missing in '${JSON.stringify(input)}'`);
    }
    checkApiVersionAndKind(r, apiVersionOf(r), input);
    const draft = structuredClone({ ...input, apiVersion: apiVersionOf(r), kind: r.kind }) as KubeObject;
    if (typeof draft.metadata !== 'object' || draft.metadata === null) draft.metadata = {};
    if (!r.namespaced) delete draft.metadata.namespace;
    return toStorage(r, draft);
  }

  /** The shared tail of update and patch: immutable fields, subresource rules, generation. */
  private replace(
    r: ResourceType,
    bucket: Bucket,
    existing: StoredObject,
    draft: KubeObject,
    options: UpdateOptions,
  ): StoredObject {
    const old = existing.metadata;
    let next: KubeObject;
    if (options.subresource === 'status') {
      next = { ...structuredClone(existing), status: draft.status } as KubeObject;
    } else {
      next = draft;
      if (r.subresources.includes('status')) {
        if (existing.status === undefined) delete next.status;
        else next.status = structuredClone(existing.status);
      }
    }
    const meta = next.metadata;
    meta.name = old.name;
    if (old.namespace) meta.namespace = old.namespace;
    meta.uid = old.uid;
    meta.creationTimestamp = old.creationTimestamp;
    meta.generation = old.generation ?? 1;
    if (old.deletionTimestamp) {
      meta.deletionTimestamp = old.deletionTimestamp;
      meta.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds;
    } else {
      delete meta.deletionTimestamp;
      delete meta.deletionGracePeriodSeconds;
    }
    const causes = validateMetadataMaps(next);
    if (causes.length) throw errors.invalid(r, old.name, causes);
    if (specFingerprint(next) !== specFingerprint(existing)) meta.generation = (old.generation ?? 1) + 1;
    this.admit('UPDATE', r, next, existing, options, options.subresource);
    meta.resourceVersion = old.resourceVersion;
    if (JSON.stringify(next) === JSON.stringify(existing)) return fromStorage(r, existing);
    if (options.dryRun) return fromStorage(r, deepFreeze(next as StoredObject));
    const stored = next as StoredObject;
    if (meta.deletionTimestamp && !(meta.finalizers ?? []).length) {
      const removed = this.remove(bucket, existing, stored);
      this.onRemoved(removed);
      return fromStorage(r, removed);
    }
    return fromStorage(r, this.commit(bucket, 'MODIFIED', stored, existing));
  }

  /** Called after the last finalizer goes and an object is removed; the full store collects garbage here. */
  protected onRemoved(_object: StoredObject): void {}

  admit(
    operation: AdmissionOperation,
    r: ResourceType,
    object: KubeObject | undefined,
    old: StoredObject | undefined,
    options: WriteOptions,
    subresource?: 'status' | 'scale',
  ): void {
    const meta = object?.metadata ?? old?.metadata ?? {};
    this.admission.run({
      operation,
      resource: r,
      subresource,
      namespace: r.namespaced ? meta.namespace : undefined,
      name: meta.name ?? '',
      object,
      oldObject: old,
      user: options.user,
      dryRun: options.dryRun ?? false,
    });
  }

  private checkNamespaceWritable(namespace: string, r: ResourceType): void {
    if (!this.requireNamespace) return;
    const ns = this.bucket(this.resource('namespaces')).items.get(namespace);
    if (!ns) throw errors.notFound({ group: '', plural: 'namespaces' }, namespace);
    if (ns.metadata.deletionTimestamp) {
      throw errors.forbidden(
        `${r.plural} is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
        r,
      );
    }
  }

  private allocateClusterIP(): string {
    const n = this.nextServiceIp++;
    return `10.96.${Math.floor(n / 254) % 256}.${(n % 254) + 1}`;
  }

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
