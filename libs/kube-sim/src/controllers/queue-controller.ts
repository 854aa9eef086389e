// The shape most simulated controllers share: one work queue of `namespace/name` keys, fed by a
// routing function that sees only changes made through the API (../api-writes.ts), and a sync
// that reconciles one key. Objects loaded from a scenario therefore stay as captured until
// something acts on them. The workload, job, statefulset, daemonset and HPA controllers use it.
import { type KubeStore, type StoreEvent } from '../store';
import { type StoredObject } from '../types';
import { ApiWriteTracker } from './api-writes';
import { type Controller } from './controller';
import { EventRecorder } from './events';
import { WorkQueue, type ReconcileResult } from './work-queue';

export interface QueueControllerOptions {
  /** First retry delay after a failed sync (default 100 ms), doubling per failure. */
  baseBackoffMs?: number;
  /** Largest retry delay (default 30 s). */
  maxBackoffMs?: number;
  onError?: (error: unknown, key: string) => void;
}

export type SyncFunction = (
  store: KubeStore,
  events: EventRecorder,
  namespace: string,
  name: string,
) => ReconcileResult;

/** Routes a change to the keys it wakes; `queue.add(key)` for each. */
export type RouteFunction = (e: StoreEvent, store: KubeStore, queue: WorkQueue) => void;

export const isResource = (e: StoreEvent, group: string, plural: string): boolean =>
  e.resource.group === group && e.resource.plural === plural;

export const keyOf = (o: StoredObject): string => `${o.metadata.namespace}/${o.metadata.name}`;

/** Runs `sync(namespace, name)` from a work queue fed by `route`, for API changes only. */
export function queueController(
  name: string,
  options: QueueControllerOptions,
  sync: SyncFunction,
  route: RouteFunction,
): Controller {
  const tracker = new ApiWriteTracker();
  let queue: WorkQueue | undefined;
  let unsubscribe: (() => void) | undefined;
  return {
    name,
    start({ store }) {
      tracker.attach(store);
      const events = new EventRecorder(store, { component: name });
      const q = (queue = new WorkQueue({
        name,
        baseBackoffMs: options.baseBackoffMs,
        maxBackoffMs: options.maxBackoffMs,
        onError: options.onError,
        reconcile: (key) => {
          const slash = key.indexOf('/');
          return sync(store, events, key.slice(0, slash), key.slice(slash + 1));
        },
      }));
      unsubscribe = store.subscribe((e) => {
        if (tracker.isApiChange(e)) route(e, store, q);
      });
    },
    stop() {
      unsubscribe?.();
      queue?.stop();
      tracker.stop();
    },
  };
}
