// NetworkPolicy analyzer: policies that cut a workload off from the cluster DNS, policies that drop
// traffic between a workload and a Service it depends on (per the service graph), and policies that
// select no pod. Each names the policy and the traffic it denies.
import { type Finding, type ObjectRef } from '@foxhound/contracts';
import { recentlyChanged } from '../causes/changes';
import { serviceGraph } from '../causes/graph';
import { clusterDns, type Direction, evaluateTraffic, type TrafficEnd } from '../causes/netpol';
import { KIND_OF, lookup, type Lookup } from '../lookup';
import { type ClusterSnapshot, type NetworkPolicy, type PodTemplateSpec } from '../snapshot';
import { DOCS } from '../util/docs';
import { evidence, makeFinding } from '../util/finding';
import { describeRef, refKey, refOf } from '../util/refs';
import { formatSelector, matchesSelector } from '../util/selectors';
import { type Analyzer } from './types';

interface Workload {
  ref: ObjectRef;
  end: TrafficEnd;
}

function endOfTemplate(namespace: string, template: PodTemplateSpec): TrafficEnd {
  return {
    namespace,
    labels: template.metadata?.labels ?? {},
    ports: [...(template.spec.initContainers ?? []), ...template.spec.containers].flatMap(
      (c) => c.ports ?? [],
    ),
  };
}

function workloads(l: Lookup): Workload[] {
  const out: Workload[] = [];
  for (const kind of ['deployments', 'statefulSets', 'daemonSets'] as const) {
    for (const w of l.list(kind)) {
      if ((w.spec as { replicas?: number }).replicas === 0) continue;
      out.push({
        ref: refOf(KIND_OF[kind], w),
        end: endOfTemplate(w.metadata.namespace ?? 'default', w.spec.template),
      });
    }
  }
  return out;
}

function union(a: NetworkPolicy[], b: NetworkPolicy[]): NetworkPolicy[] {
  return [...a, ...b.filter((p) => !a.includes(p))];
}

/** `pods with component=worker on TCP 5432`: what the policy's rules for a direction do admit. */
function admitted(policy: NetworkPolicy, direction: Direction): string {
  const rules = (direction === 'Egress' ? policy.spec.egress : policy.spec.ingress) ?? [];
  if (!rules.length) return 'nothing';
  return rules
    .map((rule) => {
      const peers = (direction === 'Egress' ? rule.to : rule.from) ?? [];
      const who = peers.length
        ? peers
            .map((p) =>
              p.ipBlock
                ? `${p.ipBlock.cidr}`
                : [
                    p.namespaceSelector ? `namespaces ${formatSelector(p.namespaceSelector)}` : '',
                    p.podSelector ? `pods ${formatSelector(p.podSelector)}` : '',
                  ]
                    .filter(Boolean)
                    .join(' and '),
            )
            .join(' or ')
        : 'anyone';
      const ports = rule.ports?.length
        ? ` on ${rule.ports.map((p) => `${p.protocol ?? 'TCP'} ${p.port ?? 'any'}`).join(', ')}`
        : '';
      return `${who}${ports}`;
    })
    .join('; ');
}

function denial(
  l: Lookup,
  policies: NetworkPolicy[],
  direction: Direction,
  reason: string,
  what: string,
  affected: ObjectRef[],
  severity: 'high' | 'critical',
): Finding {
  const [policy, ...others] = policies;
  const rules = others.length
    ? `, and the allow rules of ${others.map((p) => p.metadata.name).join(', ')} do not cover it`
    : '';
  const callers = affected.map(describeRef).slice(0, 3).join(', ');
  const recent = recentlyChanged(l, policy);
  const name = `NetworkPolicy ${policy.metadata.name}${recent ? ` (${recent})` : ''}`;
  const allows = `; its ${direction.toLowerCase()} rules admit only: ${admitted(policy, direction)}`;
  const cause =
    direction === 'Egress'
      ? `${name} isolates the egress of the pods it selects (${formatSelector(policy.spec.podSelector)}) and allows no ${what}${rules}${allows}`
      : `${name} isolates the ingress of the pods it selects (${formatSelector(policy.spec.podSelector)}) and admits no ${what} from ${callers}${rules}${allows}`;
  return makeFinding('networkpolicy', reason, refOf('NetworkPolicy', policy), {
    severity,
    symptom: `${what} is denied for ${affected.map(describeRef).slice(0, 4).join(', ')}${affected.length > 4 ? ` and ${affected.length - 4} more` : ''}`,
    cause,
    evidence: [
      evidence.field('spec.podSelector', formatSelector(policy.spec.podSelector)),
      evidence.field('spec.policyTypes', (policy.spec.policyTypes ?? []).join(', ')),
      // No ref: the affected workloads suffer from the policy; a ref would claim they cause it.
      evidence.analysis(`${what} from ${affected.map(describeRef).slice(0, 6).join(', ')} is denied`),
    ],
    confidence: 0.88,
    docs: DOCS.networkPolicies,
  });
}

