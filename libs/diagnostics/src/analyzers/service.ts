// Service analyzer: a selector that matches no pod (naming the label that matches nothing and the
// pods that were probably meant), no ready endpoints (and what the pods behind it are doing), and a
// targetPort that no selected container exposes or listens on.
import { type Finding } from '@foxhound/contracts';
import { endpointCounts, podStates, portMismatch } from '../causes/dependency';
import { serviceGraph } from '../causes/graph';
import { lookup, type Lookup } from '../lookup';
import { type ClusterSnapshot, type Service } from '../snapshot';
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
  });
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
      }),
    );
    break;
  }
  return findings;
}

export const serviceAnalyzer: Analyzer = {
  name: 'service',
  kinds: ['Service', 'Endpoints'],
  analyze(snapshot: ClusterSnapshot): Finding[] {
    const l = lookup(snapshot);
    return l.list('services').flatMap((s) => analyze(l, s));
  },
};
