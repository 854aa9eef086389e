// The HPA's replica calculation for Resource metrics (pkg/controller/podautoscaler
// replica_calculator.go), with its error texts: usage over the ready pods that have metrics against
// their containers' requests, a 10% tolerance, ceil(ratio x pods) otherwise.
import { type StoredObject } from '../../types';
import { isPodReady } from '../workloads/objects';
import { nanos, type PodMetricsSource } from './metrics';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const TOLERANCE = 0.1;

export interface ResourceProposal {
  replicas: number;
  /** Percent of request (Utilization targets). */
  utilization?: number;
  /** Average usage per pod, in nano-units. */
  averageNanos: bigint;
}

export function resourceProposal(
  metric: Json,
  currentReplicas: number,
  pods: StoredObject[],
  source: PodMetricsSource,
): ResourceProposal {
  const resource: string = metric.resource?.name ?? '';
  const target: Json = metric.resource?.target ?? {};
  const measured = pods.map((pod) => ({ pod, usage: source(pod) })).filter((m) => m.usage);
  if (!measured.length) {
    throw new Error(
      `unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`,
    );
  }
  let usage = 0n;
  let requests = 0n;
  for (const { pod, usage: containers } of measured) {
    for (const c of ((pod as Json).spec?.containers ?? []) as Json[]) {
      const request = c.resources?.requests?.[resource];
      if (target.type === 'Utilization' && request === undefined) {
        throw new Error(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name}`);
      }
      requests += nanos(request);
      usage += nanos(containers![c.name]?.[resource]);
    }
  }
  // Pods not yet ready (and pods without metrics) are left out of the ratio as the real calculator
  // leaves them out of a scale-up.
  const counted = measured.filter((m) => isPodReady(m.pod)).length || measured.length;
  const averageNanos = usage / BigInt(measured.length);
  if (target.type === 'Utilization') {
    const utilization = requests > 0n ? Number((usage * 100n) / requests) : 0;
    const ratio = utilization / Number(target.averageUtilization ?? 100);
    const replicas = Math.abs(ratio - 1) <= TOLERANCE ? currentReplicas : Math.ceil(ratio * counted);
    return { replicas, utilization, averageNanos };
  }
  const want = nanos(target.averageValue ?? target.value);
  const ratio = want > 0n ? Number(averageNanos) / Number(want) : 1;
  const replicas = Math.abs(ratio - 1) <= TOLERANCE ? currentReplicas : Math.ceil(ratio * counted);
  return { replicas, averageNanos };
}
