// The scheduler's InterPodAffinity and NodePorts filters (kubernetes
// pkg/scheduler/framework/plugins/interpodaffinity/filtering.go, nodeports/node_ports.go), with
// their reasons, checked in the plugin's order: a node fails when the new pod's required affinity
// terms find no matching pod in the node's topology domain (unless no pod anywhere matches and the
// pod matches its own terms: the first of a group), when its anti-affinity terms find one, when an
// existing pod's required anti-affinity term matches the new pod there, or (NodePorts) when a
// hostPort it asks for is taken.
// Pure: the caller passes the bound pods and their nodes.
import { fromStructured, matchesLabels, type StructuredLabelSelector } from '../../selectors/labels';
import { type KubeObject, type StoredObject } from '../../types';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
export const AFFINITY = "node(s) didn't match pod affinity rules";
export const ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

/** A pod already bound, with the labels of its node (for topology domains). */
export interface PlacedPod {
  pod: KubeObject;
  nodeLabels: Record<string, string>;
}

/** A failed filter, and whether evicting lower-priority pods could ever resolve it. */
export interface FilterFailure {
  reason: string;
  resolvable: boolean;
}

const required = (pod: KubeObject, kind: 'podAffinity' | 'podAntiAffinity'): Json[] =>
  (pod as Json).spec?.affinity?.[kind]?.requiredDuringSchedulingIgnoredDuringExecution ?? [];

/** Whether `candidate` falls under `term` of `owner` (namespaces default to the owner's). */
function termMatches(
  term: Json,
  owner: KubeObject,
  candidate: KubeObject,
  namespaceLabels: NamespaceLabels,
): boolean {
  const ns = candidate.metadata.namespace ?? '';
  const namespaces: string[] = term.namespaces ?? [];
  const selector = term.namespaceSelector as StructuredLabelSelector | undefined;
  const inScope =
    namespaces.includes(ns) ||
    (selector !== undefined && matchesLabels(fromStructured(selector), namespaceLabels(ns))) ||
    (!namespaces.length && selector === undefined && ns === owner.metadata.namespace);
  if (!inScope) return false;
  // A missing labelSelector selects nothing, an empty one everything, as in Kubernetes.
  if (!term.labelSelector) return false;
  return matchesLabels(fromStructured(term.labelSelector), candidate.metadata.labels);
}

export type NamespaceLabels = (namespace: string) => Record<string, string> | undefined;

const sameDomain = (term: Json, node: StoredObject, other: PlacedPod): boolean => {
  const key = term.topologyKey;
  const value = node.metadata.labels?.[key];
  return value !== undefined && other.nodeLabels[key] === value;
};

/** The InterPodAffinity filter for `pod` on `node`; undefined when it passes. */
export function interPodAffinity(
  pod: KubeObject,
  node: StoredObject,
  placed: PlacedPod[],
  namespaceLabels: NamespaceLabels,
): FilterFailure | undefined {
  const affinity = required(pod, 'podAffinity');
  if (affinity.length) {
    // Only pods matching every term count, per topology domain (the PreFilter's affinityCounts).
    const counted = placed.filter((o) =>
      affinity.every((term) => termMatches(term, pod, o.pod, namespaceLabels)),
    );
    if (!affinity.every((term) => node.metadata.labels?.[term.topologyKey] !== undefined))
      return { reason: AFFINITY, resolvable: false };
    const satisfied = affinity.every((term) => counted.some((o) => sameDomain(term, node, o)));
    // The first pod of a group that selects itself may go where it likes while no pod matches.
    const first =
      !counted.some((o) => affinity.some((term) => o.nodeLabels[term.topologyKey] !== undefined)) &&
      affinity.every((term) => termMatches(term, pod, pod, namespaceLabels));
    if (!satisfied && !first) return { reason: AFFINITY, resolvable: false };
  }
  for (const term of required(pod, 'podAntiAffinity')) {
    if (
      placed.some(
        (other) => termMatches(term, pod, other.pod, namespaceLabels) && sameDomain(term, node, other),
      )
    )
      return { reason: ANTI_AFFINITY, resolvable: true };
  }
  for (const other of placed) {
    for (const term of required(other.pod, 'podAntiAffinity')) {
      if (termMatches(term, other.pod, pod, namespaceLabels) && sameDomain(term, node, other))
        return { reason: EXISTING_ANTI_AFFINITY, resolvable: true };
    }
  }
  return undefined;
}

interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

function hostPorts(pod: KubeObject): HostPort[] {
  const spec: Json = (pod as Json).spec ?? {};
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])].flatMap((c: Json) =>
    ((c.ports ?? []) as Json[])
      .filter((p) => Number(p.hostPort) > 0)
      .map((p) => ({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol ?? 'TCP', port: Number(p.hostPort) })),
  );
}

/** The NodePorts filter: a wanted hostPort already used on the node (0.0.0.0 overlaps every address). */
export function nodePorts(pod: KubeObject, onNode: KubeObject[]): FilterFailure | undefined {
  const wanted = hostPorts(pod);
  if (!wanted.length) return undefined;
  const used = onNode.flatMap(hostPorts);
  const conflict = wanted.some((w) =>
    used.some(
      (u) =>
        u.port === w.port &&
        u.protocol === w.protocol &&
        (u.ip === w.ip || u.ip === '0.0.0.0' || w.ip === '0.0.0.0'),
    ),
  );
  return conflict ? { reason: NODE_PORTS, resolvable: true } : undefined;
}
