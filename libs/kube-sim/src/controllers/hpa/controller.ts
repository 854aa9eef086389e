// The HorizontalPodAutoscaler controller as a kube-sim Controller: one work queue keyed by HPA,
// woken when an HPA is created or its spec changes through the API and then every sync period.
// An HPA loaded from a scenario keeps its captured status until its spec is changed.
import { type Controller } from '../controller';
import { isResource, keyOf, queueController, type QueueControllerOptions } from '../queue-controller';
import { storedPodMetrics, type PodMetricsSource } from './metrics';
import { syncHpa } from './hpa';

export interface HpaControllerOptions extends QueueControllerOptions {
  /** How often each HPA is evaluated (default 15 s). */
  syncPeriodMs?: number;
  /** The default scale-down stabilization window (default 300 s). */
  downscaleStabilizationMs?: number;
  /** Stands in for metrics-server; default: the PodMetrics objects in the store. */
  podMetrics?: PodMetricsSource;
}

export function hpaController(options: HpaControllerOptions = {}): Controller {
  const recommendations = new Map<string, { at: number; replicas: number }[]>();
  return queueController(
    'horizontal-pod-autoscaler',
    options,
    (store, events, ns, name) =>
      syncHpa(
        {
          store,
          events,
          podMetrics: options.podMetrics ?? storedPodMetrics(store),
          syncPeriodMs: options.syncPeriodMs ?? 15_000,
          downscaleStabilizationMs: options.downscaleStabilizationMs ?? 300_000,
          recommendations,
        },
        ns,
        name,
      ),
    (e, _store, queue) => {
      if (!isResource(e, 'autoscaling', 'horizontalpodautoscalers') || e.type === 'DELETED') return;
      // Its own status writes do not wake it: only a new HPA or a spec change (a new generation).
      if (e.type === 'ADDED' || e.object.metadata.generation !== e.oldObject?.metadata.generation) {
        queue.add(keyOf(e.object));
      }
    },
  );
}
