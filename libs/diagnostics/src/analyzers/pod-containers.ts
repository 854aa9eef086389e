// Container-level problems of one pod (the pod analyzer's helper): image pulls, missing config
// references, start errors, crash loops, failed containers, failing readiness, repeated restarts.
// What the log of a container that is up and ready shows is the app-logs analyzer's.
import { type Evidence } from '@foxhound/contracts';
import { explainCrash, containerPath, probeEvent } from '../causes/crash';
import { classifyPullFailure, closestImages, parseImage } from '../causes/images';
import { describeMissing, parseMissingReference } from '../causes/config-refs';
import { explainDependency } from '../causes/dependency';
import {
  DEPENDENCY_SIGNALS,
  REACHABILITY_SIGNALS,
  decisiveSignal,
  describeSignal,
  signalsOf,
} from '../causes/logs';
import { explainProbe, type ProbeProblem } from '../causes/probes';
import { rolloutOf } from '../causes/changes';
import { type Lookup } from '../lookup';
import { type Container, type ContainerStatus, type Pod } from '../snapshot';
import {
  suggestEnvRepoint,
  suggestImagePatch,
  suggestMemoryLimit,
  suggestProbePort,
  suggestRollback,
} from '../suggestions';
import { DOCS } from '../util/docs';
import { evidence } from '../util/finding';
import { refOf } from '../util/refs';
import { toMillis } from '../util/time';
import { type PodProblem } from './types';

const IMAGE_PULL = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'ErrImageNeverPull',
  'InvalidImageName',
  'ImageInspectError',
  'RegistryUnavailable',
]);
const START_ERRORS = new Set([
  'CreateContainerError',
  'RunContainerError',
  'StartError',
  'PreStartHookError',
  'PostStartHookError',
  'PreCreateHookError',
]);
/** A restart counts as recent (the container is still unstable) within this window. */
const RECENT_RESTART_MS = 60 * 60 * 1000;
/** A container that is not ready this soon after starting is still warming up. */
const WARMUP_MS = 60 * 1000;

function imageProblem(l: Lookup, pod: Pod, c: Container, status: ContainerStatus): PodProblem {
  const image = c.image ?? status.image ?? '';
  const waiting = status.state!.waiting!;
  const pullEvent = l
    .eventsFor(refOf('Pod', pod))
    .find((e) => e.reason === 'Failed' && (e.message ?? '').includes(image));
  const message = [pullEvent?.message, waiting.message].filter(Boolean).join(' ');
  const failure = classifyPullFailure(message, waiting.reason);
  const workload = l.workloadOf(pod);
  const deployment =
    workload?.kind === 'Deployment' ? l.get('deployments', workload.namespace, workload.name) : undefined;
  const previousTemplates = deployment
    ? l
        .replicaSetsOf(deployment.metadata.namespace ?? '', deployment.metadata.name)
        .slice(1)
        .map((rs) => ({
          template: rs.spec.template,
          seenIn: `ReplicaSet ${rs.metadata.namespace}/${rs.metadata.name} (revision ${l.revisionOf(rs)})`,
        }))
    : [];
  const candidate =
    failure === 'not-found' || failure === 'invalid-name'
      ? closestImages(l, image, previousTemplates)[0]
      : undefined;
  const ref = parseImage(image);
  const what = ref?.tag ? `tag ${ref.tag} of ${ref.registry}/${ref.repository}` : image;
  const causes: Record<typeof failure, string> = {
    'not-found': `image ${image} does not exist: the registry has no ${what}`,
    unauthorized: `the registry refuses to pull ${image}: access denied or credentials missing (imagePullSecrets: ${pod.spec.imagePullSecrets?.map((s) => s.name).join(', ') || 'none'})`,
    'invalid-name': `${image} is not a valid image reference`,
    'registry-unreachable': `the node cannot reach the registry to pull ${image}`,
    'rate-limited': `the registry rate-limits pulls of ${image}`,
    unknown: `pulling ${image} fails`,
  };
  let cause = causes[failure];
  if (candidate)
    cause += `; ${candidate.previous ? 'the previous revision ran' : 'the cluster runs'} ${candidate.image} (${candidate.seenIn})`;
  const ev: Evidence[] = [evidence.field(`${containerPath(pod, c.name)}.image`, image)];
  if (pullEvent) ev.push(evidence.event(pullEvent));
  else if (waiting.message)
    ev.push(evidence.field(`status.containerStatuses[${c.name}].state.waiting.message`, waiting.message));
  let suggestion;
  if (deployment && candidate) {
    suggestion = suggestImagePatch(
      deployment,
      c.name,
      candidate.image,
      image,
      `${image} does not exist; ${candidate.image} does`,
      candidate.previous,
    );
  } else if (deployment && (failure === 'not-found' || failure === 'invalid-name')) {
    const rollout = rolloutOf(l, deployment);
    if (rollout?.diff.some((d) => d.includes(`container ${c.name} image`)))
      suggestion = suggestRollback(
        deployment,
        rollout,
        `revision ${rollout.previousRevision} ran an image that exists`,
      );
  }
  // Never a guessed tag: without one the cluster ran and no revision to return to, say so.
  if (!suggestion && !candidate && failure === 'not-found')
    cause += `; no safe fix: the tag does not exist, and the cluster ran no other tag of ${ref?.repository ?? image} to return to`;
  return {
    reason: waiting.reason === 'InvalidImageName' ? 'InvalidImageName' : 'ImagePullBackOff',
    severity: 'high',
    container: c.name,
    symptom: `container ${c.name} cannot start: ${waiting.reason} pulling ${image}`,
    cause,
    evidence: ev,
    confidence: failure === 'unknown' ? 0.5 : candidate ? 0.92 : 0.8,
    docs: DOCS.images,
    failing: true,
    suggestion,
    subject: image,
  };
}

