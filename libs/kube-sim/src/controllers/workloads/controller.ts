// The ReplicaSet and Deployment controllers as kube-sim Controllers: which changes wake which
// object, and one work queue each. Only changes made through the API wake them (see
// ../api-writes.ts), so objects loaded from a scenario stay as captured until something acts on
// them: a spec change, a pod deleted, a quota removed.
import { type Controller } from '../controller';
import { isResource, keyOf, queueController, type QueueControllerOptions } from '../queue-controller';
import { DEPLOYMENTS } from './deployment-replicasets';
import { syncDeployment } from './deployment';
import { REPLICASETS, syncReplicaSet } from './replicaset';
import { specReplicas, statusReplicas } from './rollout';
import { controllerOf } from '../owners';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface WorkloadControllerOptions extends QueueControllerOptions {
  /** Most pods one ReplicaSet sync creates or deletes (default 500, as the real controller). */
  burstReplicas?: number;
}

export function replicaSetController(options: WorkloadControllerOptions = {}): Controller {
  const burstReplicas = options.burstReplicas ?? 500;
  return queueController(
    'replicaset-controller',
    options,
    (store, events, ns, name) => syncReplicaSet({ store, events, burstReplicas }, ns, name),
    (e, store, queue) => {
      if (isResource(e, 'apps', 'replicasets') && e.type !== 'DELETED') queue.add(keyOf(e.object));
      if (isResource(e, '', 'pods')) {
        const owner = controllerOf(e.object);
        if (owner?.kind === 'ReplicaSet') queue.add(`${e.object.metadata.namespace}/${owner.name}`);
      }
      // A quota or limit range that changed may now admit what it refused: retry the ReplicaSets
      // that are short of pods at once rather than after their backoff (up to ~16 min for real).
      if (isResource(e, '', 'resourcequotas') || isResource(e, '', 'limitranges')) {
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
      if (isResource(e, 'apps', 'deployments') && e.type !== 'DELETED') queue.add(keyOf(e.object));
      if (isResource(e, 'apps', 'replicasets')) {
        const owner = controllerOf(e.object);
        if (owner?.kind === 'Deployment') queue.add(`${e.object.metadata.namespace}/${owner.name}`);
      }
      // A Recreate rollout waits for the old pods to be gone.
      if (isResource(e, '', 'pods') && e.type === 'DELETED') {
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
