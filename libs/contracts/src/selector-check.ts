// Whether a Service selector may be set: it must match running pods, all of one workload, and the
// workload the Service selected before, if it selected one. A selector fix never moves traffic to
// another workload's pods. Pure over the namespace's pods; the agent and the manager both call it.
import { formatLabels } from './object-edits';

export interface PodLike {
  metadata: {
    name: string;
    labels?: Record<string, string>;
    ownerReferences?: { kind: string; name: string; controller?: boolean }[];
    deletionTimestamp?: string;
  };
}

const matches = (selector: Record<string, string>, pod: PodLike) =>
  Object.entries(selector).every(([k, v]) => pod.metadata.labels?.[k] === v);

/** The workload a pod belongs to: its controller, a ReplicaSet read as its Deployment. */
export function workloadOf(pod: PodLike): string {
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller);
  if (!owner) return `Pod ${pod.metadata.name}`;
  const hash = pod.metadata.labels?.['pod-template-hash'];
  if (owner.kind === 'ReplicaSet' && hash && owner.name.endsWith(`-${hash}`))
    return `Deployment ${owner.name.slice(0, -hash.length - 1)}`;
  return `${owner.kind} ${owner.name}`;
}

const workloadsMatching = (selector: Record<string, string> | undefined, pods: PodLike[]) =>
  selector && Object.keys(selector).length
    ? [
        ...new Set(pods.filter((p) => !p.metadata.deletionTimestamp && matches(selector, p)).map(workloadOf)),
      ].sort()
    : [];

/** Why `selector` may not replace `current`, or undefined; `workload` names what it selects. */
export function selectorCheck(
  selector: Record<string, string>,
  current: Record<string, string> | undefined,
  pods: PodLike[],
): { refusal: string } | { workload: string } {
  const next = workloadsMatching(selector, pods);
  const shown = formatLabels(selector);
  if (next.length === 0) return { refusal: `selector ${shown} matches no pods.` };
  if (next.length > 1)
    return {
      refusal: `selector ${shown} matches pods of ${next.length} workloads (${next.join(', ')}); it must select one.`,
    };
  const before = workloadsMatching(current, pods);
  if (before.length === 1 && before[0] !== next[0])
    return {
      refusal: `selector ${shown} matches pods of ${next[0]}, another workload than the ${before[0]} the Service selects now.`,
    };
  return { workload: next[0]! };
}
