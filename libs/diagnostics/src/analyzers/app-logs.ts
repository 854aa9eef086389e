// Healthy to Kubernetes, failing for users: Running and Ready pods whose own log shows a fatal-class
// error (memory exhaustion, disk full, read-only file system, RBAC refusal), an endpoint answering
// 5xx, slow requests, a recurring error template at a real error rate, or errors reaching a broken
// dependency. The verdict is causes/log-health.ts; this file links it to the cluster (the dependency
// behind a connection error, whose `ref` ranking follows) and groups replicas failing the same way.
import { type Evidence, type Finding, isEditAction, type ObjectRef } from '@foxhound/contracts';
import {
  lastModified,
  type Rollout,
  rolloutOf,
  type RolloutSuspicion,
  runsReplicaSet,
  suspectRollout,
} from '../causes/changes';
import { explainDependency } from '../causes/dependency';
import { configFault, type LogFault } from '../causes/log-faults';
import { type LogHealth, logHealth, MIN_SERVER_ERRORS, quoteTemplate, windowOf } from '../causes/log-health';
import { DEPENDENCY_SIGNALS, describeSignal, type LogSignal, REACHABILITY_SIGNALS } from '../causes/logs';
import { isErrorLike } from '../logs/severity';
import { lookup, type Lookup } from '../lookup';
import { type ClusterSnapshot, type Container, type Pod } from '../snapshot';
import { type TimeoutRaise, timeoutRaise } from '../causes/server-flags';
import { leakedUnderRevision, leakReport } from '../causes/leaks';
import { staleCredentials } from '../causes/stale-credentials';
import { suggestCommandLine, suggestRollback, suggestRolloutRestart } from '../suggestions';
import { DOCS } from '../util/docs';
import { evidence, makeFinding } from '../util/finding';
import { describeRef, refKey, refOf } from '../util/refs';
import { toMillis } from '../util/time';
import { type Analyzer, type PodProblem } from './types';

const FATAL_REASON: Record<string, string> = {
  oom: 'OutOfMemoryInProcess',
  'disk-full': 'DiskFull',
  'read-only-fs': 'ReadOnlyFilesystem',
  forbidden: 'Forbidden',
  'startup-failure': 'StartupFailure',
  saturation: 'Saturation',
};

interface AppProblem extends PodProblem {
  /** Error events, to pick the replica whose log says most. */
  errors: number;
  /** Configuration at fault (a ConfigMap key, a claim, a policy): it gets a finding of its own. */
  config?: LogFault;
  /** When the log's errors began (epoch ms of the earliest error template), if its lines carry times. */
  since?: number;
  /** The earliest time the log shows the container doing something that is not an error. */
  workedAt?: number;
  /** Its dependency rejects its credentials. */
  credentialsRejected: boolean;
  /** The server's own timeout on its command line, raised, when its requests run into it. */
  timeout?: TimeoutRaise;
  /** A line the runtime's leak detector wrote. */
  leak?: string;
}

/** The earliest time of a template that is not an error: the container at work. */
function workingSince(a: LogHealth['analysis']): number | undefined {
  let at: number | undefined;
  for (const t of a.templates)
    if (!isErrorLike(t.severity) && t.firstTime !== undefined && (at === undefined || t.firstTime < at))
      at = t.firstTime;
  return at;
}

/**
 * When the errors began, as this log saw it: the earliest error template's time. An error line that
 * carries no time of its own (a JVM "Exception in thread" line) was written after the last timed
 * line before it, so that time bounds its start from below.
 */
function errorsSince(a: LogHealth['analysis']): number | undefined {
  let since: number | undefined;
  const earlier = (t: number | undefined) => t !== undefined && (since === undefined || t < since);
  for (const t of a.templates) {
    if (!isErrorLike(t.severity)) continue;
    let at = t.firstTime;
    if (at === undefined)
      for (const before of a.templates)
        if (
          before.lastIndex < t.firstIndex &&
          before.lastTime !== undefined &&
          (at === undefined || before.lastTime > at)
        )
          at = before.lastTime;
    if (earlier(at)) since = at;
  }
  return since;
}

function isReadyAndRunning(pod: Pod): boolean {
  return (
    pod.status?.phase === 'Running' &&
    !pod.metadata.deletionTimestamp &&
    !!pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')
  );
}

/** A log line quoted inside a sentence: trimmed and bounded. */
const clipQuote = (line: string) => {
  const t = line.trim();
  return t.length > 200 ? `${t.slice(0, 199)}…` : t;
};

