// The DaemonSet controller as a kube-sim Controller: one work queue keyed by DaemonSet, woken by
// API changes to DaemonSets, to the pods they control, and to Nodes (a node added, relabelled,
// tainted or removed changes where daemons should run). A DaemonSet loaded from a scenario keeps
// its captured status until it or one of its pods is changed through the API: node changes wake
// only the DaemonSets the controller already manages.
import { type Controller } from '../controller';
import { controllerOf } from '../owners';
import { isResource, keyOf, queueController, type QueueControllerOptions } from '../queue-controller';
import { syncDaemonSet } from './daemonset';

export type DaemonSetControllerOptions = QueueControllerOptions;

export function daemonSetController(options: DaemonSetControllerOptions = {}): Controller {
  const managed = new Set<string>();
  return queueController(
    'daemonset-controller',
    options,
    (store, events, ns, name) => syncDaemonSet({ store, events }, ns, name),
    (e, _store, queue) => {
      if (isResource(e, 'apps', 'daemonsets')) {
        if (e.type === 'DELETED') managed.delete(keyOf(e.object));
        else {
          managed.add(keyOf(e.object));
          queue.add(keyOf(e.object));
        }
      }
      if (isResource(e, '', 'pods')) {
        const owner = controllerOf(e.object);
        if (owner?.kind !== 'DaemonSet') return;
        managed.add(`${e.object.metadata.namespace}/${owner.name}`);
        queue.add(`${e.object.metadata.namespace}/${owner.name}`);
      }
      if (isResource(e, '', 'nodes')) {
        for (const key of managed) queue.add(key);
      }
    },
  );
}
