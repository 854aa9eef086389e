// NetworkPolicy reasoning: would traffic from pod A to pod B on a port be allowed, and if not, which
// policies isolate the side that drops it. Implements the Kubernetes semantics: a pod selected by no
// policy of a direction allows everything in that direction; a selected pod allows only what the
// union of its policies' rules allows; both the sender's egress and the receiver's ingress must allow.
import { type Lookup } from '../lookup';
import {
  type ContainerPort,
  type Labels,
  type NetworkPolicy,
  type NetworkPolicyPeer,
  type NetworkPolicyPort,
  type NetworkPolicyRule,
  type Pod,
} from '../snapshot';
import { matchesSelector } from '../util/selectors';

export type Direction = 'Ingress' | 'Egress';

export interface TrafficEnd {
  namespace: string;
  labels: Labels;
  ip?: string;
  /** The receiving containers' ports, to resolve named ports in policies. */
  ports?: ContainerPort[];
  /** An address outside the cluster: pod and namespace selectors never match it; with no ip, any ipBlock may. */
  external?: true;
}

export interface TrafficVerdict {
  allowed: boolean;
  /** When denied: the direction that drops it and the policies isolating that side (none of which allow it). */
  deniedBy?: { direction: Direction; namespace: string; policies: NetworkPolicy[] };
}

export function endOfPod(pod: Pod): TrafficEnd {
  return {
    namespace: pod.metadata.namespace ?? 'default',
    labels: pod.metadata.labels ?? {},
    ip: pod.status?.podIP,
    ports: [...(pod.spec.initContainers ?? []), ...pod.spec.containers].flatMap((c) => c.ports ?? []),
  };
}

function policyTypes(p: NetworkPolicy): Direction[] {
  if (p.spec.policyTypes?.length) return p.spec.policyTypes;
  return p.spec.egress ? ['Ingress', 'Egress'] : ['Ingress'];
}

function rulesOf(p: NetworkPolicy, direction: Direction) {
  return (direction === 'Egress' ? p.spec.egress : p.spec.ingress) ?? [];
}

function selectorSize(p: NetworkPolicy): number {
  return (
    Object.keys(p.spec.podSelector.matchLabels ?? {}).length +
    (p.spec.podSelector.matchExpressions ?? []).length
  );
}

/**
 * Policies in the end's namespace that select it for a direction, the one a human would call "the
 * policy that denies it" first: a deny-all (no rules for the direction) before allow-lists, a
 * namespace-wide selector before narrower ones.
 */
function isolatingPolicies(l: Lookup, end: TrafficEnd, direction: Direction): NetworkPolicy[] {
  return l.snapshot.objects.networkPolicies
    .filter(
      (p) =>
        (p.metadata.namespace ?? 'default') === end.namespace &&
        policyTypes(p).includes(direction) &&
        matchesSelector(end.labels, p.spec.podSelector),
    )
    .sort(
      (a, b) =>
        rulesOf(a, direction).length - rulesOf(b, direction).length ||
        selectorSize(a) - selectorSize(b) ||
        a.metadata.name.localeCompare(b.metadata.name),
    );
}

function namespaceLabels(l: Lookup, namespace: string): Labels {
  const ns = l.get('namespaces', undefined, namespace);
  return { 'kubernetes.io/metadata.name': namespace, ...ns?.metadata.labels };
}

function ipv4(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const part of parts) {
    const v = Number(part);
    if (!/^\d{1,3}$/.test(part) || v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export function cidrContains(cidr: string, ip: string | undefined): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText ?? 32);
  if (bits === 0) return true;
  if (!ip) return false;
  const a = ipv4(base);
  const b = ipv4(ip);
  if (a === undefined || b === undefined) return false;
  const mask = bits >= 32 ? 0xffffffff : (0xffffffff << (32 - bits)) >>> 0;
  return (a & mask) >>> 0 === (b & mask) >>> 0;
}

