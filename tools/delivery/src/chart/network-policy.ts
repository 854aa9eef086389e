// A small NetworkPolicy evaluator (networking.k8s.io/v1 semantics) to ask "may A open a TCP or
// UDP connection to B on port P?" of rendered policies: a flow is allowed when the source's egress
// and the destination's ingress both allow it; a pod no policy of that type selects is open in
// that direction. Peers: podSelector alone means the policy's namespace; namespaceSelector matches
// namespace labels (`kubernetes.io/metadata.name`); ipBlock matches the endpoint's IP.
import { type INetworkPolicyPeer, type INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1';
import { type K8sObject, type Labels, ofKind, selects, spec } from './manifests';

export interface Endpoint {
  name: string;
  /** Namespace of a pod; undefined for something outside the cluster's pods (API server, internet). */
  namespace?: string;
  labels: Labels;
  ip: string;
}

interface Rule {
  peers?: INetworkPolicyPeer[];
  ports?: INetworkPolicyPort[];
}

interface Policy {
  namespace: string;
  podSelector: { matchLabels?: Labels };
  types: string[];
  ingress: Rule[];
  egress: Rule[];
}

function ipToNumber(ip: string): number {
  return ip.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipToNumber(base) / size) * size;
  const value = ipToNumber(ip);
  return value >= start && value < start + size;
}

function policiesOf(objects: readonly K8sObject[]): Policy[] {
  return ofKind(objects, 'NetworkPolicy').map((object) => {
    const body = spec<{
      podSelector: Policy['podSelector'];
      policyTypes?: string[];
      ingress?: Array<{ from?: INetworkPolicyPeer[]; ports?: INetworkPolicyPort[] }>;
      egress?: Array<{ to?: INetworkPolicyPeer[]; ports?: INetworkPolicyPort[] }>;
    }>(object);
    return {
      namespace: object.metadata.namespace!,
      podSelector: body.podSelector,
      types: body.policyTypes ?? ['Ingress'],
      ingress: (body.ingress ?? []).map((rule) => ({ peers: rule.from, ports: rule.ports })),
      egress: (body.egress ?? []).map((rule) => ({ peers: rule.to, ports: rule.ports })),
    };
  });
}

function peerMatches(peer: INetworkPolicyPeer, other: Endpoint, policyNamespace: string): boolean {
  if (peer.ipBlock) {
    return (
      inCidr(other.ip, peer.ipBlock.cidr) &&
      !(peer.ipBlock.except ?? []).some((cidr) => inCidr(other.ip, cidr))
    );
  }
  if (other.namespace === undefined) return false;
  const namespaceOk = peer.namespaceSelector
    ? selects(peer.namespaceSelector, { 'kubernetes.io/metadata.name': other.namespace })
    : other.namespace === policyNamespace;
  const podOk = peer.podSelector ? selects(peer.podSelector, other.labels) : true;
  return namespaceOk && podOk;
}

function ruleAllows(
  rule: Rule,
  other: Endpoint,
  port: number,
  protocol: string,
  policyNamespace: string,
): boolean {
  const portOk =
    !rule.ports ||
    rule.ports.length === 0 ||
    rule.ports.some((p) => (p.protocol ?? 'TCP') === protocol && (p.port === undefined || p.port === port));
  const peerOk =
    !rule.peers ||
    rule.peers.length === 0 ||
    rule.peers.some((peer) => peerMatches(peer, other, policyNamespace));
  return portOk && peerOk;
}

function sideAllows(
  policies: readonly Policy[],
  type: 'Ingress' | 'Egress',
  pod: Endpoint,
  other: Endpoint,
  port: number,
  protocol: string,
): boolean {
  // Something outside the cluster's pods has no policies of its own.
  if (pod.namespace === undefined) return true;
  const selecting = policies.filter(
    (policy) =>
      policy.namespace === pod.namespace &&
      policy.types.includes(type) &&
      selects(policy.podSelector, pod.labels),
  );
  if (selecting.length === 0) return true;
  return selecting.some((policy) =>
    (type === 'Ingress' ? policy.ingress : policy.egress).some((rule) =>
      ruleAllows(rule, other, port, protocol, policy.namespace),
    ),
  );
}

export function createFlowChecker(objects: readonly K8sObject[]) {
  const policies = policiesOf(objects);
  return (source: Endpoint, destination: Endpoint, port: number, protocol = 'TCP'): boolean =>
    sideAllows(policies, 'Egress', source, destination, port, protocol) &&
    sideAllows(policies, 'Ingress', destination, source, port, protocol);
}
