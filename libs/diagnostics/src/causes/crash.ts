// Why a container dies: OOM kill against its limit and observed use, a liveness probe that checks the
// wrong port or path, the decisive line of its previous log (missing env var, command not found,
// refused dependency, ...), its termination message, or at least what the exit code means.
import { type Evidence, type ObjectRef } from '@foxhound/contracts';
import { type Lookup } from '../lookup';
import { type Container, type ContainerStatus, type KubeEvent, type LimitRange, type Pod } from '../snapshot';
import { DOCS } from '../util/docs';
import { evidence } from '../util/finding';
import { formatBytes, parseQuantity } from '../util/quantity';
import { refOf } from '../util/refs';
import { analyzeLog } from '../logs/analyze';
import { explainDependency } from './dependency';
import { quoteTemplate } from './log-health';
import { REACHABILITY_SIGNALS, type LogSignal, decisiveSignal, describeSignal, signalsOf } from './logs';
import { explainProbe, type ProbeProblem } from './probes';
import { memoryUsage } from './usage';

export interface CrashExplanation {
  /** Stable reason code for the finding. */
  reason: string;
  cause: string;
  evidence: Evidence[];
  confidence: number;
  /** The object at fault when it is not the container itself (a dependency, a policy). */
  culprit?: ObjectRef;
  signal?: LogSignal;
  docs: string;
  /** A failing liveness probe's diagnosis (the port the process listens on), for a probe fix. */
  probe?: ProbeProblem;
  /** OOMKilled: the memory working set's observed peak, for a limit that fits it. */
  peakMemory?: number;
}

const EXIT_CODES: Record<number, string> = {
  1: 'an application error',
  2: 'a usage or argument error',
  126: 'a command that cannot be executed',
  127: 'a command that is not found',
  134: 'an abort (SIGABRT)',
  137: 'a SIGKILL (memory limit or a liveness probe kill)',
  139: 'a segmentation fault (SIGSEGV)',
  143: 'a SIGTERM',
};

/** Probe failures strong enough to name as the cause even when the log shows other errors. */
const STRONG_PROBE = new Set(['named-port-missing', 'port-mismatch', 'undeclared-port', 'path-not-found']);

export function containerPath(pod: Pod, name: string): string {
  const i = pod.spec.containers.findIndex((c) => c.name === name);
  if (i >= 0) return `spec.containers[${i}]`;
  return `spec.initContainers[${(pod.spec.initContainers ?? []).findIndex((c) => c.name === name)}]`;
}

/** The newest probe-failure event for a container (`Unhealthy`, message starting "<Kind> probe failed"). */
export function probeEvent(
  l: Lookup,
  pod: Pod,
  container: string,
  kind: 'Liveness' | 'Readiness' | 'Startup',
): KubeEvent | undefined {
  return l
    .eventsFor(refOf('Pod', pod))
    .find(
      (e) =>
        e.reason === 'Unhealthy' &&
        (e.message ?? '').startsWith(`${kind} probe failed`) &&
        (!e.involvedObject.fieldPath || e.involvedObject.fieldPath.includes(`{${container}}`)),
    );
}

function limitRangeDefault(l: Lookup, namespace: string, resource: string): LimitRange | undefined {
  return l
    .list('limitRanges')
    .find(
      (lr) =>
        lr.metadata.namespace === namespace &&
        lr.spec.limits.some((i) => i.type === 'Container' && i.default?.[resource] !== undefined),
    );
}

function explainOom(
  l: Lookup,
  pod: Pod,
  c: Container,
  status: ContainerStatus,
  path: string,
  oomLine?: { line: string; previous: boolean },
): CrashExplanation {
  const ns = pod.metadata.namespace ?? 'default';
  const limit = parseQuantity(c.resources?.limits?.memory);
  const usage = memoryUsage(l, ns, pod.metadata.name, c.name);
  const ev: Evidence[] = [
    evidence.field(`status.containerStatuses[${c.name}].lastState.terminated.reason`, 'OOMKilled'),
  ];
  if (limit !== undefined)
    ev.push(evidence.field(`${path}.resources.limits.memory`, c.resources!.limits!.memory));
  if (usage?.peak !== undefined)
    ev.push(
      evidence.metric(`${c.name} memory working set peaked at ${formatBytes(usage.peak)} (${usage.source})`),
    );
  if (oomLine) ev.push(evidence.log(oomLine.line, oomLine.previous));
  let cause =
    limit !== undefined
      ? `container ${c.name} is killed for exceeding its memory limit of ${formatBytes(limit)} (OOMKilled, exit code 137, ${status.restartCount} restarts)`
      : `container ${c.name} is killed for running out of memory (OOMKilled, no memory limit set: the node ran out)`;
  if (usage?.peak !== undefined && limit)
    cause += `; observed use reached ${formatBytes(usage.peak)} (${Math.round((usage.peak / limit) * 100)}% of the limit)`;
  const lr = limit !== undefined ? limitRangeDefault(l, ns, 'memory') : undefined;
  const template = l.workloadOf(pod);
  if (lr && template) {
    const w = template.kind === 'Deployment' ? l.get('deployments', ns, template.name) : undefined;
    const declared = w?.spec.template.spec.containers.find((x) => x.name === c.name)?.resources?.limits
      ?.memory;
    if (w && declared === undefined) {
      cause += `; the limit is not in the pod template but defaulted by LimitRange ${lr.metadata.name}`;
      ev.push(
        evidence.analysis(
          `LimitRange ${ns}/${lr.metadata.name} sets the default memory limit the container runs with`,
          refOf('LimitRange', lr),
        ),
      );
    }
  }
  return {
    reason: 'OOMKilled',
    cause,
    evidence: ev,
    confidence: 0.9,
    docs: DOCS.oom,
    peakMemory: usage?.peak,
  };
}

