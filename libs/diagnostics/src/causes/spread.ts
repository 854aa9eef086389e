// Replicas a required pod anti-affinity can never place. A workload whose pods repel each other on a
// topology key (one per node, one per zone) holds at most one pod per topology domain; replicas
// beyond the domains that exist stay Pending for good, whatever else frees up. Scaling back to the
// pods already placed removes only pods that never ran: a ReplicaSet scaling down deletes
// unscheduled pods first (pkg/controller/replicaset, getPodsToDelete / ActivePods ordering).
import { type Lookup } from '../lookup';
import { type Deployment, type Pod } from '../snapshot';
import { matchesSelector } from '../util/selectors';

const ANTI_AFFINITY = /didn't match pod anti-affinity rules/;

export interface SpreadCeiling {
  deployment: Deployment;
  /** Pods of the workload already on a node: the domains its anti-affinity lets it fill. */
  placed: number;
  topologyKey: string;
}

/**
 * When every node refused a pod only for its required anti-affinity against its own workload's
 * pods, the replica count its topology can hold: the pods already placed.
 */
export function spreadCeiling(l: Lookup, pod: Pod, message: string): SpreadCeiling | undefined {
  const reasons = message.split(/:\s*/).slice(1).join(': ');
  if (!ANTI_AFFINITY.test(reasons)) return undefined;
  // Any other reason (resources, taints) means a node could open up: not a ceiling.
  const others = reasons
    .replace(/preemption:.*$/, '')
    .split(/,\s*/)
    .filter((r) => r.trim() && !ANTI_AFFINITY.test(r));
  if (others.length) return undefined;
  const ref = l.workloadOf(pod);
  const deployment = ref?.kind === 'Deployment' ? l.get('deployments', ref.namespace, ref.name) : undefined;
  const terms = pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  const self = terms.find((t) => matchesSelector(pod.metadata.labels, t.labelSelector));
  if (!deployment || !self) return undefined;
  const placed = l.podsOf(ref!).filter((p) => p.spec.nodeName && !p.metadata.deletionTimestamp).length;
  if (placed < 1 || placed >= (deployment.spec.replicas ?? 1)) return undefined;
  return { deployment, placed, topologyKey: self.topologyKey };
}
