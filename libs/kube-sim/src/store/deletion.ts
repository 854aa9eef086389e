// Deletion as the API server and its garbage collector do it, synchronously: preconditions,
// finalizers (deletionTimestamp set, object kept until the last finalizer is removed),
// ownerReference cascade with propagationPolicy Background (dependents after the owner),
// Foreground (owner waits behind `foregroundDeletion` until its dependents are gone) and Orphan
// (dependents lose the ownerReference), and namespace termination (content first, then the namespace).
import { type ResourceType } from '../api/resources';
import { errors } from '../api/status';
import { fromStorage } from '../api/views';
import { type StoredObject } from '../types';
import { formatTime } from './meta';
import { type ObjectStore, type WriteOptions } from './object-store';
import { objectKey, type Bucket } from './storage';

export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

export interface DeleteOptions extends WriteOptions {
  propagationPolicy?: PropagationPolicy;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface DeleteResult {
  /** The object as deleted, or as it now waits for finalizers. */
  object: StoredObject;
  /** False while finalizers (or foreground dependents) hold the object. */
  finished: boolean;
}

const FOREGROUND = 'foregroundDeletion';

export class Deleter {
  constructor(private readonly store: ObjectStore) {}

  delete(
    r: ResourceType,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): DeleteResult {
    const bucket = this.store.bucket(r);
    const existing = bucket.items.get(objectKey(r.namespaced ? namespace : undefined, name));
    if (!existing) throw errors.notFound(r, name);
    const pre = options.preconditions ?? {};
    if (pre.uid && pre.uid !== existing.metadata.uid) {
      throw errors.conflict(
        r,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${existing.metadata.uid}`,
      );
    }
    if (pre.resourceVersion && pre.resourceVersion !== existing.metadata.resourceVersion) {
      throw errors.conflict(
        r,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${existing.metadata.resourceVersion}`,
      );
    }
    this.store.admit('DELETE', r, undefined, existing, options);
    if (options.dryRun) return { object: fromStorage(r, existing), finished: true };
    const out = this.deleteStored(bucket, existing, options.propagationPolicy ?? 'Background');
    return { object: fromStorage(r, out.object), finished: out.finished };
  }

  private deleteStored(bucket: Bucket, existing: StoredObject, policy: PropagationPolicy): DeleteResult {
    const isNamespace = bucket.resource.group === '' && bucket.resource.plural === 'namespaces';
    if (policy === 'Orphan') this.orphanDependents(existing.metadata.uid);
    const finalizers = [...(existing.metadata.finalizers ?? [])];
    const hasDependents = (this.store.dependents.get(existing.metadata.uid)?.size ?? 0) > 0;
    if (policy === 'Foreground' && hasDependents && !finalizers.includes(FOREGROUND))
      finalizers.push(FOREGROUND);
    if (finalizers.length === 0 && !isNamespace) {
      const object = this.store.remove(bucket, existing);
      this.afterRemoval(object);
      return { object, finished: true };
    }
    let current = existing;
    if (
      !existing.metadata.deletionTimestamp ||
      finalizers.length !== (existing.metadata.finalizers ?? []).length
    ) {
      const next = structuredClone(existing) as StoredObject;
      next.metadata.deletionTimestamp ??= formatTime(this.store.now());
      next.metadata.deletionGracePeriodSeconds ??= 0;
      if (finalizers.length) next.metadata.finalizers = finalizers;
      if (isNamespace)
        (next as { status?: unknown }).status = { ...((next.status as object) ?? {}), phase: 'Terminating' };
      current = this.store.commit(bucket, 'MODIFIED', next, existing);
    }
    if (policy === 'Foreground') this.deleteDependents(existing.metadata.uid, 'Foreground');
    if (isNamespace) this.sweepNamespace(existing.metadata.name);
    const after = bucket.items.get(objectKey(current.metadata.namespace, current.metadata.name));
    if (after && isNamespace) this.finishNamespaceIfEmpty(after.metadata.name);
    if (after) this.releaseForeground(after);
    const final = bucket.items.get(objectKey(current.metadata.namespace, current.metadata.name));
    return final ? { object: final, finished: false } : { object: current, finished: true };
  }