function signalEvidence(
  l: Lookup,
  pod: Pod,
  c: Container,
  path: string,
  signal: LogSignal,
  previous: boolean,
): { text: string; evidence: Evidence[]; culprit?: ObjectRef; confidence: number } {
  const ev: Evidence[] = [evidence.log(signal.line, previous)];
  let text = describeSignal(signal);
  let confidence = 0.85;
  let culprit: ObjectRef | undefined;
  if (signal.kind === 'missing-env' && signal.subject) {
    const defined = (c.env ?? []).find((e) => e.name === signal.subject);
    if (!defined && !(c.envFrom ?? []).length) {
      text += ` (the container spec does not define ${signal.subject})`;
      ev.push(evidence.field(`${path}.env`, (c.env ?? []).map((e) => e.name).join(', ') || '(none)'));
      confidence = 0.92;
    } else if (defined) {
      text += ` (the spec defines ${signal.subject}${defined.value === '' ? ' as an empty string' : ''})`;
      confidence = defined.value === '' ? 0.85 : 0.6;
    }
  } else if (signal.kind === 'missing-file' && signal.subject) {
    const mount = mountedSource(pod, c, signal.subject);
    if (mount) {
      text += `; ${mount.text}`;
      ev.push(evidence.field(`spec.volumes[${mount.volume}]`, mount.source));
      confidence = 0.9;
    }
  } else if (signal.kind === 'command-not-found') {
    if (c.command || c.args)
      ev.push(evidence.field(`${path}.command`, [...(c.command ?? []), ...(c.args ?? [])].join(' ')));
    confidence = 0.9;
  } else if (REACHABILITY_SIGNALS.has(signal.kind)) {
    const dep = explainDependency(l, pod, signal);
    if (dep) {
      text += `: ${dep.text}`;
      ev.push(...dep.evidence);
      culprit = dep.culprit;
      confidence = culprit ? 0.85 : 0.7;
    }
  } else if (signal.kind === 'panic') {
    confidence = 0.6;
  }
  return { text, evidence: ev, culprit, confidence };
}

/**
 * The volume a missing file lives under, when the container mounts one there: a ConfigMap or Secret
 * that lacks the key, or is optional and absent, explains the missing file better than the app does.
 */
function mountedSource(
  pod: Pod,
  c: Container,
  file: string,
): { volume: string; source: unknown; text: string } | undefined {
  const mount = (c.volumeMounts ?? [])
    .filter((m) => file === m.mountPath || file.startsWith(`${m.mountPath.replace(/\/$/, '')}/`))
    .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
  const volume = mount && pod.spec.volumes?.find((v) => v.name === mount.name);
  if (!mount || !volume) return undefined;
  const from = volume.secret
    ? { kind: 'Secret', name: volume.secret.secretName, optional: volume.secret.optional }
    : volume.configMap
      ? { kind: 'ConfigMap', name: volume.configMap.name, optional: volume.configMap.optional }
      : undefined;
  if (!from) return undefined;
  const optional = from.optional ? ' (optional, so the pod starts without it when it is missing)' : '';
  return {
    volume: volume.name,
    source: volume.secret ?? volume.configMap,
    text: `${mount.mountPath} is mounted from ${from.kind} ${pod.metadata.namespace}/${from.name}${optional}, which does not provide ${file.slice(mount.mountPath.replace(/\/$/, '').length + 1) || 'it'}`,
  };
}

