// Tells changes made through the API (create, update, patch, delete, garbage collection) from
// objects put in place by store.load() (scenarios). Controllers react only to the former, so a
// loaded scenario keeps the status it was captured with until something changes it after load:
// a replayed incident stays broken until someone (or a remediation) acts on it.
//
// How: load() skips admission, while every API write passes it with the very object that is then
// committed. A validating hook (it runs after every mutating hook, so it sees the final object)
// remembers that object; a change event carrying it came through the API. Deletions never come
// from load(), and neither does a deletionTimestamp appearing.
import { type KubeStore, type StoreEvent } from '../store';

export class ApiWriteTracker {
  private readonly written = new WeakSet<object>();
  private detach?: () => void;

  attach(store: KubeStore): void {
    this.detach = store.addAdmissionHook({
      name: 'kube-sim-api-writes',
      operations: ['CREATE', 'UPDATE'],
      validate: (request) => {
        if (!request.dryRun && request.object) this.written.add(request.object);
      },
    });
  }

  stop(): void {
    this.detach?.();
    this.detach = undefined;
  }

  /** True when the change came through the API rather than a scenario load. */
  isApiChange(event: StoreEvent): boolean {
    if (event.type === 'DELETED' || this.written.has(event.object)) return true;
    return Boolean(event.object.metadata.deletionTimestamp && !event.oldObject?.metadata.deletionTimestamp);
  }
}