  /** Garbage collection and owner bookkeeping once an object is really gone. */
  afterRemoval(object: StoredObject): void {
    this.deleteDependents(object.metadata.uid, 'Background');
    for (const owner of object.metadata.ownerReferences ?? []) {
      const found = this.findByUid(owner.uid);
      if (found) this.releaseForeground(found.object);
    }
    const ns = object.metadata.namespace;
    if (ns) this.finishNamespaceIfEmpty(ns);
  }

  private findByUid(uid: string): { bucket: Bucket; object: StoredObject } | undefined {
    const ref = this.store.byUid.get(uid);
    return ref ? this.store.resolveRef(ref) : undefined;
  }

  /** Deletes the dependents of a removed (or foreground-deleting) owner that have no other live owner. */
  private deleteDependents(ownerUid: string, policy: PropagationPolicy): void {
    const refs = [...(this.store.dependents.get(ownerUid) ?? [])];
    for (const ref of refs) {
      const dep = this.store.resolveRef(ref);
      if (!dep || dep.object.metadata.deletionTimestamp) continue;
      const otherOwners = (dep.object.metadata.ownerReferences ?? []).filter(
        (o) => o.uid !== ownerUid && this.store.byUid.has(o.uid),
      );
      if (otherOwners.length === 0) this.deleteStored(dep.bucket, dep.object, policy);
    }
  }

  private orphanDependents(ownerUid: string): void {
    for (const ref of [...(this.store.dependents.get(ownerUid) ?? [])]) {
      const dep = this.store.resolveRef(ref);
      if (!dep) continue;
      const next = structuredClone(dep.object) as StoredObject;
      next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter((o) => o.uid !== ownerUid);
      if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
      this.store.commit(dep.bucket, 'MODIFIED', next, dep.object);
    }
  }

  /** Drops `foregroundDeletion` from an owner whose dependents are all gone, finishing its deletion. */
  private releaseForeground(owner: StoredObject): void {
    const finalizers = owner.metadata.finalizers ?? [];
    if (!owner.metadata.deletionTimestamp || !finalizers.includes(FOREGROUND)) return;
    if ((this.store.dependents.get(owner.metadata.uid)?.size ?? 0) > 0) return;
    const ref = this.store.byUid.get(owner.metadata.uid);
    const found = ref ? this.store.resolveRef(ref) : undefined;
    if (!found) return;
    const next = structuredClone(owner) as StoredObject;
    next.metadata.finalizers = finalizers.filter((f) => f !== FOREGROUND);
    if (next.metadata.finalizers.length === 0) {
      delete next.metadata.finalizers;
      this.afterRemoval(this.store.remove(found.bucket, owner, next));
    } else {
      this.store.commit(found.bucket, 'MODIFIED', next, owner);
    }
  }

  private sweepNamespace(namespace: string): void {
    for (const bucket of this.store.allBuckets()) {
      if (!bucket.resource.namespaced) continue;
      for (const object of [...(bucket.byNamespace.get(namespace)?.values() ?? [])]) {
        if (!object.metadata.deletionTimestamp) this.deleteStored(bucket, object, 'Background');
      }
    }
  }

  private finishNamespaceIfEmpty(namespace: string): void {
    const nsBucket = this.store.bucket(this.store.resource('namespaces'));
    const ns = nsBucket.items.get(namespace);
    if (!ns?.metadata.deletionTimestamp || (ns.metadata.finalizers ?? []).length) return;
    const occupied = this.store
      .allBuckets()
      .some((b) => b.resource.namespaced && (b.byNamespace.get(namespace)?.size ?? 0) > 0);
    if (!occupied) this.store.remove(nsBucket, ns);
  }
}