/** Explains the last termination of a container that keeps restarting or has failed. */
export function explainCrash(l: Lookup, pod: Pod, c: Container, status: ContainerStatus): CrashExplanation {
  const ns = pod.metadata.namespace ?? 'default';
  const path = containerPath(pod, c.name);
  const term = status.lastState?.terminated ?? status.state?.terminated;
  const logs = l.logsFor(ns, pod.metadata.name, c.name);
  const previous = logs.previous ? signalsOf(logs.previous.lines) : [];
  const current = logs.current ? signalsOf(logs.current.lines) : [];
  const fromPrevious = previous.length > 0;
  const signal = previous[0] ?? current[0];
  const exit = term
    ? `exit code ${term.exitCode}${term.reason && term.reason !== 'Error' ? `, ${term.reason}` : ''}`
    : 'no exit recorded';

  if (term?.reason === 'OOMKilled') {
    const oom = [...previous, ...current].find((s) => s.kind === 'oom');
    return explainOom(l, pod, c, status, path, oom && { line: oom.line, previous: previous.includes(oom) });
  }

  const liveness = probeEvent(l, pod, c.name, 'Liveness');
  if (liveness && c.livenessProbe) {
    const lines = [...(logs.previous?.lines ?? []), ...(logs.current?.lines ?? [])];
    const probe = explainProbe(c, c.livenessProbe, liveness.message, lines);
    if (probe && (STRONG_PROBE.has(probe.kind) || !signal)) {
      const ev: Evidence[] = [
        evidence.event(liveness),
        evidence.field(`${path}.livenessProbe`, c.livenessProbe),
      ];
      if (probe.listeningLine) ev.push(evidence.log(probe.listeningLine, false));
      return {
        reason: 'LivenessProbeFailing',
        cause: `the kubelet restarts container ${c.name} because its liveness probe fails: ${probe.text}`,
        evidence: ev,
        confidence: STRONG_PROBE.has(probe.kind) ? 0.9 : 0.65,
        docs: DOCS.probes,
        probe,
      };
    }
  }

  if (signal) {
    const explained = signalEvidence(l, pod, c, path, signal, fromPrevious);
    const ev = explained.evidence;
    if (term)
      ev.push(
        evidence.field(`status.containerStatuses[${c.name}].lastState.terminated.exitCode`, term.exitCode),
      );
    return {
      reason: 'CrashLoopBackOff',
      cause: `container ${c.name} exits (${exit}) because ${explained.text}`,
      evidence: ev,
      confidence: explained.confidence,
      culprit: explained.culprit,
      signal,
      docs: DOCS.debugPods,
    };
  }

  const message = term?.message ?? status.state?.waiting?.message;
  const fromMessage = message ? decisiveSignal(message.split('\n')) : undefined;
  if (fromMessage) {
    return {
      reason: 'CrashLoopBackOff',
      cause: `container ${c.name} exits (${exit}) because ${describeSignal(fromMessage)}`,
      evidence: [
        evidence.field(`status.containerStatuses[${c.name}].lastState.terminated.message`, fromMessage.line),
      ],
      confidence: 0.8,
      signal: fromMessage,
      docs: DOCS.debugPods,
    };
  }
  const meaning = term ? EXIT_CODES[term.exitCode] : undefined;
  const exitEvidence = term
    ? [
        evidence.field(`status.containerStatuses[${c.name}].lastState.terminated`, {
          exitCode: term.exitCode,
          reason: term.reason,
        }),
      ]
    : [];
  const said = lastWords(logs.previous?.lines ?? logs.current?.lines);
  if (said) {
    // No class names the cause, but the log does: quote its own words rather than the exit code alone.
    return {
      reason: 'CrashLoopBackOff',
      cause: `container ${c.name} exits (${exit})${meaning ? `, which signals ${meaning}` : ''}; its last error in the log: ${said.quote}`,
      evidence: [evidence.log(said.excerpt, !!logs.previous), ...exitEvidence],
      confidence: meaning ? 0.6 : 0.5,
      docs: DOCS.debugPods,
    };
  }
  const collected = logs.previous ?? logs.current;
  const noLogs = !collected
    ? ' (no logs were available)'
    : collected.lines.every((line) => line.trim() === '')
      ? ' and wrote nothing to its log before exiting'
      : ' (its log names no cause)';
  return {
    reason: 'CrashLoopBackOff',
    cause: `container ${c.name} exits (${exit})${meaning ? `, which signals ${meaning}` : ''}${noLogs}`,
    evidence: exitEvidence,
    confidence: meaning ? 0.5 : 0.35,
    docs: DOCS.debugPods,
  };
}

/** The error a log ends on, when no class names it: the newest error template, quoted with its count. */
function lastWords(lines: readonly string[] | undefined): { quote: string; excerpt: string } | undefined {
  if (!lines?.length) return undefined;
  const errors = analyzeLog(lines).templates.filter((t) => t.severity === 'error' || t.severity === 'fatal');
  if (!errors.length) return undefined;
  const newest = errors.reduce((a, b) => (b.lastIndex > a.lastIndex ? b : a));
  return { quote: quoteTemplate(newest), excerpt: newest.example };
}
