// The direct answers of the question kinds other than "what is wrong", each from its own reads:
// what changed (a timeline of rollouts, config edits, scaling and events, oldest first); the logs
// or events of something (the relevant lines, not all of them); is something healthy (what was
// checked, what was clean); why something does not scale or schedule (the autoscaler and the lead
// cause). The first turn and follow-ups share them.
import { type InvestigationReport, type ObjectRef } from '@foxhound/contracts';
import {
  type Change,
  changesOf,
  createSnapshot,
  type Deployment,
  type Diagnosis,
  type KubeEvent,
  type KubeObject,
  type LogSignal,
  lookup,
  type Pod,
  type ReplicaSet,
  rolloutOf,
  type SnapshotObjects,
} from '@foxhound/diagnostics';
import { type TurnEmitter } from '../events/emitter';
import { refText } from '../report/markdown';
import { investigator, logAnalyst } from '../roles/roles';
import { oneLine, type OfflineRun } from './offline-run';

type TimelineEntry = InvestigationReport['timeline'][number];

export interface Answer {
  answer: string;
  timeline?: TimelineEntry[];
  evidence?: { source: 'log' | 'event' | 'analysis'; excerpt: string; ref?: ObjectRef }[];
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
const MAX_LINES = 8;
/** Lines worth quoting though no log class claims them: errors, warnings, locks, waits, kills. */
const NOTABLE =
  /\b(error|err|fail(ed|ure)?|fatal|panic|exception|warn(ing)?|timeout|timed out|refused|denied|forbidden|lock(ed)?|waiting|blocked|killed|oom|deadlock|retry(ing)?|abort(ed)?)\b/i;

/** How each container stands: waiting and why, and how its last instance ended (OOMKilled, exit 137). */
function containerStates(pod: Pod): string {
  const lines = (pod.status?.containerStatuses ?? []).flatMap((c) => {
    const now = c.state?.waiting
      ? `waiting (${c.state.waiting.reason ?? 'no reason'})`
      : c.state?.terminated
        ? `terminated (${c.state.terminated.reason ?? 'no reason'}, exit ${c.state.terminated.exitCode})`
        : undefined;
    const last = c.lastState?.terminated;
    const before = last
      ? `last instance ended ${last.reason ?? 'without a reason'} (exit ${last.exitCode}${last.finishedAt ? ` at ${last.finishedAt}` : ''})`
      : undefined;
    return now || before ? [`container ${c.name} ${[now, before].filter(Boolean).join(', ')}`] : [];
  });
  return lines.length ? `; ${lines.join('; ')}` : '';
}

/**
 * The pod the question means: the newest when it says new or latest, a running one when it says
 * running, else the one in the most trouble (not ready, most restarts).
 */
function pickPod(pods: Pod[], prompt: string): Pod {
  const text = prompt.toLowerCase();
  const created = (p: Pod) => Date.parse(p.metadata.creationTimestamp ?? '') || 0;
  const restarts = (p: Pod) => (p.status?.containerStatuses ?? []).reduce((n, s) => n + s.restartCount, 0);
  const ready = (p: Pod) =>
    (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
  if (/\b(new|newest|latest|recent)\b/.test(text))
    return [...pods].sort((a, b) => created(b) - created(a))[0]!;
  if (/\b(running|active|still)\b/.test(text)) {
    const running = pods.filter((p) => p.status?.phase === 'Running');
    if (running.length) return running.sort((a, b) => created(b) - created(a))[0]!;
  }
  return [...pods].sort((a, b) => Number(ready(a)) - Number(ready(b)) || restarts(b) - restarts(a))[0]!;
}
const eventAt = (e: KubeEvent): string =>
  e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? '';

/** What changed around a workload (or in a namespace): rollouts, config, scaling, then events. */
/** A Deployment's rollouts (with the template diff), scaling and config edits, from list reads. */
async function deploymentChanges(
  run: OfflineRun,
  e: TurnEmitter,
  target: ObjectRef,
  events: KubeEvent[],
): Promise<{ changes: Change[]; diff: string[] } | undefined> {
  const namespace = target.namespace!;
  const got = await run.call<Deployment>(logAnalyst, e, 'kubectl_get', {
    kind: 'Deployment',
    namespace,
    name: target.name,
  });
  if (got.status !== 'success' || !got.data) return undefined;
  const sets = await run.call<ReplicaSet[]>(logAnalyst, e, 'kubectl_get', {
    kind: 'ReplicaSet',
    namespace,
    limit: 500,
  });
  const maps = await run.call<KubeObject[]>(logAnalyst, e, 'kubectl_get', {
    kind: 'ConfigMap',
    namespace,
    limit: 500,
  });
  const l = lookup(
    createSnapshot({
      capturedAt: run.ctx.tools.now().toISOString(),
      namespaces: [namespace],
      objects: {
        deployments: [got.data],
        replicaSets: sets.data ?? [],
        configMaps: (maps.data ?? []) as SnapshotObjects['configMaps'],
        events,
      },
    }),
  );
  const rollout = rolloutOf(l, got.data);
  return {
    changes: changesOf(l, target, got.data.spec.template),
    diff: rollout?.previous
      ? [
          `Deployment ${namespace}/${target.name}: revision ${rollout.previousRevision} → ${rollout.currentRevision} (${rollout.current.metadata.name})`,
          ...rollout.diff.map((d) => `  ${d}`),
        ]
      : [],
  };
}

export async function changesAnswer(
  run: OfflineRun,
  e: TurnEmitter,
  target: ObjectRef | undefined,
  namespace: string,
): Promise<Answer> {
  const workload = target && WORKLOADS.has(target.kind) ? target : undefined;
  const events = await run.call<KubeEvent[]>(logAnalyst, e, 'kubectl_events', { namespace, limit: 60 });
  // A Deployment's history is in its ReplicaSets: a few list reads instead of what_changed's
  // snapshot of the whole namespace (every log included).
  const own =
    workload?.kind === 'Deployment'
      ? await deploymentChanges(run, e, workload, events.status === 'success' ? (events.data ?? []) : [])
      : undefined;
  const changed = own
    ? { status: 'success' as const, data: own.changes, text: own.diff.join('\n') }
    : await run.call<Change[]>(logAnalyst, e, 'what_changed', {
        namespace,
        ...(workload ? { kind: workload.kind, name: workload.name } : {}),
        sinceHours: 72,
      });
  const timeline: TimelineEntry[] = [
    ...(changed.status === 'success' ? (changed.data ?? []) : []).map((c) => ({
      at: c.at,
      what: `${c.kind}: ${c.what}`,
      ref: c.ref,
    })),
    ...(events.status === 'success' ? (events.data ?? []) : [])
      .filter(
        (ev) =>
          ev.type === 'Warning' ||
          /Scaling|Scaled|Killing|Created|Pulled|NodeNotReady|Evicted|Rebooted|SuccessfulCreate|SuccessfulDelete/.test(
            ev.reason ?? '',
          ),
      )
      .map((ev) => ({
        at: eventAt(ev),
        what: `${ev.type === 'Warning' ? 'Warning ' : ''}${ev.reason ?? ''} ${ev.involvedObject.kind}/${ev.involvedObject.name}: ${oneLine(ev.message ?? '')}`.slice(
          0,
          300,
        ),
        ref: { kind: ev.involvedObject.kind ?? 'Object', namespace, name: ev.involvedObject.name ?? '' },
      })),
  ]
    .filter((t) => t.at)
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .slice(-30);
  const where = workload ? refText(workload) : `namespace ${namespace}`;
  const changes = timeline.filter((t) => /^(rollout|config|scale):/.test(t.what));
  // The pod-template diff of the latest rollout (image, env, command, resources) is in the tool's text.
  const diff =
    changed.status === 'success'
      ? changed.text
          .split('\n')
          .filter((l) => /^Deployment .*revision/.test(l) || (/^ {2}\S/.test(l) && !/ ago \(/.test(l)))
          .slice(0, 12)
      : [];
  // An object that is not a workload (an Ingress, a ConfigMap) is read as it stands now.
  const described =
    target && !workload
      ? await run.call(logAnalyst, e, 'kubectl_describe', { kind: target.kind, namespace, name: target.name })
      : undefined;
  const answer = [
    diff.length ? `The latest rollout: ${diff.map((l) => l.trim()).join('; ')}.` : '',
    described?.status === 'success'
      ? `${refText(target!)} as it is now: ${described.text
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
          .slice(0, 12)
          .join(' | ')
          .slice(0, 800)}.`
      : '',
    changes.length
      ? `What changed around ${where} (oldest first): ${changes.map((t) => `${t.at} ${t.what}`).join('; ')}.`
      : `No rollout, config edit or scaling of ${where} was found${own ? '' : ' in the last 72 hours'}.`,
    timeline.length > changes.length
      ? `Events in ${namespace}: ${timeline
          .filter((t) => !changes.includes(t))
          .slice(-6)
          .map((t) => `${t.at} ${t.what}`)
          .join('; ')}.`
      : `kubectl_events: ${events.summary}.`,
  ]
    .filter(Boolean)
    .join(' ');
  return { answer, timeline };
}

/** The relevant lines of a workload's (or pod's) log and its events, not the whole log. */
export async function logsAnswer(run: OfflineRun, e: TurnEmitter, target: ObjectRef): Promise<Answer> {
  const namespace = target.namespace!;
  let pods: Pod[] = [];
  if (target.kind === 'Pod') {
    const got = await run.call<Pod>(logAnalyst, e, 'kubectl_get', {
      kind: 'Pod',
      namespace,
      name: target.name,
    });
    if (got.data) pods = [got.data];
  } else {
    const listed = await run.call<Pod[]>(logAnalyst, e, 'kubectl_get', {
      kind: 'Pod',
      namespace,
      limit: 500,
    });
    // A workload's pods carry its name as their prefix (`web-7d9f-abcde`, `db-0`).
    pods = (listed.data ?? []).filter((p) => p.metadata.name.startsWith(`${target.name}-`));
  }
  if (pods.length === 0)
    return { answer: `${refText(target)} has no pods to read logs from (kubectl_get found none).` };
  const restarts = (p: Pod) => (p.status?.containerStatuses ?? []).reduce((n, s) => n + s.restartCount, 0);
  const pod = pickPod(pods, run.request.prompt);
  const podRef: ObjectRef = { kind: 'Pod', namespace, name: pod.metadata.name };
  const owner = pod.metadata.ownerReferences?.[0];
  const logs = await run.call<{ decisive?: LogSignal; signals?: LogSignal[] }>(
    logAnalyst,
    e,
    'fetch_pod_logs',
    {
      namespace,
      pod: pod.metadata.name,
      previous: restarts(pod) > 0,
      tailLines: 300,
    },
  );
  const events = await run.call<KubeEvent[]>(logAnalyst, e, 'kubectl_events', {
    namespace,
    kind: 'Pod',
    name: pod.metadata.name,
    limit: 10,
  });
  const signals = logs.data?.signals ?? [];
  const evidence: NonNullable<Answer['evidence']> = signals
    .slice(0, MAX_LINES)
    .map((s) => ({ source: 'log', excerpt: s.line.trim().slice(0, 400), ref: podRef }));
  const lines =
    logs.status === 'success' ? (logs.text.split('\n---\n')[1]?.split('\n').filter(Boolean) ?? []) : [];
  // The lines an engineer would quote: the classified ones, then other error-looking lines, then the end.
  const classified = new Set(signals.map((s) => s.line.trim()));
  const notable = lines.filter((l) => NOTABLE.test(l) && !classified.has(l.trim())).slice(-MAX_LINES);
  const tail = lines.slice(-3).filter((l) => !notable.includes(l));
  const parts = [
    `${refText(podRef)}${owner ? ` (of ${owner.kind} ${namespace}/${owner.name})` : ''}, ${pod.status?.phase ?? 'phase unknown'}, ${restarts(pod)} restart(s)${containerStates(pod)}.`,
    logs.status === 'success' || logs.status === 'no_data'
      ? `${logs.summary}.`
      : `The log of ${refText(podRef)} could not be read: ${logs.summary}.`,
    signals.length
      ? `The relevant lines: ${signals
          .slice(0, MAX_LINES)
          .map((s) => `[${s.kind} x${s.count}] ${oneLine(s.line).slice(0, 240)}`)
          .join(' | ')}.`
      : '',
    notable.length
      ? `Other lines that stand out: ${notable.map((l) => oneLine(l).slice(0, 240)).join(' | ')}.`
      : '',
    tail.length ? `The last lines: ${tail.map((l) => oneLine(l).slice(0, 200)).join(' | ')}.` : '',
    events.status === 'success'
      ? `Events of ${refText(podRef)}: ${(events.data ?? [])
          .slice(0, 5)
          .map(
            (ev) =>
              `${ev.type === 'Warning' ? 'Warning ' : ''}${ev.reason}: ${oneLine(ev.message ?? '').slice(0, 160)}`,
          )
          .join('; ')}.`
      : `kubectl_events: ${events.summary}.`,
  ];
  return { answer: parts.filter(Boolean).join(' '), evidence };
}

/** Healthy or not, for the objects asked about: the problems on them, else what was checked and clean. */
export function healthAnswer(d: Diagnosis, named: ObjectRef[]): Answer {
  const key = (r: ObjectRef) => `${r.kind}/${r.namespace ?? ''}/${r.name}`;
  const keys = new Set(named.map(key));
  const on = named.length
    ? d.groups.filter((g) =>
        [g.root, ...g.symptoms].some((f) => keys.has(key(f.object)) || (f.parent && keys.has(key(f.parent)))),
      )
    : d.groups;
  const what = named.length
    ? named.slice(0, 4).map(refText).join(', ')
    : `namespace(s) ${d.namespaces.join(', ') || 'in scope'}`;
  if (on.length === 0) {
    const elsewhere =
      named.length && d.groups.length
        ? ` (${d.groups.length} problem(s) elsewhere in scope, listed below)`
        : '';
    return {
      answer: `Yes: ${what} ${named.length > 1 ? 'are' : 'is'} healthy as far as checked${elsewhere}. Checked: ${d.checked.join('; ')}.`,
    };
  }
  return {
    answer: `No: ${on.length} problem(s) on ${what}: ${on
      .slice(0, 3)
      .map((g) => `${g.root.reason} on ${refText(g.root.parent ?? g.root.object)}: ${g.root.cause}`)
      .join('; ')}.`,
  };
}

/** Why something does not scale or schedule: its autoscaler, then the lead cause the analyzers found. */
export async function capacityAnswer(
  run: OfflineRun,
  e: TurnEmitter,
  d: Diagnosis,
  namespace: string,
): Promise<Answer> {
  const hpas = await run.call<
    {
      metadata: { name: string };
      spec?: { scaleTargetRef?: { name?: string }; minReplicas?: number; maxReplicas?: number };
      status?: { currentReplicas?: number; desiredReplicas?: number };
    }[]
  >(investigator, e, 'kubectl_get', { kind: 'HorizontalPodAutoscaler', namespace });
  const lead = d.groups[0];
  const parts: string[] = [];
  if (lead)
    parts.push(`${lead.root.reason} on ${refText(lead.root.parent ?? lead.root.object)}: ${lead.root.cause}`);
  else parts.push(`No analyzer found what blocks scaling or scheduling in ${namespace}.`);
  const list = hpas.status === 'success' ? (hpas.data ?? []) : [];
  parts.push(
    list.length
      ? `Autoscalers in ${namespace}: ${list.map((h) => `${h.metadata.name} → ${h.spec?.scaleTargetRef?.name ?? '?'} (min ${h.spec?.minReplicas ?? 1}, max ${h.spec?.maxReplicas ?? '?'}, current ${h.status?.currentReplicas ?? '?'}, desired ${h.status?.desiredReplicas ?? '?'})`).join('; ')}.`
      : `kubectl_get: ${hpas.summary}.`,
  );
  return { answer: parts.join(' ') };
}