/** What the log model could not read as written (binary, invalid UTF-8, ANSI, clipped, non-object JSON, dropped). */
function gapsOf(a: LogHealth['analysis']): string {
  const parts = Object.entries(a.gaps)
    .filter(([, n]) => n > 0)
    .map(([gap, n]) => `${n} ${gap}`);
  return parts.length ? `; read with gaps: ${parts.join(', ')}` : '';
}

const pct = (n: number, of: number) => `${Math.round((n / Math.max(1, of)) * 100)}%`;

/** The dependency behind the log's connection errors, linked to the cluster. */
function dependencyOf(l: Lookup, pod: Pod, health: LogHealth) {
  const signal = health.signals.find((s) => DEPENDENCY_SIGNALS.has(s.kind) && s.count >= 2);
  if (!signal) return undefined;
  const explained = REACHABILITY_SIGNALS.has(signal.kind) ? explainDependency(l, pod, signal) : undefined;
  return { signal, explained };
}

function dependencyClause(dep: { signal: LogSignal; explained?: { text: string } }): string {
  return `${describeSignal(dep.signal)}${dep.explained ? `: ${dep.explained.text}` : ''}`;
}

function appProblem(l: Lookup, pod: Pod, c: Container, lines: readonly string[]): AppProblem | undefined {
  const health = logHealth(lines, l.now);
  const dep = dependencyOf(l, pod, health);
  const a = health.analysis;
  const window = windowOf(a);
  const ev: Evidence[] = [];
  const rate = evidence.analysis(
    `${health.errors} of ${health.events} log events of container ${c.name} are errors ${window}${gapsOf(a)}`,
  );
  // The top-ranked application error (not a request line: those are counted per endpoint).
  const quoted = a.templates.find((t) => !t.request && isErrorLike(t.severity));
  if (quoted) ev.push(evidence.log(quoted.example, false));
  const depEvidence = dep ? [evidence.log(dep.signal.line, false), ...(dep.explained?.evidence ?? [])] : [];
  const config = dep?.explained?.config ?? configFault(l, pod, c, health.signals);
  const culprit =
    (dep?.explained && !dep.explained.healthy ? dep.explained.culprit : undefined) ?? config?.ref;
  const definite = !!dep?.explained?.definite;
  const base = {
    container: c.name,
    docs: DOCS.debugPods,
    failing: false,
    errors: health.errors,
    culprit,
    subject: dep?.signal.host,
    config,
    since: errorsSince(a),
    workedAt: workingSince(a),
    credentialsRejected: dep?.signal.kind === 'auth-failure',
    timeout: timeoutRaise(c, health.signals),
    leak: leakReport(lines),
  };
  const problem = health.problem;

  if (!problem) {
    // Below every rate threshold, only a dependency that is broken (or a certificate or credential it
    // rejects) is worth an alarm: a Ready pod retries through transient failures.
    if (!dep) return undefined;
    const kind = dep.signal.kind;
    if (!culprit && !config && !definite && kind !== 'cert-expired' && kind !== 'auth-failure')
      return undefined;
    return {
      ...base,
      reason: 'DependencyErrors',
      severity: 'medium',
      symptom: `container ${c.name} is up but logs ${dep.signal.count} errors reaching a dependency`,
      cause: dependencyClause(dep),
      evidence: depEvidence,
      confidence: culprit ? 0.8 : 0.6,
      docs: DOCS.services,
    };
  }

  const linked = dep ? `, because ${dependencyClause(dep)}` : '';
  if (problem.kind === 'fatal-class') {
    const s = problem.signal;
    // What users see of it, when the log also records requests: the worst endpoint's 5xx.
    const hit = a.endpoints.find((e) => e.serverErrors >= MIN_SERVER_ERRORS);
    const seen = hit
      ? `; ${hit.method ? `${hit.method} ` : ''}${hit.path} answers ${hit.serverErrors} of ${hit.requests} requests with 5xx`
      : '';
    return {
      ...base,
      reason: FATAL_REASON[s.kind] ?? 'FatalErrors',
      severity: 'high',
      symptom: `container ${c.name} is Running and Ready, but its log reports ${describeSignal(s)} ${s.count} times ${window}`,
      cause: `${describeSignal(s)}: "${clipQuote(s.line)}" (${s.count} times ${window}, while the pod stays Ready)${seen}`,
      evidence: [evidence.log(s.line, false), rate, ...depEvidence],
      confidence: 0.8,
      subject: s.subject ?? s.host,
      docs: s.kind === 'forbidden' ? DOCS.serviceAccounts : DOCS.debugPods,
    };
  }
  if (problem.kind === 'server-errors' || problem.kind === 'latency') {
    const e = problem.endpoint;
    const endpoint = `${e.method ? `${e.method} ` : ''}${e.path}`;
    const stats = evidence.analysis(
      `${endpoint}: ${e.requests} requests ${window}, ${e.serverErrors} answered 5xx (${pct(e.serverErrors, e.requests)})${e.p95Ms !== undefined ? `, p95 ${Math.round(e.p95Ms)} ms, ${e.slow} slower than 1 s` : ''}`,
    );
    // The request lines are the statistic itself; an application error beside them says why.
    const dominant = !dep && quoted ? `; the dominant error is ${quoteTemplate(quoted)}` : '';
    const what =
      problem.kind === 'server-errors'
        ? `${endpoint} answers ${e.serverErrors} of ${e.requests} requests with 5xx errors (${pct(e.serverErrors, e.requests)}) ${window}`
        : `${endpoint} is slow: p95 latency ${Math.round(e.p95Ms ?? 0)} ms over ${e.requests} requests, ${e.slow} slower than 1 s ${window}`;
    return {
      ...base,
      reason: problem.kind === 'server-errors' ? 'ServerErrors' : 'SlowRequests',
      severity: problem.kind === 'server-errors' && e.serverErrors / e.requests >= 0.2 ? 'high' : 'medium',
      symptom: `container ${c.name} is Running and Ready, but ${what}`,
      cause: `${what}${linked}${dominant}`,
      evidence: [stats, ...ev, ...depEvidence],
      confidence: dep ? 0.8 : 0.7,
    };
  }
  const t = problem.template;
  if (
    dep &&
    (culprit ||
      config ||
      definite ||
      dep.signal.kind === 'cert-expired' ||
      dep.signal.kind === 'auth-failure')
  )
    // The errors are the dependency's failure seen from here: its class names the finding.
    return {
      ...base,
      reason: 'DependencyErrors',
      severity: 'medium',
      symptom: `container ${c.name} is Running and Ready, but ${pct(health.errors, health.events)} of its log events are errors reaching a dependency ${window}`,
      cause: `${dependencyClause(dep)}; the log repeats ${quoteTemplate(t)}`,
      evidence: [...depEvidence, rate],
      confidence: culprit ? 0.8 : 0.65,
      docs: DOCS.services,
    };
  return {
    ...base,
    reason: 'ErrorRate',
    severity: t.severity === 'fatal' ? 'high' : 'medium',
    symptom: `container ${c.name} is Running and Ready, but ${pct(health.errors, health.events)} of its log events are errors ${window}`,
    cause: dep
      ? `${dependencyClause(dep)}; the log repeats ${quoteTemplate(t)}`
      : `the application keeps failing: its log repeats ${quoteTemplate(t)} (${health.errors} of ${health.events} events are errors ${window})`,
    evidence: [...ev, evidence.analysis(`error template "${t.template}" x${t.count}`), rate, ...depEvidence],
    confidence: dep ? 0.75 : 0.6,
  };
}

