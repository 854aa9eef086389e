// The StatefulSet controller as a kube-sim Controller: one work queue keyed by StatefulSet, woken
// by API changes to StatefulSets and to the pods they control (../queue-controller.ts), so a
// StatefulSet loaded from a scenario keeps its captured status until something acts on it.
import { type Controller } from '../controller';
import { controllerOf } from '../owners';
import { isResource, keyOf, queueController, type QueueControllerOptions } from '../queue-controller';
import { syncStatefulSet } from './statefulset';

export type StatefulSetControllerOptions = QueueControllerOptions;

export function statefulSetController(options: StatefulSetControllerOptions = {}): Controller {
  return queueController(
    'statefulset-controller',
    options,
    (store, events, ns, name) => syncStatefulSet({ store, events }, ns, name),
    (e, _store, queue) => {
      if (isResource(e, 'apps', 'statefulsets') && e.type !== 'DELETED') queue.add(keyOf(e.object));
      if (isResource(e, '', 'pods')) {
        const owner = controllerOf(e.object);
        if (owner?.kind === 'StatefulSet') queue.add(`${e.object.metadata.namespace}/${owner.name}`);
      }
    },
  );
}
