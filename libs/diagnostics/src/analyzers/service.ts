// Service analyzer: a selector that matches no pod (naming the label that matches nothing and the
// pods that were probably meant, with the corrected selector when they say it unambiguously), no
// ready endpoints (and what the pods behind it are doing), and a targetPort that no selected
// container exposes or listens on (with the port they serve, when there is one).
import { type Finding } from '@foxhound/contracts';
import { endpointCounts, podStates, portMismatch } from '../causes/dependency';
import { serviceGraph } from '../causes/graph';
import { lookup, type Lookup } from '../lookup';
import { listeningPorts } from '../causes/log-targets';
import { type ClusterSnapshot, type Pod, type Service } from '../snapshot';
import { suggestServicePort, suggestServiceSelector } from '../suggestions';
import { DOCS } from '../util/docs';
import { evidence, makeFinding } from '../util/finding';
import { describeRef, refOf } from '../util/refs';
import { formatSelector } from '../util/selectors';
import { type Analyzer } from './types';

function callersNote(l: Lookup, service: Service): string {
  const callers = serviceGraph(l).callersOf(refOf('Service', service));
  return callers.length ? `; ${callers.map(describeRef).slice(0, 4).join(', ')} call it` : '';
}

/**
 * Which selector label matches nothing, and the pods probably meant: those carrying the most of the
 * selector's values under any key (a relabel from `app=cart` to `app.kubernetes.io/name=cart`).
 */
function selectorMismatch(l: Lookup, service: Service): Finding {
  const ref = refOf('Service', service);
  const ns = service.metadata.namespace ?? 'default';
  const selector = service.spec.selector!;
  const pods = l.podsIn(ns);
  const pairs = Object.entries(selector);
  const unmatched = pairs.filter(([k, v]) => !pods.some((p) => p.metadata.labels?.[k] === v));
  const overlap = (labels: Record<string, string>) =>
    pairs.filter(([, v]) => Object.values(labels).includes(v)).length;
  const best = Math.max(0, ...pods.map((p) => overlap(p.metadata.labels ?? {})));
  const near = best > 0 ? pods.filter((p) => overlap(p.metadata.labels ?? {}) === best) : [];
  const sample = near[0]?.metadata.labels ?? {};
  const hints = unmatched.map(([k, v]) => {
    const carried = Object.entries(sample)
      .filter(([, value]) => value === v)
      .map(([key]) => `${key}=${v}`);
    const otherValues = [
      ...new Set(pods.map((p) => p.metadata.labels?.[k]).filter((x): x is string => x !== undefined)),
    ];
    const hint = carried.length
      ? ` (the pods carry ${carried.join(', ')})`
      : otherValues.length
        ? ` (pods carry ${k}=${otherValues.slice(0, 3).join(', ')})`
        : '';
    return `${k}=${v} matches no pod${hint}`;
  });
  const workloads = [
    ...new Set(
      near
        .map((p) => l.workloadOf(p))
        .filter((w) => w)
        .map((w) => describeRef(w!)),
    ),
  ];
  const meant = workloads.length === 1 ? near.map((p) => l.workloadOf(p)).find((w) => w) : undefined;
  const fixed = meant && correctedSelector(selector, unmatched, near);
  return makeFinding('service', 'SelectorMatchesNothing', ref, {
    severity: 'high',
    symptom: `${describeRef(ref)} has no endpoints${callersNote(l, service)}`,
    cause: `its selector ${formatSelector(selector)} matches no pod: ${hints.join('; ') || 'no pods in the namespace'}${workloads.length ? `; it probably means the pods of ${workloads.slice(0, 3).join(', ')}` : ''}`,
    evidence: [
      evidence.field('spec.selector', formatSelector(selector)),
      evidence.analysis(hints.join('; ') || `no pods in ${ns}`),
      ...(near[0] ? [evidence.field('metadata.labels', formatSelector(sample), refOf('Pod', near[0]))] : []),
    ],
    confidence: near.length ? 0.92 : 0.75,
    docs: DOCS.services,
    suggestion: fixed && meant && suggestServiceSelector(l, service, fixed, meant),
  });
}

/**
 * The selector with each label that matches nothing replaced by what the meant pods carry: the
 * same value under the key they use (a relabel), or the one value they have under the same key.
 * Undefined when the pods do not say it unambiguously.
 */