interface Group {
  workload?: ObjectRef;
  pod: Pod;
  pods: Pod[];
  problem: AppProblem;
}

function toFinding(l: Lookup, g: Group): Finding {
  const podRef = refOf('Pod', g.pod);
  const total = g.workload ? l.podsOf(g.workload).filter((p) => p.status?.phase === 'Running').length : 1;
  const where = g.workload
    ? `${g.pods.length} of ${total} pod(s) of ${describeRef(g.workload)}`
    : `Pod ${g.pod.metadata.namespace}/${g.pod.metadata.name}`;
  const ev = g.problem.evidence.map((e) => (e.ref || e.source === 'analysis' ? e : { ...e, ref: podRef }));
  const culprit = g.problem.culprit;
  if (culprit && !ev.some((e) => e.source === 'analysis' && e.ref && refKey(e.ref) === refKey(culprit)))
    ev.push(evidence.analysis(`the fault lies with ${describeRef(culprit)}`, culprit));
  if (g.pods.length > 1)
    ev.push(
      evidence.analysis(
        `same errors on ${g.pods
          .map((p) => p.metadata.name)
          .slice(0, 5)
          .join(', ')}${g.pods.length > 5 ? ', …' : ''}`,
      ),
    );
  const finding = makeFinding('app-logs', g.problem.reason, podRef, {
    parent: g.workload,
    severity: g.problem.severity,
    symptom: `${where}: ${g.problem.symptom}`,
    cause: g.problem.cause,
    evidence: ev,
    confidence: g.problem.confidence,
    docs: g.problem.docs,
  });
  finding.id += `/${g.problem.container}`;
  return finding;
}

