// Deployment analyzer: replicas that are not ready, a rollout past its progress deadline, and a
// Deployment scaled to zero while a Service still routes to it (with the replica count it had).
import { type Finding } from '@foxhound/contracts';
import { endpointCounts } from '../causes/dependency';
import { serviceGraph } from '../causes/graph';
import { lookup, type Lookup } from '../lookup';
import { type ClusterSnapshot, type Deployment } from '../snapshot';
import { suggestScale } from '../suggestions';
import { DOCS } from '../util/docs';
import { evidence, makeFinding } from '../util/finding';
import { describeRef, refOf } from '../util/refs';
import { toMillis } from '../util/time';
import { type Analyzer } from './types';

/** A Deployment changed this recently may still be rolling out: not yet a mismatch. */
const SETTLE_MS = 2 * 60 * 1000;

/** The replica count before the Deployment was scaled to zero: the scaling event, else the last applied spec. */
function replicasBeforeScaleDown(l: Lookup, d: Deployment): number | undefined {
  for (const e of l.eventsFor(refOf('Deployment', d))) {
    const m = /Scaled down replica set \S+ (?:from (\d+) to 0|to 0 from (\d+))/.exec(e.message ?? '');
    if (e.reason === 'ScalingReplicaSet' && m) return Number(m[1] ?? m[2]);
  }
  const applied = d.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'];
  if (applied) {
    try {
      const replicas = (JSON.parse(applied) as { spec?: { replicas?: number } }).spec?.replicas;
      if (typeof replicas === 'number' && replicas > 0) return replicas;
    } catch {
      // An unparseable annotation just means no hint.
    }
  }
  return undefined;
}

function scaledToZero(l: Lookup, d: Deployment): Finding | undefined {
  const ref = refOf('Deployment', d);
  const graph = serviceGraph(l);
  const services = graph.servicesOf(ref);
  if (!services.length) return undefined;
  const callers = services.flatMap((s) => graph.callersOf(s));
  const starved = services.filter((s) => {
    const svc = l.get('services', s.namespace, s.name);
    return svc && endpointCounts(l, svc).ready === 0;
  });
  if (!starved.length) return undefined;
  const before = replicasBeforeScaleDown(l, d);
  const hpa = l
    .list('horizontalPodAutoscalers')
    .find(
      (h) =>
        h.metadata.namespace === d.metadata.namespace &&
        h.spec.scaleTargetRef.kind === 'Deployment' &&
        h.spec.scaleTargetRef.name === d.metadata.name,
    );
  const target = before ?? hpa?.spec.minReplicas ?? 1;
  const ev = [evidence.field('spec.replicas', 0)];
  const scaleEvent = l
    .eventsFor(ref)
    .find((e) => e.reason === 'ScalingReplicaSet' && /to 0/.test(e.message ?? ''));
  if (scaleEvent) ev.push(evidence.event(scaleEvent));
  ev.push(
    evidence.analysis(
      `${starved.map(describeRef).join(', ')} select only this Deployment's pods and have no endpoints`,
    ),
  );
  return makeFinding('deployment', 'ScaledToZero', ref, {
    severity: callers.length ? 'critical' : 'high',
    symptom: `${describeRef(ref)} has 0 replicas; ${starved.map(describeRef).join(', ')} has no endpoints${callers.length ? ` and ${callers.length} caller(s) fail` : ''}`,
    cause: `Deployment ${d.metadata.name} was scaled to zero replicas${before ? ` (from ${before})` : ''}, so nothing serves ${starved.map((s) => s.name).join(', ')}`,
    evidence: ev,
    confidence: scaleEvent ? 0.92 : 0.8,
    suggestion: suggestScale(d, target, `restore the ${target} replica(s) it ran before`),
    docs: DOCS.deployments,
  });
}

function analyzeDeployment(l: Lookup, d: Deployment): Finding[] {
  const ref = refOf('Deployment', d);
  const desired = d.spec.replicas ?? 1;
  const findings: Finding[] = [];
  if (desired === 0) {
    const f = scaledToZero(l, d);
    return f ? [f] : [];
  }
  const progressing = d.status?.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
    findings.push(
      makeFinding('deployment', 'ProgressDeadlineExceeded', ref, {
        severity: 'high',
        symptom: `${describeRef(ref)} rollout has stalled: ${d.status?.updatedReplicas ?? 0} of ${desired} replicas updated`,
        cause:
          progressing.message ?? 'the new ReplicaSet did not become available within the progress deadline',
        evidence: [
          evidence.field(
            'status.conditions[Progressing]',
            `${progressing.reason}: ${progressing.message ?? ''}`,
          ),
        ],
        confidence: 0.6,
        docs: DOCS.deployments,
      }),
    );
  }
  const ready = d.status?.readyReplicas ?? 0;
  const updated = Math.max(
    toMillis(progressing?.lastUpdateTime) ?? 0,
    toMillis(d.metadata.creationTimestamp) ?? 0,
  );
  // A rollout still within its progress deadline is replacing pods, not failing (unless nothing serves).
  const rollingOut = progressing?.status === 'True' && progressing.reason === 'ReplicaSetUpdated';
  if (ready < desired && (ready === 0 || (l.now - updated > SETTLE_MS && !rollingOut)) && !d.spec.paused) {
    findings.push(
      makeFinding('deployment', 'ReplicaMismatch', ref, {
        severity: ready === 0 ? 'high' : 'medium',
        symptom: `${describeRef(ref)} has ${ready} of ${desired} replicas ready`,
        cause: `${desired - ready} replica(s) are not ready; their pods show why`,
        evidence: [
          evidence.field('spec.replicas', desired),
          evidence.field('status.readyReplicas', ready),
          evidence.field('status.unavailableReplicas', d.status?.unavailableReplicas ?? desired - ready),
        ],
        confidence: 0.5,
        docs: DOCS.deployments,
      }),
    );
  }
  if (d.spec.paused && (d.status?.updatedReplicas ?? 0) < desired) {
    findings.push(
      makeFinding('deployment', 'RolloutPaused', ref, {
        severity: 'low',
        symptom: `${describeRef(ref)} is paused mid-rollout`,
        cause: 'spec.paused is true: the new template is not rolled out until the Deployment is resumed',
        evidence: [evidence.field('spec.paused', true)],
        confidence: 0.9,
        docs: DOCS.deployments,
      }),
    );
  }
  return findings;
}

export const deploymentAnalyzer: Analyzer = {
  name: 'deployment',
  kinds: ['Deployment'],
  analyze(snapshot: ClusterSnapshot): Finding[] {
    const l = lookup(snapshot);
    return l.list('deployments').flatMap((d) => analyzeDeployment(l, d));
  },
};
