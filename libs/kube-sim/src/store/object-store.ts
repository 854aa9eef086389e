// The object store: the API server's rules for get, create, update, patch and load (names,
// generateName, immutable fields, status subresource, generation, defaulting, admission,
// optimistic concurrency) on top of the storage layer (storage.ts). Deletion (finalizers, cascade)
// lives in deletion.ts, list pagination and selectors in list.ts, watch registration in watch.ts.
import { applyCreateDefaults } from '../api/defaults';
import { apiVersionOf, type ResourceType } from '../api/resources';
import { errors } from '../api/status';
import { fromStorage, toStorage } from '../api/views';
import { applyPatch, type PatchType } from '../patch';
import { type KubeObject, type StoredObject, type UserInfo } from '../types';
import { AdmissionChain, type AdmissionHook, type AdmissionOperation } from './admission';
import {
  checkApiVersionAndKind,
  formatTime,
  newUid,
  randomSuffix,
  specFingerprint,
  validateMetadataMaps,
  validateName,
} from './meta';
import {
  type Bucket,
  deepFreeze,
  objectKey,
  type ResourceRef,
  Storage,
  type StorageOptions,
} from './storage';

export interface WriteOptions {
  /** `dryRun=All`: run every check and hook, store nothing. */
  dryRun?: boolean;
  user?: UserInfo;
}

export interface UpdateOptions extends WriteOptions {
  subresource?: 'status';
}

export interface StoreOptions extends StorageOptions {
  /** Refuse namespaced writes into a namespace that does not exist (the NamespaceLifecycle check). */
  requireNamespace?: boolean;
}

export class ObjectStore extends Storage {
  private readonly admission = new AdmissionChain();
  private readonly requireNamespace: boolean;
  private nextServiceIp = 10;

  constructor(options: StoreOptions) {
    super(options);
    this.requireNamespace = options.requireNamespace ?? true;
  }

  addAdmissionHook(hook: AdmissionHook): () => void {
    return this.admission.add(hook);
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
    const uid = newUid();
    applyCreateDefaults(r, draft, { allocateClusterIP: () => this.allocateClusterIP(), uid });
    this.admit('CREATE', r, draft, undefined, options);
    const bucket = this.bucket(r);
    if (bucket.items.has(objectKey(namespace, name))) throw errors.alreadyExists(r, name);
    const meta = draft.metadata;
    meta.uid = uid;
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
}