/** The RBAC object a refusal names, when it stayed as it was since `at` (epoch ms). */
function unchangedRbacSince(l: Lookup, culprit: ObjectRef, at: number | undefined): boolean {
  const objects =
    culprit.kind === 'Role'
      ? l.list('roles')
      : culprit.kind === 'ClusterRole'
        ? l.list('clusterRoles')
        : culprit.kind === 'ServiceAccount'
          ? l.list('serviceAccounts')
          : [];
  const obj = objects.find(
    (o) =>
      o.metadata.name === culprit.name &&
      (o.metadata.namespace ?? undefined) === (culprit.namespace ?? undefined),
  );
  const written = obj && toMillis(lastModified(obj));
  return at !== undefined && written !== undefined && written <= at;
}

/**
 * A permission the new revision needs: the refusal began with a rollout that changed the code (an
 * image) or the ServiceAccount, while the Role it names was not touched since. The rollout is what
 * changed, so undoing it restores service while the Role gains the verb.
 */
function newPermissionNeeded(l: Lookup, g: Group, rollout: Rollout): boolean {
  const culprit = g.problem.culprit;
  if (g.problem.config?.reason !== 'MissingPermission' || !culprit) return false;
  const codeChanged = rollout.diff.some((d) => / image |^serviceAccountName /.test(d));
  return codeChanged && unchangedRbacSince(l, culprit, toMillis(rollout.at));
}

/**
 * Causes that hold for a revision's whole life, so its rollout is suspect without the time window,
 * however little of that life the log tail still shows. A refusal is deterministic: the same call
 * under the same unchanged Role was refused from the moment the new revision's pods started. A
 * leak accumulates: when every process ran only the new revision, that code leaked.
 */
function revisionLongCause(l: Lookup, g: Group): RolloutSuspicion | undefined {
  if (g.workload?.kind !== 'Deployment') return undefined;
  const deployment = l.get('deployments', g.workload.namespace, g.workload.name);
  const rollout = deployment && rolloutOf(l, deployment);
  if (!deployment || !rollout?.previous || !g.pods.every((p) => runsReplicaSet(p, rollout.current)))
    return undefined;
  if (newPermissionNeeded(l, g, rollout))
    return {
      deployment,
      rollout,
      why: `${describeRef(g.problem.culprit!)} is unchanged since before revision ${rollout.currentRevision}, whose pods are all refused`,
    };
  // A leak accumulates over the process's life: when every process has run only the new revision,
  // that code leaked, however long after the rollout the pool or the memory ran out.
  if (g.problem.leak && !g.problem.culprit && leakedUnderRevision(g.pods, rollout.current))
    return {
      deployment,
      rollout,
      why: `the runtime's leak detector reports "${clipQuote(g.problem.leak)}" in pods that have run only revision ${rollout.currentRevision} since it was rolled out, without a restart (a restart only resets the leak)`,
    };
  return undefined;
}

/**
 * Errors that began soon after the workload's latest rollout, from pods of the new revision: the
 * rollout is the change to undo, as an SRE would first try. A fault that lies with another object
 * (a dependency, a ConfigMap) counts only when the rollout's diff names what the log names (a host
 * set in the new template's env), or when it is a permission the new code asks for that its
 * unchanged Role never granted. Returns true when the finding was pinned on the rollout.
 */
function pinOnRollout(l: Lookup, g: Group, finding: Finding): boolean {
  const suspicion =
    (g.problem.since !== undefined ? suspectRollout(l, g.workload, g.pods, g.problem.since) : undefined) ??
    revisionLongCause(l, g);
  if (!suspicion) return false;
  const { deployment, rollout } = suspicion;
  const subject = g.problem.subject;
  const named = subject ? rollout.diff.filter((d) => d.includes(subject)) : [];
  if (g.problem.culprit && !named.length && !newPermissionNeeded(l, g, rollout)) return false;
  const diff = [...named, ...rollout.diff.filter((d) => !named.includes(d))];
  finding.evidence.push(
    evidence.analysis(
      `${suspicion.why}; revision ${rollout.currentRevision} changed: ${diff.join('; ')}`,
      refOf('Deployment', deployment),
    ),
  );
  finding.cause += `; this began with revision ${rollout.currentRevision} of Deployment ${deployment.metadata.name} (${diff.slice(0, 2).join('; ')})`;
  if (!finding.suggestion || isEditAction(finding.suggestion.action))
    finding.suggestion =
      suggestRollback(deployment, rollout, `the errors began with revision ${rollout.currentRevision}`) ??
      finding.suggestion;
  return true;
}