function configProblem(l: Lookup, pod: Pod, c: Container, status: ContainerStatus): PodProblem {
  const namespace = pod.metadata.namespace ?? 'default';
  const waiting = status.state!.waiting!;
  const missing = parseMissingReference(l, namespace, waiting.message ?? '');
  return {
    reason: waiting.reason!,
    severity: 'high',
    container: c.name,
    symptom: `container ${c.name} cannot be created: ${waiting.reason}`,
    cause: missing
      ? `container ${c.name} references configuration that is not there: ${describeMissing(missing, namespace)}`
      : `container ${c.name} cannot be created: ${waiting.message ?? waiting.reason}`,
    evidence: [
      evidence.field(
        `status.containerStatuses[${c.name}].state.waiting.message`,
        waiting.message ?? waiting.reason,
      ),
    ],
    confidence: missing ? 0.92 : 0.6,
    docs: missing?.kind === 'Secret' ? DOCS.secrets : DOCS.configMaps,
    failing: true,
    subject: missing?.name,
    suggestion: missing && suggestEnvRepoint(l, pod, c, missing),
    missing: missing && {
      ref: { kind: missing.kind, name: missing.name, namespace },
      description: describeMissing(missing, namespace),
    },
  };
}

function startProblem(pod: Pod, c: Container, status: ContainerStatus): PodProblem {
  const waiting = status.state!.waiting!;
  const signal = waiting.message ? decisiveSignal([waiting.message]) : undefined;
  return {
    reason: waiting.reason!,
    severity: 'high',
    container: c.name,
    symptom: `container ${c.name} cannot start: ${waiting.reason}`,
    cause: `the runtime cannot start container ${c.name}: ${signal ? describeSignal(signal) : (waiting.message ?? waiting.reason)}`,
    evidence: [
      evidence.field(
        `status.containerStatuses[${c.name}].state.waiting.message`,
        waiting.message ?? waiting.reason,
      ),
    ],
    confidence: signal ? 0.85 : 0.6,
    docs: DOCS.debugPods,
    failing: true,
    subject: signal?.subject,
  };
}

function crashProblem(
  l: Lookup,
  pod: Pod,
  c: Container,
  status: ContainerStatus,
  reasonOverride?: string,
): PodProblem {
  const x = explainCrash(l, pod, c, status);
  const waitingReason = status.state?.waiting?.reason;
  const state =
    waitingReason ??
    (status.state?.terminated ? `terminated (exit code ${status.state.terminated.exitCode})` : 'restarting');
  return {
    reason: reasonOverride ?? x.reason,
    severity: 'high',
    container: c.name,
    symptom: `container ${c.name} is ${state} after ${status.restartCount} restart(s)`,
    cause: x.cause,
    evidence: x.evidence,
    confidence: x.confidence,
    docs: x.docs,
    failing: !status.ready,
    culprit: x.culprit,
    subject: x.signal?.subject ?? x.signal?.host,
    suggestion: crashFix(l, pod, c, x),
  };
}

/** The typed edit a crash's own evidence names: a limit that fits, a liveness probe on the served port. */
function crashFix(l: Lookup, pod: Pod, c: Container, x: ReturnType<typeof explainCrash>) {
  if (x.reason === 'OOMKilled') return suggestMemoryLimit(l, pod, c, x.peakMemory);
  const port = x.probe && probeFixPort(c, x.probe);
  if (port === undefined) return undefined;
  return suggestProbePort(l, pod, c.name, 'liveness', port, x.probe!.text);
}

/**
 * The port a failing probe should check, when the evidence names one: the port the process logs it
 * listens on, or the container's only declared port when the probe names another or a missing name.
 */