function peerMatches(
  l: Lookup,
  peer: NetworkPolicyPeer,
  policyNamespace: string,
  other: TrafficEnd,
): boolean {
  if (peer.ipBlock) {
    if (other.external && other.ip === undefined) return true;
    return (
      cidrContains(peer.ipBlock.cidr, other.ip) &&
      !(peer.ipBlock.except ?? []).some((c) => cidrContains(c, other.ip))
    );
  }
  if (other.external) return false;
  const nsOk = peer.namespaceSelector
    ? matchesSelector(namespaceLabels(l, other.namespace), peer.namespaceSelector)
    : other.namespace === policyNamespace;
  const podOk = peer.podSelector ? matchesSelector(other.labels, peer.podSelector) : true;
  return nsOk && podOk;
}

function portMatches(
  rulePort: NetworkPolicyPort,
  port: number,
  protocol: string,
  receiver: TrafficEnd,
): boolean {
  if ((rulePort.protocol ?? 'TCP') !== protocol) return false;
  if (rulePort.port === undefined) return true;
  if (typeof rulePort.port === 'string' && !/^\d+$/.test(rulePort.port)) {
    return (receiver.ports ?? []).some(
      (p) => p.name === rulePort.port && p.containerPort === port && (p.protocol ?? 'TCP') === protocol,
    );
  }
  const start = Number(rulePort.port);
  return rulePort.endPort ? port >= start && port <= rulePort.endPort : port === start;
}

function ruleAllows(
  l: Lookup,
  rule: NetworkPolicyRule,
  peers: NetworkPolicyPeer[] | undefined,
  policyNamespace: string,
  other: TrafficEnd,
  port: number,
  protocol: string,
  receiver: TrafficEnd,
): boolean {
  const peerOk =
    !peers || peers.length === 0 || peers.some((peer) => peerMatches(l, peer, policyNamespace, other));
  const portOk =
    !rule.ports ||
    rule.ports.length === 0 ||
    rule.ports.some((p) => portMatches(p, port, protocol, receiver));
  return peerOk && portOk;
}

function sideAllows(
  l: Lookup,
  self: TrafficEnd,
  other: TrafficEnd,
  direction: Direction,
  port: number,
  protocol: string,
  receiver: TrafficEnd,
) {
  const policies = isolatingPolicies(l, self, direction);
  if (policies.length === 0) return { allowed: true, policies };
  const allowed = policies.some((p) => {
    return rulesOf(p, direction).some((rule) =>
      ruleAllows(
        l,
        rule,
        direction === 'Egress' ? rule.to : rule.from,
        p.metadata.namespace ?? 'default',
        other,
        port,
        protocol,
        receiver,
      ),
    );
  });
  return { allowed, policies };
}

/**
 * Would `from` reach `to` on `port`? The receiver's ingress side is only judged when its namespace
 * is in the snapshot's scope (its policies were collected).
 */
export function evaluateTraffic(
  l: Lookup,
  from: TrafficEnd,
  to: TrafficEnd,
  port: number,
  protocol = 'TCP',
): TrafficVerdict {
  const egress = sideAllows(l, from, to, 'Egress', port, protocol, to);
  if (!egress.allowed)
    return {
      allowed: false,
      deniedBy: { direction: 'Egress', namespace: from.namespace, policies: egress.policies },
    };
  if (l.inScope(to.namespace)) {
    const ingress = sideAllows(l, to, from, 'Ingress', port, protocol, to);
    if (!ingress.allowed)
      return {
        allowed: false,
        deniedBy: { direction: 'Ingress', namespace: to.namespace, policies: ingress.policies },
      };
  }
  return { allowed: true };
}

/** The cluster DNS as a traffic end: the kube-dns pods if collected, else their well-known labels. */
export function clusterDns(l: Lookup): TrafficEnd {
  const pod = l.snapshot.objects.pods.find(
    (p) =>
      p.metadata.namespace === 'kube-system' &&
      ['kube-dns', 'coredns'].includes(p.metadata.labels?.['k8s-app'] ?? ''),
  );
  if (pod) return endOfPod(pod);
  const service = l.get('services', 'kube-system', 'kube-dns');
  return {
    namespace: 'kube-system',
    labels: { 'k8s-app': 'kube-dns' },
    ip: service?.spec.clusterIP,
    ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }],
  };
}

/** Can the pod resolve names? DNS over UDP 53 to the cluster DNS must leave the pod. */
export function dnsEgress(l: Lookup, pod: Pod): TrafficVerdict {
  return evaluateTraffic(l, endOfPod(pod), clusterDns(l), 53, 'UDP');
}