function correctedSelector(
  selector: Record<string, string>,
  unmatched: [string, string][],
  near: Pod[],
): Record<string, string> | undefined {
  const labels = near.map((p) => p.metadata.labels ?? {});
  const fixed = { ...selector };
  for (const [key, value] of unmatched) {
    delete fixed[key];
    const keys = [...new Set(labels.flatMap((l) => Object.keys(l).filter((k) => l[k] === value)))];
    const values = [...new Set(labels.map((l) => l[key]).filter((v): v is string => v !== undefined))];
    if (keys.length === 1) fixed[keys[0]!] = value;
    else if (values.length === 1) fixed[key] = values[0]!;
    else return undefined;
  }
  return fixed;
}

function analyze(l: Lookup, service: Service): Finding[] {
  if (
    service.spec.type === 'ExternalName' ||
    !service.spec.selector ||
    !Object.keys(service.spec.selector).length
  )
    return [];
  const ref = refOf('Service', service);
  const { ready, notReady, pods } = endpointCounts(l, service);
  if (!pods.length) {
    // A selector that matches a workload's template is right even when no pod runs: say who runs none.
    const backend = serviceGraph(l).backendsOf(ref)[0];
    if (!backend) return [selectorMismatch(l, service)];
    return [
      makeFinding('service', 'NoEndpoints', ref, {
        severity: 'high',
        symptom: `${describeRef(ref)} has no endpoints${callersNote(l, service)}`,
        cause: `${describeRef(backend)}, which it selects, runs no pods`,
        evidence: [
          evidence.analysis(
            `${describeRef(backend)} matches the selector ${formatSelector(service.spec.selector)} but has no pods`,
            backend,
          ),
        ],
        confidence: 0.6,
        docs: DOCS.services,
      }),
    ];
  }
  const findings: Finding[] = [];
  if (ready === 0) {
    const workload = l.workloadOf(pods[0]);
    findings.push(
      makeFinding('service', 'NoReadyEndpoints', ref, {
        severity: 'high',
        symptom: `${describeRef(ref)} has no ready endpoints${callersNote(l, service)}`,
        cause: `none of the ${pods.length} pod(s) it selects is ready: ${podStates(pods)}`,
        evidence: [
          evidence.analysis(
            `pods selected by ${formatSelector(service.spec.selector)}: ${podStates(pods)}`,
            workload ?? refOf('Pod', pods[0]),
          ),
        ],
        confidence: 0.6,
        docs: DOCS.services,
      }),
    );
  } else if (notReady > 0) {
    findings.push(
      makeFinding('service', 'EndpointsNotReady', ref, {
        severity: 'low',
        symptom: `${describeRef(ref)} has ${notReady} not-ready endpoint(s) of ${ready + notReady}`,
        cause: `some selected pods are not ready: ${podStates(pods)}`,
        evidence: [evidence.analysis(`pods: ${podStates(pods)}`, l.workloadOf(pods[0]))],
        confidence: 0.5,
        docs: DOCS.services,
      }),
    );
  }
  for (const port of service.spec.ports ?? []) {
    const mismatch = portMismatch(l, service, pods, port);
    if (!mismatch) continue;
    const served = servedPort(l, pods[0]!);
    findings.push(
      makeFinding('service', 'TargetPortMismatch', ref, {
        severity: 'high',
        symptom: `${describeRef(ref)} forwards traffic to a port nothing serves${callersNote(l, service)}`,
        cause: mismatch,
        evidence: [
          evidence.field(
            'spec.ports',
            (service.spec.ports ?? []).map((p) => `${p.port}->${p.targetPort ?? p.port}`).join(', '),
          ),
        ],
        confidence: 0.85,
        docs: DOCS.services,
        suggestion:
          served === undefined ? undefined : suggestServicePort(service, port.port, served, mismatch),
      }),
    );
    break;
  }
  return findings;
}

/** The one port the pods serve: their only declared port, or the one their log says they listen on. */
function servedPort(l: Lookup, pod: Pod): number | undefined {
  const declared = pod.spec.containers.flatMap((c) => c.ports ?? []);
  if (declared.length) return declared.length === 1 ? declared[0]!.containerPort : undefined;
  const ns = pod.metadata.namespace ?? 'default';
  const listening = [
    ...new Set(
      pod.spec.containers.flatMap((c) =>
        listeningPorts(l.logsFor(ns, pod.metadata.name, c.name).current?.lines ?? []).map((p) => p.port),
      ),
    ),
  ];
  return listening.length === 1 ? listening[0] : undefined;
}

export const serviceAnalyzer: Analyzer = {
  name: 'service',
  kinds: ['Service', 'Endpoints'],
  analyze(snapshot: ClusterSnapshot): Finding[] {
    const l = lookup(snapshot);
    return l.list('services').flatMap((s) => analyze(l, s));
  },
};
