// The Job controller as a kube-sim Controller: its validation at admission, and a work queue
// woken by API changes to Jobs and to the pods they control (../queue-controller.ts), so a Job
// loaded from a scenario keeps its captured status until something acts on it.
import { type Controller } from '../controller';
import { controllerOf } from '../owners';
import { isResource, keyOf, queueController, type QueueControllerOptions } from '../queue-controller';
import { JOBS, syncJob } from './job';
import { validateJobTemplate } from './validation';

export interface JobControllerOptions extends QueueControllerOptions {
  /** First wait before a failed pod is replaced (default 10 s), doubling per failure. */
  podBackoffMs?: number;
  /** Longest wait (default 6 min). */
  maxPodBackoffMs?: number;
}

export function jobController(options: JobControllerOptions = {}): Controller {
  const podBackoffMs = options.podBackoffMs ?? 10_000;
  const maxPodBackoffMs = options.maxPodBackoffMs ?? 360_000;
  const inner = queueController(
    'job-controller',
    options,
    (store, events, ns, name) => syncJob({ store, events, podBackoffMs, maxPodBackoffMs }, ns, name),
    (e, _store, queue) => {
      if (isResource(e, 'batch', 'jobs') && e.type !== 'DELETED') queue.add(keyOf(e.object));
      if (isResource(e, '', 'pods')) {
        const owner = controllerOf(e.object);
        if (owner?.kind === 'Job') queue.add(`${e.object.metadata.namespace}/${owner.name}`);
      }
    },
  );
  let removeHook: (() => void) | undefined;
  return {
    name: inner.name,
    start(host) {
      removeHook = host.store.addAdmissionHook({
        name: 'job-validation',
        resources: [JOBS, 'cronjobs.batch'],
        operations: ['CREATE', 'UPDATE'],
        validate: validateJobTemplate,
      });
      return inner.start(host);
    },
    stop() {
      removeHook?.();
      return inner.stop();
    },
  };
}
