// The store as the server and in-process callers use it: the object store plus list, watch and
// delete. Writes go through defaulting and admission hooks; reads return frozen shared objects.
import { type ResourceType } from '../api/resources';
import { type StoredObject } from '../types';
import { Deleter, type DeleteOptions, type DeleteResult } from './deletion';
import { listBucket, type ListOptions, type ListResult } from './list';
import { ObjectStore, type StoreOptions } from './object-store';
import { type ResourceRef } from './storage';
import { watchStore, type StoreWatch, type WatchEvent, type WatchOptions } from './watch';

export class KubeStore extends ObjectStore {
  private readonly deleter: Deleter;

  constructor(options: StoreOptions) {
    super(options);
    this.deleter = new Deleter(this);
  }

  list(ref: ResourceRef, options: ListOptions = {}): ListResult {
    const r = this.resource(ref);
    return listBucket(r, this.bucket(r), this.resourceVersion, options);
  }

  /** Follows changes; throws a 410 StatusError when `resourceVersion` is older than the history. */
  watch(ref: ResourceRef, options: WatchOptions, onEvent: (event: WatchEvent) => void): StoreWatch {
    return watchStore(this, this.resource(ref), options, onEvent);
  }

  delete(
    ref: ResourceRef,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): DeleteResult {
    return this.deleter.delete(this.resource(ref), namespace, name, options);
  }

  /** Deletes every object a list with the same options returns; gives back what was deleted. */
  deleteCollection(ref: ResourceRef, listOptions: ListOptions, options: DeleteOptions = {}): StoredObject[] {
    const r: ResourceType = this.resource(ref);
    const { items } = this.list(r, { ...listOptions, limit: undefined, continue: undefined });
    const out: StoredObject[] = [];
    for (const item of items) {
      if (!this.find(r, item.metadata.namespace, item.metadata.name)) continue;
      out.push(this.delete(r, item.metadata.namespace, item.metadata.name, options).object);
    }
    return out;
  }

  protected override onRemoved(object: StoredObject): void {
    this.deleter.afterRemoval(object);
  }
}

export type { AdmissionHook, AdmissionOperation, AdmissionRequest } from './admission';
export type { DeleteOptions, DeleteResult, PropagationPolicy } from './deletion';
export type { ListOptions, ListResult } from './list';
export type { StoreOptions, UpdateOptions, WriteOptions } from './object-store';
export type { ResourceRef, StoreEvent, StoreListener } from './storage';
export type { StoreWatch, WatchEvent, WatchOptions } from './watch';