function probeFixPort(c: Container, probe: ProbeProblem): number | undefined {
  if (probe.kind === 'port-mismatch') return probe.listeningPort;
  const declared = c.ports ?? [];
  if ((probe.kind === 'named-port-missing' || probe.kind === 'undeclared-port') && declared.length === 1)
    return declared[0]!.containerPort;
  return undefined;
}

function readinessProblem(
  l: Lookup,
  pod: Pod,
  c: Container,
  status: ContainerStatus,
): PodProblem | undefined {
  const started = toMillis(status.state?.running?.startedAt);
  const event = probeEvent(l, pod, c.name, 'Readiness');
  if (!event && started !== undefined && l.now - started < WARMUP_MS) return undefined;
  const logs = l.logsFor(pod.metadata.namespace ?? 'default', pod.metadata.name, c.name);
  const lines = logs.current?.lines ?? [];
  const probe = c.readinessProbe && explainProbe(c, c.readinessProbe, event?.message, lines);
  const ev: Evidence[] = [];
  if (event) ev.push(evidence.event(event));
  if (c.readinessProbe)
    ev.push(evidence.field(`${containerPath(pod, c.name)}.readinessProbe`, c.readinessProbe));
  if (probe?.listeningLine) ev.push(evidence.log(probe.listeningLine, false));
  let cause = probe
    ? `the readiness probe fails: ${probe.text}`
    : `container ${c.name} is running but not ready`;
  let culprit;
  let confidence =
    probe && ['port-mismatch', 'named-port-missing', 'undeclared-port', 'path-not-found'].includes(probe.kind)
      ? 0.9
      : 0.6;
  const dep = signalsOf(lines).find((s) => DEPENDENCY_SIGNALS.has(s.kind));
  if (dep && (!probe || ['http-error', 'timeout', 'failing'].includes(probe.kind))) {
    const explained = REACHABILITY_SIGNALS.has(dep.kind) ? explainDependency(l, pod, dep) : undefined;
    cause += `, because ${describeSignal(dep)}${explained ? `: ${explained.text}` : ''}`;
    ev.push(evidence.log(dep.line, false), ...(explained?.evidence ?? []));
    culprit = explained?.culprit;
    confidence = culprit ? 0.85 : 0.7;
  }
  const port = probe && probeFixPort(c, probe);
  return {
    reason: 'ReadinessProbeFailing',
    severity: 'high',
    container: c.name,
    symptom: `container ${c.name} is running but not ready, so the pod receives no Service traffic`,
    cause,
    evidence: ev,
    confidence,
    docs: DOCS.probes,
    failing: true,
    culprit,
    subject: dep?.host,
    suggestion:
      port === undefined || culprit
        ? undefined
        : suggestProbePort(l, pod, c.name, 'readiness', port, probe!.text),
  };
}

/** Every container-level problem of one pod; at most one per container. */
export function containerProblems(l: Lookup, pod: Pod): PodProblem[] {
  const problems: PodProblem[] = [];
  const specs = new Map<string, { c: Container; init: boolean }>();
  for (const c of pod.spec.initContainers ?? []) specs.set(c.name, { c, init: c.restartPolicy !== 'Always' });
  for (const c of pod.spec.containers) specs.set(c.name, { c, init: false });
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const restartPolicy = pod.spec.restartPolicy ?? 'Always';
  for (const status of statuses) {
    const spec = specs.get(status.name);
    if (!spec) continue;
    const { c, init } = spec;
    const waiting = status.state?.waiting?.reason;
    const terminated = status.state?.terminated;
    const last = status.lastState?.terminated;
    let problem: PodProblem | undefined;
    if (waiting && IMAGE_PULL.has(waiting)) problem = imageProblem(l, pod, c, status);
    else if (waiting === 'CreateContainerConfigError') problem = configProblem(l, pod, c, status);
    else if (waiting && START_ERRORS.has(waiting)) problem = startProblem(pod, c, status);
    else if (waiting === 'CrashLoopBackOff') problem = crashProblem(l, pod, c, status);
    else if (terminated && terminated.exitCode !== 0 && (init || restartPolicy !== 'Always'))
      problem = crashProblem(l, pod, c, status, init ? 'InitContainerFailed' : 'ContainerFailed');
    else if (
      status.state?.running &&
      !status.ready &&
      !init &&
      pod.metadata.deletionTimestamp === undefined
    ) {
      problem =
        status.restartCount > 0 && last && l.now - (toMillis(last.finishedAt) ?? 0) < RECENT_RESTART_MS
          ? crashProblem(l, pod, c, status)
          : readinessProblem(l, pod, c, status);
    } else if (
      status.state?.running &&
      status.restartCount >= 3 &&
      last &&
      l.now - (toMillis(last.finishedAt) ?? 0) < RECENT_RESTART_MS
    ) {
      problem = { ...crashProblem(l, pod, c, status), severity: 'medium', failing: false };
    }
    if (problem) problems.push(problem);
  }
  return problems;
}
