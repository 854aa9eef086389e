// Pod-level problems (the pod analyzer's helper): not scheduled (with the scheduler's reasons
// checked against nodes, taints and claims), gated, stuck creating (volumes that cannot mount),
// evicted, stuck terminating.
import { explainUnschedulable } from '../causes/scheduling';
import { describeMissing, parseMissingReference } from '../causes/config-refs';
import { type Lookup } from '../lookup';
import { type Pod } from '../snapshot';
import { DOCS } from '../util/docs';
import { evidence } from '../util/finding';
import { refOf } from '../util/refs';
import { formatAge, toMillis } from '../util/time';
import { spreadCeiling } from '../causes/spread';
import { suggestDeletePod, suggestScale } from '../suggestions';
import { type PodProblem } from './types';

/** A pod still terminating this long after deletion is stuck (finalizer, lost node). */
const STUCK_TERMINATING_MS = 10 * 60 * 1000;
const CREATE_FAILURES = new Set([
  'FailedMount',
  'FailedAttachVolume',
  'FailedCreatePodSandBox',
  'FailedCreatePodContainer',
]);

function pendingProblem(l: Lookup, pod: Pod): PodProblem | undefined {
  const events = l.eventsFor(refOf('Pod', pod));
  if (pod.spec.schedulingGates?.length) {
    const gates = pod.spec.schedulingGates.map((g) => g.name).join(', ');
    return {
      reason: 'SchedulingGated',
      severity: 'medium',
      symptom: 'the pod is Pending and not considered for scheduling',
      cause: `scheduling gates ${gates} have not been removed`,
      evidence: [evidence.field('spec.schedulingGates', gates)],
      confidence: 0.9,
      docs: DOCS.scheduling,
      failing: true,
    };
  }
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') {
    const event = events.find((e) => e.reason === 'FailedScheduling');
    const message = scheduled.message ?? event?.message ?? '';
    const x = explainUnschedulable(l, pod, message);
    const ceiling = spreadCeiling(l, pod, message);
    return {
      reason: 'Unschedulable',
      severity: 'high',
      symptom: 'the pod is Pending: the scheduler cannot place it on any node',
      cause: `the scheduler finds no node: ${x.text}`,
      evidence: [
        event ? evidence.event(event) : evidence.field('status.conditions[PodScheduled].message', message),
        ...x.evidence,
      ],
      confidence: x.evidence.length ? 0.9 : 0.75,
      docs: /taint/.test(message) ? DOCS.taints : DOCS.scheduling,
      failing: true,
      culprit: x.culprit,
      subject: x.subject,
      suggestion: ceiling
        ? suggestScale(
            ceiling.deployment,
            ceiling.placed,
            `its required pod anti-affinity on ${ceiling.topologyKey} holds one pod per domain, and the ${ceiling.placed} placed pods fill every domain there is; scaling down removes the pods that never ran`,
          )
        : undefined,
    };
  }
  const failure = events.find((e) => e.type === 'Warning' && CREATE_FAILURES.has(e.reason ?? ''));
  if (!failure) return undefined;
  const namespace = pod.metadata.namespace ?? 'default';
  const missing = parseMissingReference(l, namespace, failure.message ?? '');
  const culprit =
    missing?.kind === 'PersistentVolumeClaim' && missing.objectExists
      ? { kind: 'PersistentVolumeClaim', name: missing.name, namespace }
      : undefined;
  return {
    reason: failure.reason!,
    severity: 'high',
    symptom: `the pod is stuck ${pod.status?.phase === 'Pending' ? 'creating its containers' : 'starting'}: ${failure.reason}`,
    cause: missing
      ? `a volume cannot be mounted: ${describeMissing(missing, namespace)}`
      : `the kubelet cannot set the pod up: ${failure.message}`,
    evidence: [evidence.event(failure)],
    confidence: missing ? 0.9 : 0.6,
    docs:
      missing?.kind === 'Secret' ? DOCS.secrets : missing?.kind === 'ConfigMap' ? DOCS.configMaps : DOCS.pvc,
    failing: true,
    culprit,
    subject: missing?.name,
    // A sandbox that cannot be set up (CNI, runtime) is usually node-local and transient: a new pod gets a new try.
    suggestion:
      failure.reason === 'FailedCreatePodSandBox'
        ? suggestDeletePod(
            l,
            pod,
            'its sandbox cannot be created on this node; the controller creates a replacement',
          )
        : undefined,
    missing:
      missing && !culprit
        ? {
            ref: { kind: missing.kind, name: missing.name, namespace },
            description: describeMissing(missing, namespace),
          }
        : undefined,
  };
}

/** Pod-level problems; container problems are found separately. */
export function podLevelProblems(l: Lookup, pod: Pod): PodProblem[] {
  const phase = pod.status?.phase;
  if (phase === 'Failed' && pod.status?.reason === 'Evicted') {
    return [
      {
        reason: 'Evicted',
        severity: 'low',
        symptom: 'the pod was evicted from its node',
        cause: pod.status.message ?? 'the node reclaimed resources',
        evidence: [evidence.field('status.message', pod.status.message ?? 'Evicted')],
        confidence: 0.8,
        docs: DOCS.eviction,
        failing: false,
        culprit: pod.spec.nodeName ? { kind: 'Node', name: pod.spec.nodeName } : undefined,
      },
    ];
  }
  const deleted = toMillis(pod.metadata.deletionTimestamp);
  if (deleted !== undefined && l.now - deleted > STUCK_TERMINATING_MS) {
    return [
      {
        reason: 'StuckTerminating',
        severity: 'medium',
        symptom: `the pod has been terminating for ${formatAge(l.now - deleted)}`,
        cause: pod.spec.nodeName
          ? `its node ${pod.spec.nodeName} does not confirm the deletion (node down or a finalizer holds it)`
          : 'a finalizer holds it',
        evidence: [evidence.field('metadata.deletionTimestamp', pod.metadata.deletionTimestamp)],
        confidence: 0.6,
        docs: DOCS.podLifecycle,
        failing: false,
        culprit: pod.spec.nodeName ? { kind: 'Node', name: pod.spec.nodeName } : undefined,
      },
    ];
  }
  if (phase === 'Unknown') {
    return [
      {
        reason: 'PodStatusUnknown',
        severity: 'high',
        symptom: "the pod's state is Unknown",
        cause: pod.spec.nodeName
          ? `its node ${pod.spec.nodeName} stopped reporting (node lost or kubelet down)`
          : 'no node reports its state',
        evidence: [evidence.field('status.phase', 'Unknown')],
        confidence: 0.7,
        docs: DOCS.nodes,
        failing: true,
        culprit: pod.spec.nodeName ? { kind: 'Node', name: pod.spec.nodeName } : undefined,
        // The controller recreates a deleted pod on a node that reports; the lost node never will.
        suggestion: suggestDeletePod(
          l,
          pod,
          `its node ${pod.spec.nodeName ?? ''} stopped reporting; the controller recreates it elsewhere`,
        ),
      },
    ];
  }
  if (phase === 'Pending') {
    const problem = pendingProblem(l, pod);
    return problem ? [problem] : [];
  }
  return [];
}
