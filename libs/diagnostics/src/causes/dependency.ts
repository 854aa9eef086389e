// Dependency reasoning for a connection error a container logged: what the host means in the cluster
// (a Service, an ExternalName, a Pod, or nothing: then the configuration names a dependency that does
// not exist, and which env var or ConfigMap key holds the name), whether that Service has ready
// endpoints (and if not, what is wrong with the pods behind it), whether its port exists and a
// container listens on its targetPort, and whether a NetworkPolicy (the client's egress or the
// server's ingress) drops the traffic or the DNS lookup. The analysis evidence it returns carries a
// `ref` to the object at fault, which ranking follows to file the caller's symptom under it.
import { type Evidence, type ObjectRef, type SuggestedAction } from '@foxhound/contracts';
import { type Lookup } from '../lookup';
import { suggestConfigMapValue } from '../suggestions';
import { type Pod, type Service, type ServicePort } from '../snapshot';
import { evidence } from '../util/finding';
import { describeRef, refOf } from '../util/refs';
import { editDistance } from './images';
import { type LogSignal } from './logs';
import { dnsEgress, endOfPod, evaluateTraffic } from './netpol';
import { configuredHost, resolveTarget, serviceGraph } from './graph';
import { listeningPorts } from './log-targets';

export interface DependencyExplanation {
  /** The cause in one clause, following the signal's own description. */
  text: string;
  evidence: Evidence[];
  /** The object at fault, when the dependency's failure lies with one. */
  culprit?: ObjectRef;
  /** The dependency looks fine from here (ready endpoints, traffic allowed): the errors may be transient. */
  healthy?: boolean;
  /** The name can never resolve or connect as configured (no such Service): a fault whatever the rates. */
  definite?: boolean;
  /**
   * Configuration that is itself the fault (a ConfigMap key naming a Service that does not exist, a
   * policy dropping traffic to an address outside the cluster), for a finding of its own.
   */
  config?: { ref: ObjectRef; reason: string; description: string; fix?: SuggestedAction };
}

/**
 * The host a configuration should name instead: the one existing Service the name is a typo of (same
 * namespace), or the same name in the one namespace where that Service does exist.
 */
function correctedHost(
  host: string,
  name: string,
  namespace: string,
  closest: string | undefined,
  elsewhere: string | undefined,
): string | undefined {
  const labels = host.split('.');
  if (labels[0] !== name) return undefined;
  if (closest) return [closest, ...labels.slice(1)].join('.');
  if (!elsewhere) return undefined;
  if (labels.length === 1) return `${name}.${elsewhere}`;
  return labels[1] === namespace ? [name, elsewhere, ...labels.slice(2)].join('.') : undefined;
}

/** The ConfigMap key that holds `host`, with its value re-pointed at `corrected`, as a typed fix. */
function configMapFix(
  l: Lookup,
  at: { via: string; configMap?: ObjectRef },
  host: string,
  corrected: string,
): SuggestedAction | undefined {
  const key = / key (\S+)$/.exec(at.via)?.[1];
  const cm = at.configMap && l.get('configMaps', at.configMap.namespace, at.configMap.name);
  const value = key !== undefined ? cm?.data?.[key] : undefined;
  if (!cm || key === undefined || value === undefined || !value.includes(host)) return undefined;
  return suggestConfigMapValue(
    cm,
    key,
    value.split(host).join(corrected),
    `it names ${host}, and the Service that exists is ${corrected}`,
  );
}