/**
 * Credentials rejected after the container worked for a while: it holds a Secret from before a
 * rotation, and a restart makes it read the current one. Returns true when the finding got the fix.
 */
function restartForRotation(l: Lookup, g: Group, finding: Finding): boolean {
  if (!g.problem.credentialsRejected || finding.suggestion) return false;
  const c = g.pod.spec.containers.find((x) => x.name === g.problem.container);
  const stale = c && staleCredentials(l, g.pod, c, g.problem.since, g.problem.workedAt);
  const fix =
    stale && suggestRolloutRestart(l, g.pod, 'the pods read the current credentials when they start');
  if (!stale || !fix) return false;
  finding.evidence.push(evidence.analysis(stale.why, stale.secret));
  finding.cause += `; ${stale.why}`;
  finding.suggestion = fix;
  return true;
}

/** Requests that outlast the server's own timeout: raise it on the command line, as a stopgap. */
function raiseServerTimeout(l: Lookup, g: Group, finding: Finding): boolean {
  const t = g.problem.timeout;
  const c = t && g.pod.spec.containers.find((x) => x.name === g.problem.container);
  const fix =
    t &&
    c &&
    suggestCommandLine(
      l,
      g.pod,
      c,
      t,
      `Raise the server's request timeout from ${t.from} s to ${t.to} s`,
      `Requests that need up to ${t.to} s finish instead of having their worker killed; the slow requests still hold a worker that long, so moving them off the request path is the lasting fix.`,
    );
  if (!t || !fix || finding.suggestion) return false;
  finding.evidence.push(
    evidence.analysis(`the container's ${t.field} sets the timeout its requests run into: ${t.from} s`),
  );
  finding.suggestion = fix;
  return true;
}

/** The configuration at fault, as the finding the workload's is filed under. */
function configFinding(g: Group, podFinding: Finding): Finding {
  const fault = g.problem.config!;
  const who = g.workload ? describeRef(g.workload) : describeRef(refOf('Pod', g.pod));
  return makeFinding('app-logs', fault.reason, fault.ref, {
    severity: g.problem.severity,
    symptom: `${who} is Running and Ready but failing because of it: ${g.problem.symptom}`,
    cause: fault.description,
    evidence: podFinding.evidence.filter((e) => e.source !== 'analysis').slice(0, 3),
    confidence: Math.min(0.9, g.problem.confidence + 0.05),
    docs: g.problem.docs,
    // The setting corrected in place, else undoing the rollout that introduced it.
    suggestion: fault.fix ?? podFinding.suggestion,
  });
}

export const appLogsAnalyzer: Analyzer = {
  name: 'app-logs',
  kinds: ['Pod'],
  analyze(snapshot: ClusterSnapshot): Finding[] {
    const l = lookup(snapshot);
    const groups = new Map<string, Group>();
    for (const pod of l.list('pods')) {
      if (!isReadyAndRunning(pod)) continue;
      const workload = l.workloadOf(pod);
      for (const status of pod.status?.containerStatuses ?? []) {
        if (!status.ready || !status.state?.running) continue;
        const c = pod.spec.containers.find((x) => x.name === status.name);
        const lines =
          c && l.logsFor(pod.metadata.namespace ?? 'default', pod.metadata.name, c.name).current?.lines;
        const problem = c && lines?.length ? appProblem(l, pod, c, lines) : undefined;
        if (!problem) continue;
        const key = `${workload ? refKey(workload) : refKey(refOf('Pod', pod))}|${problem.reason}|${problem.container}`;
        const group = groups.get(key);
        if (!group) groups.set(key, { workload, pod, pods: [pod], problem });
        else {
          group.pods.push(pod);
          if (problem.errors > group.problem.errors) {
            group.pod = pod;
            group.problem = problem;
          }
        }
      }
    }
    const findings = new Map<string, Finding>();
    for (const g of groups.values()) {
      const f = toFinding(l, g);
      // One fix per finding, the most specific first: the rollout, the stale Secret, the timeout.
      if (!pinOnRollout(l, g, f) && !restartForRotation(l, g, f)) raiseServerTimeout(l, g, f);
      findings.set(f.id, f);
      if (g.problem.config) {
        const fault = configFinding(g, f);
        if (!findings.has(fault.id)) findings.set(fault.id, fault);
      }
    }
    return [...findings.values()];
  },
};