export const networkPolicyAnalyzer: Analyzer = {
  name: 'networkpolicy',
  kinds: ['NetworkPolicy'],
  analyze(snapshot: ClusterSnapshot): Finding[] {
    const l = lookup(snapshot);
    const policies = l.list('networkPolicies');
    if (!policies.length) return [];
    const findings: Finding[] = [];
    const all = workloads(l);

    // Grouped by the policy that does the denying (the first of the isolating ones), so one policy is one finding.
    const dnsDenied = new Map<string, { policies: NetworkPolicy[]; affected: ObjectRef[] }>();
    const dns = clusterDns(l);
    for (const w of all) {
      const verdict = evaluateTraffic(l, w.end, dns, 53, 'UDP');
      if (verdict.allowed || !verdict.deniedBy) continue;
      const key = refKey(refOf('NetworkPolicy', verdict.deniedBy.policies[0]));
      const entry = dnsDenied.get(key) ?? { policies: [], affected: [] };
      entry.policies = union(entry.policies, verdict.deniedBy.policies);
      entry.affected.push(w.ref);
      dnsDenied.set(key, entry);
    }
    for (const { policies: p, affected } of dnsDenied.values())
      findings.push(
        denial(l, p, 'Egress', 'DNSEgressDenied', 'DNS (UDP 53 to kube-dns)', affected, 'critical'),
      );

    const graph = serviceGraph(l);
    // One finding per set of isolating policies, listing every dependency they cut.
    const trafficDenied = new Map<
      string,
      { policies: NetworkPolicy[]; direction: Direction; affected: Map<string, ObjectRef>; what: Set<string> }
    >();
    const byRef = new Map(all.map((w) => [refKey(w.ref), w]));
    for (const caller of all) {
      for (const dep of graph.dependenciesOf(caller.ref)) {
        const service = l.get('services', dep.service.namespace, dep.service.name);
        const backend = graph
          .backendsOf(dep.service)
          .map((b) => byRef.get(refKey(b)))
          .find((b) => b);
        if (!service || !backend) continue;
        const svcPort = service.spec.ports?.find((p) => p.port === dep.port) ?? service.spec.ports?.[0];
        const target = svcPort?.targetPort ?? svcPort?.port;
        const port =
          typeof target === 'number'
            ? target
            : (backend.end.ports?.find((p) => p.name === target)?.containerPort ?? svcPort?.port);
        if (!port) continue;
        const verdict = evaluateTraffic(l, caller.end, backend.end, port);
        if (verdict.allowed || !verdict.deniedBy) continue;
        const key = `${verdict.deniedBy.direction}|${refKey(refOf('NetworkPolicy', verdict.deniedBy.policies[0]))}`;
        const entry = trafficDenied.get(key) ?? {
          policies: [] as NetworkPolicy[],
          direction: verdict.deniedBy.direction,
          affected: new Map(),
          what: new Set(),
        };
        entry.policies = union(entry.policies, verdict.deniedBy.policies);
        entry.affected.set(refKey(caller.ref), caller.ref);
        entry.what.add(`traffic to ${describeRef(dep.service)} port ${port}`);
        trafficDenied.set(key, entry);
      }
    }
    for (const { policies: p, direction, affected, what } of trafficDenied.values()) {
      findings.push(
        denial(l, p, direction, 'TrafficDenied', [...what].join(', '), [...affected.values()], 'high'),
      );
    }

    for (const policy of policies) {
      const selects = l
        .podsIn(policy.metadata.namespace ?? 'default')
        .some((p) => matchesSelector(p.metadata.labels, policy.spec.podSelector));
      if (!selects && l.podsIn(policy.metadata.namespace ?? 'default').length) {
        findings.push(
          makeFinding('networkpolicy', 'SelectsNothing', refOf('NetworkPolicy', policy), {
            severity: 'info',
            symptom: `NetworkPolicy ${policy.metadata.namespace}/${policy.metadata.name} applies to no pod`,
            cause: `its podSelector ${formatSelector(policy.spec.podSelector)} matches no pod`,
            evidence: [evidence.field('spec.podSelector', formatSelector(policy.spec.podSelector))],
            confidence: 0.8,
            docs: DOCS.networkPolicies,
          }),
        );
      }
    }
    return findings;
  },
};
