// The ReplicaSet and Deployment controllers as kube-sim Controllers: which changes wake which
// object, and one work queue each. Only changes made through the API wake them (see
// ../api-writes.ts), so objects loaded from a scenario stay as captured until something acts on
// them: a spec change, a pod deleted, a quota removed.
import { type KubeStore, type StoreEvent } from '../../store';
import { type StoredObject } from '../../types';
import { ApiWriteTracker } from '../api-writes';
import { type Controller } from '../controller';
import { EventRecorder } from '../events';
import { WorkQueue, type ReconcileResult } from '../work-queue';
import { DEPLOYMENTS } from './deployment-replicasets';
import { syncDeployment } from './deployment';
import { REPLICASETS, syncReplicaSet } from './replicaset';
import { specReplicas, statusReplicas } from './rollout';
import { controllerOf } from '../owners';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface WorkloadControllerOptions {
  /** Most pods one ReplicaSet sync creates or deletes (default 500, as the real controller). */
  burstReplicas?: number;
  /** First retry delay after a refused create or a failed sync (default 100 ms), doubling per failure. */
  baseBackoffMs?: number;
  /** Largest retry delay (default 30 s). */
  maxBackoffMs?: number;
  onError?: (error: unknown, key: string) => void;
}

const is = (e: StoreEvent, group: string, plural: string) =>
  e.resource.group === group && e.resource.plural === plural;
const keyOf = (o: StoredObject) => `${o.metadata.namespace}/${o.metadata.name}`;

/** Runs `sync(namespace, name)` from a work queue fed by `route`, for API changes only. */
function queueController(
  name: string,
  options: WorkloadControllerOptions,
  sync: (store: KubeStore, events: EventRecorder, namespace: string, name: string) => ReconcileResult,
  route: (e: StoreEvent, store: KubeStore, queue: WorkQueue) => void,
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

export function replicaSetController(options: WorkloadControllerOptions = {}): Controller {
  const burstReplicas = options.burstReplicas ?? 500;
  return queueController(
    'replicaset-controller',
    options,
    (store, events, ns, name) => syncReplicaSet({ store, events, burstReplicas }, ns, name),
    (e, store, queue) => {
      if (is(e, 'apps', 'replicasets') && e.type !== 'DELETED') queue.add(keyOf(e.object));
      if (is(e, '', 'pods')) {
        const owner = controllerOf(e.object);
        if (owner?.kind === 'ReplicaSet') queue.add(`${e.object.metadata.namespace}/${owner.name}`);
      }
      // A quota or limit range that changed may now admit what it refused: retry the ReplicaSets
      // that are short of pods at once rather than after their backoff (up to ~16 min for real).
      if (is(e, '', 'resourcequotas') || is(e, '', 'limitranges')) {
        for (const rs of store.list(REPLICASETS, { namespace: e.object.metadata.namespace }).items) {
          const failing = ((rs as Json).status?.conditions ?? []).some(
            (c: Json) => c.type === 'ReplicaFailure',
          );
          if (failing || statusReplicas(rs as Json) < specReplicas(rs as Json)) {
            queue.forget(keyOf(rs));
            queue.add(keyOf(rs));
          }
        }
      }
    },
  );
}

export function deploymentController(options: WorkloadControllerOptions = {}): Controller {
  return queueController(
    'deployment-controller',
    options,
    (store, events, ns, name) => syncDeployment({ store, events }, ns, name),
    (e, store, queue) => {
      if (is(e, 'apps', 'deployments') && e.type !== 'DELETED') queue.add(keyOf(e.object));
      if (is(e, 'apps', 'replicasets')) {
        const owner = controllerOf(e.object);
        if (owner?.kind === 'Deployment') queue.add(`${e.object.metadata.namespace}/${owner.name}`);
      }
      // A Recreate rollout waits for the old pods to be gone.
      if (is(e, '', 'pods') && e.type === 'DELETED') {
        const rsRef = controllerOf(e.object);
        const rs =
          rsRef?.kind === 'ReplicaSet' && store.find(REPLICASETS, e.object.metadata.namespace, rsRef.name);
        const owner = rs ? controllerOf(rs) : undefined;
        if (
          owner?.kind === 'Deployment' &&
          store.find(DEPLOYMENTS, e.object.metadata.namespace, owner.name)
        ) {
          queue.add(`${e.object.metadata.namespace}/${owner.name}`);
        }
      }
    },
  );
}
