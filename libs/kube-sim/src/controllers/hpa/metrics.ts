// What the HPA reads from the resource metrics API (metrics.k8s.io, as metrics-server serves it):
// per pod, per container usage of cpu or memory. kube-sim's containers use no CPU of their own, so
// usage comes from PodMetrics objects in the store (scenarios load them; tests may too), or from
// the controller's `podMetrics` option, which stands in for metrics-server.
import { type KubeStore } from '../../store';
import { type StoredObject } from '../../types';
import { parseQuantity } from '../quota/quantity';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Per container name, usage as Kubernetes quantities (`{ app: { cpu: '80m', memory: '120Mi' } }`). */
export type ContainerUsage = Record<string, Record<string, string>>;

/** Usage of a pod's containers, or undefined when metrics-server has none for it. */
export type PodMetricsSource = (pod: StoredObject) => ContainerUsage | undefined;

export function storedPodMetrics(store: KubeStore): PodMetricsSource {
  return (pod) => {
    const m = store.find('pods.metrics.k8s.io', pod.metadata.namespace, pod.metadata.name) as
      Json | undefined;
    if (!m) return undefined;
    return Object.fromEntries(((m.containers ?? []) as Json[]).map((c) => [c.name, { ...(c.usage ?? {}) }]));
  };
}

/** Nano-units (1 CPU = 1e9, 1 byte = 1e9) of a quantity, 0 when absent or unparsable. */
export function nanos(q: unknown): bigint {
  return parseQuantity(q)?.nanos ?? 0n;
}