function isReady(pod: Pod): boolean {
  return !!pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Ready and not-ready endpoint counts, from the Endpoints object or else from the selected pods. */
export function endpointCounts(
  l: Lookup,
  service: Service,
): { ready: number; notReady: number; pods: Pod[] } {
  const namespace = service.metadata.namespace ?? 'default';
  const pods = l
    .podsMatching(namespace, service.spec.selector)
    .filter((p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded');
  const ep = l.get('endpoints', namespace, service.metadata.name);
  if (ep) {
    let ready = 0;
    let notReady = 0;
    for (const subset of ep.subsets ?? []) {
      ready += subset.addresses?.length ?? 0;
      notReady += subset.notReadyAddresses?.length ?? 0;
    }
    return { ready, notReady, pods };
  }
  const ready = pods.filter(isReady).length;
  return { ready, notReady: pods.length - ready, pods };
}

/** A short account of why pods are not ready: `2 CrashLoopBackOff, 1 Pending`. */
export function podStates(pods: Pod[]): string {
  const counts = new Map<string, number>();
  for (const pod of pods) {
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    const waiting = statuses.find((s) => s.state?.waiting?.reason)?.state?.waiting?.reason;
    const terminated = statuses.find((s) => s.state?.terminated)?.state?.terminated?.reason;
    const state =
      waiting ??
      terminated ??
      (isReady(pod)
        ? 'Ready'
        : pod.status?.phase === 'Running'
          ? 'Running, not ready'
          : (pod.status?.phase ?? 'Unknown'));
    counts.set(state, (counts.get(state) ?? 0) + 1);
  }
  return [...counts].map(([state, n]) => `${n} ${state}`).join(', ');
}

function containerPortsOf(pod: Pod): { name?: string; containerPort: number }[] {
  return pod.spec.containers.flatMap((c) => c.ports ?? []);
}

/** A service port whose targetPort no selected container declares, or (when declared) listens on per its log. */
export function portMismatch(
  l: Lookup,
  service: Service,
  pods: Pod[],
  port: ServicePort,
): string | undefined {
  const target = port.targetPort ?? port.port;
  const sample = pods[0];
  const declared = containerPortsOf(sample);
  if (typeof target === 'string' && !/^\d+$/.test(target)) {
    return declared.some((p) => p.name === target)
      ? undefined
      : `port ${port.port} targets the named port "${target}", which the pods do not declare`;
  }
  const targetNumber = Number(target);
  if (declared.length && !declared.some((p) => p.containerPort === targetNumber)) {
    return `port ${port.port} targets ${targetNumber}, but the pods' containers expose ${declared.map((p) => p.containerPort).join(', ')}`;
  }
  const ns = service.metadata.namespace ?? 'default';
  for (const c of sample.spec.containers) {
    const lines = l.logsFor(ns, sample.metadata.name, c.name).current?.lines ?? [];
    const listening = listeningPorts(lines);
    if (listening.length && !listening.some((p) => p.port === targetNumber) && !declared.length) {
      return `port ${port.port} targets ${targetNumber}, but container ${c.name} logs that it listens on ${listening[0].port} ("${listening[0].line.trim()}")`;
    }
  }
  return undefined;
}

function closestServiceName(l: Lookup, namespace: string, name: string): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const s of l.list('services')) {
    if (s.metadata.namespace !== namespace) continue;
    const d = editDistance(name, s.metadata.name, 6);
    if (d <= Math.max(2, Math.floor(name.length / 3)) && (!best || d < best.d))
      best = { name: s.metadata.name, d };
  }
  return best?.name;
}

/** A name with the shape of a cluster name that no Service answers to: configuration names a missing dependency. */
function missingService(
  l: Lookup,
  pod: Pod,
  host: string,
  name: string,
  namespace: string,
): DependencyExplanation {
  const closest = closestServiceName(l, namespace, name);
  // The same name in another namespace: the caller most likely names the wrong namespace.
  const elsewhere = l.snapshot.objects.services.find(
    (s) => s.metadata.name === name && (s.metadata.namespace ?? 'default') !== namespace,
  );
  const guess = closest
    ? `did you mean ${closest}?`
    : elsewhere
      ? `Service ${elsewhere.metadata.namespace}/${name} exists: the name points at the wrong namespace`
      : undefined;
  const at = configuredHost(l, pod, host) ?? (host !== name ? configuredHost(l, pod, name) : undefined);
  const via = at?.via;
  const ev = [
    evidence.analysis(
      `Service ${namespace}/${name} not found${closest ? `; Service ${namespace}/${closest} exists` : elsewhere ? `; Service ${elsewhere.metadata.namespace}/${name} exists` : ''}${via ? `; the name comes from ${via}` : ''}`,
      at?.configMap,
    ),
  ];
  const explanation: DependencyExplanation = {
    text: `no Service named ${name} exists in namespace ${namespace}${guess ? ` (${guess})` : ''}${via ? `; the name comes from ${via}` : ''}`,
    evidence: ev,
    definite: true,
  };
  if (at?.configMap) {
    explanation.config = {
      ref: at.configMap,
      reason: 'MissingDependency',
      description: `${via} names ${host}, but no Service ${namespace}/${name} exists${guess ? ` (${guess})` : ''}`,
    };
    const corrected = correctedHost(host, name, namespace, closest, elsewhere?.metadata.namespace);
    const fix = corrected && configMapFix(l, at, host, corrected);
    if (fix) explanation.config.fix = fix;
  }
  return explanation;
}

function explainDns(l: Lookup, pod: Pod, host: string): DependencyExplanation {
  const namespace = pod.metadata.namespace ?? 'default';
  const dns = dnsEgress(l, pod);
  if (!dns.allowed && dns.deniedBy) {
    const names = dns.deniedBy.policies.map((p) => p.metadata.name).join(', ');
    const policy = refOf('NetworkPolicy', dns.deniedBy.policies[0]);
    return {
      text: `DNS lookups cannot leave the pod: NetworkPolicy ${names} isolates its egress and allows no UDP 53 to the cluster DNS`,
      evidence: [
        evidence.analysis(
          `egress from ${describeRef(refOf('Pod', pod))} to kube-dns on UDP 53 is denied by NetworkPolicy ${names}`,
          policy,
        ),
      ],
      culprit: policy,
    };
  }
  const target = resolveTarget(l, host, namespace);
  if (target.kind === 'none' && target.inCluster)
    return missingService(l, pod, host, target.name, target.namespace);
  const via = configuredHost(l, pod, host)?.via;
  return {
    text: `${host} does not resolve${via ? ` (the name comes from ${via})` : ''}`,
    evidence: via ? [evidence.analysis(`${host} is configured in ${via}`)] : [],
  };
}

/**
 * A host outside the cluster: only the pod's own egress policies can stand in the way. With the
 * address unknown (a DNS name), any ipBlock rule might admit it, so only a policy set that admits the
 * port to no address at all is named.
 */
function externalEgress(l: Lookup, pod: Pod, signal: LogSignal): DependencyExplanation | undefined {
  if (signal.kind !== 'timeout' && signal.kind !== 'connection-refused' && signal.kind !== 'no-route')
    return undefined;
  const ip = /^\d{1,3}(\.\d{1,3}){3}$/.test(signal.host ?? '') ? signal.host : undefined;
  const to = { namespace: '', labels: {}, ip, external: true as const };
  const verdict = evaluateTraffic(l, endOfPod(pod), to, signal.port ?? 443);
  if (verdict.allowed || !verdict.deniedBy) return undefined;
  const policy = refOf('NetworkPolicy', verdict.deniedBy.policies[0]);
  const names = verdict.deniedBy.policies.map((p) => p.metadata.name).join(', ');
  const text = `NetworkPolicy ${names} isolates the egress of ${describeRef(refOf('Pod', pod))} and allows no traffic to ${signal.host}${signal.port ? ` port ${signal.port}` : ''} outside the cluster`;
  return {
    text,
    evidence: [evidence.analysis(text, policy)],
    culprit: policy,
    config: { ref: policy, reason: 'EgressDenied', description: text },
  };
}

/** The host is a Pod's address: the pod's own state, then the policies between the two pods. */
function explainPodTarget(l: Lookup, pod: Pod, target: Pod, signal: LogSignal): DependencyExplanation {
  const tref = refOf('Pod', target);
  if (!isReady(target)) {
    const culprit = l.workloadOf(target) ?? tref;
    return {
      text: `${signal.host} is ${describeRef(tref)}, which is not ready (${podStates([target])})`,
      evidence: [evidence.analysis(`${describeRef(tref)} is ${podStates([target])}`, culprit)],
      culprit,
    };
  }
  const verdict = evaluateTraffic(l, endOfPod(pod), endOfPod(target), signal.port ?? 0);
  if (!verdict.allowed && verdict.deniedBy) {
    const policy = refOf('NetworkPolicy', verdict.deniedBy.policies[0]);
    const names = verdict.deniedBy.policies.map((p) => p.metadata.name).join(', ');
    return {
      text: `NetworkPolicy ${names} drops the traffic to ${describeRef(tref)} (${verdict.deniedBy.direction.toLowerCase()})`,
      evidence: [
        evidence.analysis(
          `traffic to ${describeRef(tref)} port ${signal.port ?? '?'} is denied by NetworkPolicy ${names}`,
          policy,
        ),
      ],
      culprit: policy,
    };
  }
  return {
    text: `${signal.host} is ${describeRef(tref)}, which is ready`,
    evidence: [evidence.analysis(`${describeRef(tref)} is ready`)],
    healthy: true,
  };
}

/**
 * Explains a dependency signal (connection refused, timeout, DNS failure, 5xx) from the pod's point
 * of view, or returns undefined when the host is outside the cluster and nothing more is known.
 */
export function explainDependency(l: Lookup, pod: Pod, signal: LogSignal): DependencyExplanation | undefined {
  const namespace = pod.metadata.namespace ?? 'default';
  if (
    signal.kind === 'dns-failure' ||
    (signal.kind === 'timeout' && /lookup .* i\/o timeout/.test(signal.line))
  ) {
    return signal.host ? explainDns(l, pod, signal.host) : undefined;
  }
  if (!signal.host) return undefined;
  const resolved = resolveTarget(l, signal.host, namespace);
  if (resolved.kind === 'pod') return explainPodTarget(l, pod, resolved.pod, signal);
  if (resolved.kind === 'external-name') {
    const sref = refOf('Service', resolved.service);
    return {
      text: `${describeRef(sref)} is an ExternalName for ${resolved.externalName}, outside the cluster`,
      evidence: [evidence.field('spec.externalName', resolved.externalName, sref)],
    };
  }
  if (resolved.kind === 'none')
    return resolved.inCluster
      ? missingService(l, pod, signal.host, resolved.name, resolved.namespace)
      : externalEgress(l, pod, signal);
  const service = resolved.service;
  const sref = refOf('Service', service);
  const ports = (service.spec.ports ?? []).map((p) => p.port);
  if (signal.port && ports.length && !ports.includes(signal.port) && !/^\d/.test(signal.host)) {
    return {
      text: `${describeRef(sref)} has no port ${signal.port} (it exposes ${ports.join(', ')})`,
      evidence: [evidence.field('spec.ports', ports.join(', '), sref)],
      culprit: sref,
    };
  }
  const { ready, pods } = endpointCounts(l, service);
  const backends = serviceGraph(l).backendsOf(sref);
  if (ready === 0) {
    if (pods.length === 0 && backends.length) {
      // The selector is right but nothing runs behind it: a workload scaled to zero or unable to create pods.
      const culprit = backends[0];
      return {
        text: `${describeRef(sref)} has no endpoints: ${describeRef(culprit)} runs no pods`,
        evidence: [
          evidence.analysis(
            `${describeRef(sref)} selects the pods of ${describeRef(culprit)}, which has none running`,
            culprit,
          ),
        ],
        culprit,
      };
    }
    if (!service.spec.selector || pods.length === 0) {
      return {
        text: `${describeRef(sref)} selects no pods, so it has no endpoints`,
        evidence: [
          evidence.analysis(`${describeRef(sref)} has 0 endpoints: its selector matches no pod`, sref),
        ],
        culprit: sref,
      };
    }
    const culprit = backends[0] ?? l.workloadOf(pods[0]) ?? refOf('Pod', pods[0]);
    return {
      text: `${describeRef(sref)} has no ready endpoints: its pods are ${podStates(pods)}`,
      evidence: [
        evidence.analysis(
          `${describeRef(sref)} has 0 ready endpoints; pods of ${describeRef(culprit)}: ${podStates(pods)}`,
          culprit,
        ),
      ],
      culprit,
    };
  }
  const target = pods.find(isReady);
  if (target) {
    const svcPort = service.spec.ports?.find((p) => p.port === signal.port) ?? service.spec.ports?.[0];
    const targetPort =
      typeof svcPort?.targetPort === 'number' ? svcPort.targetPort : (svcPort?.port ?? signal.port ?? 0);
    const verdict = evaluateTraffic(l, endOfPod(pod), endOfPod(target), targetPort);
    if (!verdict.allowed && verdict.deniedBy) {
      const policy = refOf('NetworkPolicy', verdict.deniedBy.policies[0]);
      const names = verdict.deniedBy.policies.map((p) => p.metadata.name).join(', ');
      const side =
        verdict.deniedBy.direction === 'Egress'
          ? `egress of ${describeRef(refOf('Pod', pod))}`
          : `ingress of ${describeRef(sref)}'s pods`;
      return {
        text: `NetworkPolicy ${names} drops the traffic (${side}; no rule allows port ${targetPort})`,
        evidence: [
          evidence.analysis(
            `traffic from ${describeRef(refOf('Pod', pod))} to ${describeRef(sref)} port ${targetPort} is denied: ${side} is isolated by NetworkPolicy ${names}`,
            policy,
          ),
        ],
        culprit: policy,
      };
    }
    const mismatch = svcPort && portMismatch(l, service, [target], svcPort);
    if (mismatch)
      return {
        text: `${describeRef(sref)} sends the traffic to a port nothing listens on: ${mismatch}`,
        evidence: [evidence.analysis(`${describeRef(sref)}: ${mismatch}`, sref)],
        culprit: sref,
      };
  }
  // With ready endpoints, a timeout or a 5xx points at the backend's own trouble (if it has any).
  const culprit = signal.kind === 'upstream-error' || signal.kind === 'timeout' ? backends[0] : undefined;
  return {
    text: `${describeRef(sref)} has ${ready} ready endpoint(s), so the failure is in the dependency's responses or in between`,
    evidence: [evidence.analysis(`${describeRef(sref)} has ${ready} ready endpoint(s)`, culprit)],
    culprit,
    healthy: true,
  };
}
