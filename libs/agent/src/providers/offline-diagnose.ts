// The full investigation, for a first turn or a follow-up that names something new: scope, the
// analyzers over it (focused on what the question names), the specialists' reads, which confirm,
// demote or replace the leading hypothesis (offline-weigh.ts), the impact, typed fixes for each
// separate root cause (never one the thread already has), and a report shaped by the kind of
// question. Narration quotes only reads that were made.
import { type Finding, type ObjectRef } from '@foxhound/contracts';
import { type Diagnosis, type Pod, type RankedGroup } from '@foxhound/diagnostics';
import { type TurnEmitter } from '../events/emitter';
import { refText } from '../report/markdown';
import { commander, investigator, logAnalyst, remediator } from '../roles/roles';
import { followUps, investigatorPlan, logTarget, type LogTarget, scopeFromText } from './offline-plan';
import { firstLine, oneLine, type OfflineRun } from './offline-run';
import { type ThreadMemory } from './offline-thread';
import { type Reads, type Weighed, weigh } from './offline-weigh';

export interface Investigation {
  diagnosis?: Diagnosis;
  weighed?: Weighed;
  blastRadius: ObjectRef[];
  /** What the specialists read, in words, for the narration and the report. */
  narration: string[];
  reads: Reads;
}

/** Phase 1: the namespaces to read. */
export async function scope(run: OfflineRun, thread: ThreadMemory): Promise<void> {
  run.step();
  const { request, lead } = run;
  const turn = run.ctx.tools.turn;
  const symptom = request.alert ? `alert ${request.alert.title}` : `"${firstLine(request.prompt)}"`;
  await lead.thought(
    `Phase 1, scope: the question is ${symptom}. I start with the investigation method, then fix the namespaces to look at.`,
  );
  await run.call(commander, lead, 'fetch_skill', { id: 'investigate' });
  if (turn.scope.length > 0) {
    await lead.thought(
      `Scope: namespace${turn.scope.length > 1 ? 's' : ''} ${turn.scope.join(', ')}, as the caller named.`,
    );
    return;
  }
  const listed = await run.call<{ metadata: { name: string } }[]>(commander, lead, 'kubectl_get', {
    kind: 'Namespace',
  });
  const names = (listed.data ?? []).map((n) => n.metadata.name);
  const text = [request.prompt, ...thread.questions].join('\n');
  const { named, application } = scopeFromText(text, names);
  turn.scope = named.length > 0 ? named : application;
  await lead.thought(
    named.length > 0
      ? `Scope: the question names namespace${named.length > 1 ? 's' : ''} ${named.join(', ')}.`
      : `Scope: no namespace named, so every application namespace: ${application.join(', ') || '(none found)'}. Names in the question are looked up across all of them.`,
  );
}

/** Phase 2: the analyzers over the scope, ranked with the question's focus. */
export async function evidence(run: OfflineRun): Promise<Diagnosis | undefined> {
  run.step();
  const { lead } = run;
  await lead.thought(
    'Phase 2, evidence: the analyzers read every workload, event, quota, log tail and metric in scope once and rank root causes, what the question names first.',
  );
  // An alert's label values (deployment, pod, service, container) name what it is about: they lead
  // the focus text, within the tool's bound.
  const labels = Object.values(run.request.alert?.labels ?? {}).join(' ');
  const focus = labels ? { focus: `${labels} ${run.ctx.tools.turn.focus}`.slice(0, 500) } : {};
  const outcome = await run.call<Diagnosis>(commander, lead, 'run_diagnostics', focus);
  if (outcome.status !== 'success' || !outcome.data) {
    await lead.thought(
      `The cluster could not be analysed: ${outcome.text.slice(0, 300)} Without it there is nothing more to check offline.`,
    );
    return undefined;
  }
  const d = outcome.data;
  const f = d.focus;
  if (f && (f.named.length || f.unresolved.length))
    await lead.thought(
      [
        f.named.length ? `The question names ${f.named.slice(0, 5).map(refText).join(', ')}.` : '',
        f.unresolved.length
          ? `Not found in the cluster: ${f.unresolved.join(', ')}${f.named.length ? '' : '; nothing the question names exists here, so I look broadly'}.`
          : '',
      ]
        .filter(Boolean)
        .join(' '),
    );
  if (d.status === 'ok') {
    await lead.thought(
      `No analyzer found a problem in ${run.ctx.tools.turn.scope.join(', ') || 'the cluster'}.`,
    );
  } else {
    const top = d.groups[0]!;
    await lead.thought(
      `${d.rootCauses.length} candidate root cause${d.rootCauses.length > 1 ? 's' : ''}. Leading: ${top.root.reason} on ${refText(top.root.parent ?? top.root.object)}: ${top.root.cause}${top.symptoms.length ? ` It would explain ${top.symptoms.length} other finding${top.symptoms.length > 1 ? 's' : ''}.` : ''} The specialists test it next.`,
    );
  }
  return d;
}

/** Phases 3 and 4: the specialists' reads, the hypotheses weighed against them, the impact. */
export async function testLeading(run: OfflineRun, d: Diagnosis): Promise<Investigation> {
  const top = d.groups[0]!;
  const reads: Reads = {};
  const narration: string[] = [];
  narration.push(
    await run.delegate(
      investigator,
      `Confirm ${top.root.reason} on ${refText(top.root.object)} with the object's state and events.`,
      (e) => confirm(run, e, top.root, reads),
    ),
  );
  const target = logTarget(top);
  if (target)
    narration.push(
      await run.delegate(
        logAnalyst,
        `Read the logs and recent changes of ${refText(target.workload)}.`,
        (e) => analyseLogs(run, e, target, reads),
      ),
    );
  const weighed = weigh(d.groups, reads);
  run.step();
  await run.lead.thought(`Phase 3, hypotheses:\n${hypothesisLines(weighed.groups, d.groups[0]!).join('\n')}`);
  run.step();
  const lead = weighed.groups[0]!;
  await run.lead.thought(
    `Phase 4, test: ${weighed.hypothesis.outcome === 'untested' ? 'H1 stays untested' : `H1 ${weighed.hypothesis.outcome}`}: ${weighed.hypothesis.reason} Next: who depends on ${refText(lead.root.parent ?? lead.root.object)}.`,
  );
  let blastRadius: ObjectRef[] = lead === top ? d.blastRadius : [];
  for (const planned of followUps(lead)) {
    const out = await run.call<ObjectRef[]>(commander, run.lead, planned.tool, planned.input);
    if (lead !== top && out.status === 'success') blastRadius = out.data ?? [];
  }
  return { diagnosis: d, weighed, blastRadius, narration, reads };
}

function hypothesisLines(groups: RankedGroup[], original: RankedGroup): string[] {
  return groups.slice(0, 3).map((g, i) => {
    const note =
      i === 0 && g !== original ? ' (moved up by the reads)' : g === original && i > 0 ? ' (was H1)' : '';
    return `H${i + 1}: ${g.root.cause} [${g.root.reason} on ${refText(g.root.parent ?? g.root.object)}], explains ${g.symptoms.length} other finding(s)${note}.`;
  });
}

async function confirm(run: OfflineRun, e: TurnEmitter, root: Finding, reads: Reads): Promise<string> {
  run.step();
  await e.thought('Events before logs: the object first, then the read that confirms this kind of failure.');
  const said: string[] = [];
  for (const planned of investigatorPlan(root)) {
    const out = await run.call(investigator, e, planned.tool, planned.input);
    if (planned.tool === 'kubectl_describe') {
      reads.object = { found: out.status === 'success', text: out.text };
      said.push(
        out.status === 'success'
          ? `kubectl_describe: ${out.summary}`
          : `kubectl_describe: ${out.summary} (not found)`,
      );
    } else if (out.status === 'success') {
      reads.confirming = { tool: planned.tool, text: out.text };
      said.push(`${planned.tool}: ${out.summary}`);
    } else {
      said.push(`${planned.tool}: ${out.summary}`);
    }
  }
  const answer = said.length ? `Read ${said.join('; ')}.` : 'No read applies to this kind of object.';
  await e.thought(answer);
  return answer;
}

async function analyseLogs(
  run: OfflineRun,
  e: TurnEmitter,
  target: LogTarget,
  reads: Reads,
): Promise<string> {
  run.step();
  const parts: string[] = [];
  const pod =
    target.pod &&
    ((await run.ctx.tools.cluster.get('pods', target.pod.name, target.pod.namespace)) as Pod | undefined);
  if (pod && everRan(pod)) {
    await run.call(logAnalyst, e, 'fetch_skill', { id: 'log-analysis' });
    const podRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name };
    const logs = await run.call<{ decisive?: NonNullable<Reads['logs']>['decisive'] }>(
      logAnalyst,
      e,
      'fetch_pod_logs',
      {
        namespace: pod.metadata.namespace,
        pod: pod.metadata.name,
        previous: restarted(pod),
        tailLines: 200,
      },
    );
    if (logs.status === 'success' || logs.status === 'no_data') {
      reads.logs = { pod: podRef, ...(logs.data?.decisive ? { decisive: logs.data.decisive } : {}) };
      parts.push(
        logs.data?.decisive
          ? `The decisive log line of ${refText(podRef)}: ${oneLine(logs.data.decisive.line).slice(0, 240)}`
          : `The log of ${refText(podRef)} was read: ${logs.summary}.`,
      );
    } else parts.push(`The log of ${refText(podRef)} could not be read: ${logs.summary}.`);
  } else if (pod) {
    parts.push(`No log read: the containers of ${refText(target.pod!)} never started, so they have no log.`);
  } else {
    parts.push('No log read: no failing pod to read.');
  }
  if (['Deployment', 'StatefulSet', 'DaemonSet'].includes(target.workload.kind)) {
    const changed = await run.call<{ at: string; what: string; kind: string }[]>(
      logAnalyst,
      e,
      'what_changed',
      {
        namespace: target.workload.namespace,
        kind: target.workload.kind,
        name: target.workload.name,
      },
    );
    const rollout = changed.data?.find((c) => c.kind === 'rollout');
    parts.push(
      rollout ? `The latest rollout: ${rollout.what} at ${rollout.at}.` : `what_changed: ${changed.summary}.`,
    );
  }
  const answer = parts.join(' ');
  await e.thought(answer);
  return answer;
}

/** The remediator: typed fixes for each separate root cause, except what the thread already proposed. */
export async function remediate(
  run: OfflineRun,
  groups: RankedGroup[],
  thread: ThreadMemory,
): Promise<string> {
  const lead = groups[0]!;
  return run.delegate(
    remediator,
    `Propose typed fixes for ${lead.root.reason} on ${refText(lead.root.parent ?? lead.root.object)}${groups.length > 1 ? ' and each other root cause' : ''}.`,
    async (e) => {
      run.step();
      await run.call(remediator, e, 'fetch_skill', { id: 'remediation-safety' });
      await run.call(remediator, e, 'runbook_lookup', { reason: lead.root.reason });
      const proposed: string[] = [];
      const existing: string[] = [];
      for (const g of groups) {
        const s = g.root.suggestion;
        if (!s) continue;
        const earlier = thread.proposals.find(
          (p) => p.type === s.action.type && p.namespace === s.action.namespace && p.name === s.action.name,
        );
        if (earlier) {
          existing.push(
            `${earlier.type} ${earlier.namespace}/${earlier.name} (${earlier.state ?? 'proposed earlier on this thread'})`,
          );
          continue;
        }
        const outcome = await run.call(remediator, e, 'propose_action', {
          action: s.action,
          findingId: g.root.id,
          summary: s.summary,
          evidence: g.root.evidence.slice(0, 6),
          expectedEffect: s.expectedEffect,
        });
        if (outcome.status === 'success')
          proposed.push(`${s.action.type} ${s.action.namespace}/${s.action.name} (risk ${s.risk})`);
      }
      const answer = [
        proposed.length
          ? `Proposed for approval: ${proposed.join('; ')}. Nothing runs until a human approves.`
          : '',
        existing.length ? `Already proposed on this thread, not repeated: ${existing.join('; ')}.` : '',
        !proposed.length && !existing.length
          ? `No typed action fits ${lead.root.reason}: ${lead.root.cause} A human needs to change the manifest or the dependency.`
          : '',
      ]
        .filter(Boolean)
        .join(' ');
      await e.thought(answer);
      return answer;
    },
  );
}

/** With nothing found, the investigator still looks at Warning events before "healthy" is said. */
export async function sweepWarnings(run: OfflineRun): Promise<string> {
  return run.delegate(
    investigator,
    'Double-check the scope for Warning events the analyzers may not cover.',
    async (e) => {
      run.step();
      const outcome = await run.call(investigator, e, 'kubectl_events', { type: 'Warning', limit: 15 });
      const answer =
        outcome.status === 'success'
          ? `Warning events exist but none points at a failing workload: ${firstLine(outcome.text)}`
          : `kubectl_events: ${outcome.summary}.`;
      await e.thought(answer);
      return answer;
    },
  );
}

/** A container that never started (pull or config errors) has no log to read. */
const everRan = (pod: Pod): boolean =>
  (pod.status?.containerStatuses ?? []).some(
    (s) =>
      s.restartCount > 0 ||
      s.state?.running !== undefined ||
      s.state?.terminated !== undefined ||
      s.lastState?.terminated !== undefined,
  );

const restarted = (pod: Pod): boolean =>
  (pod.status?.containerStatuses ?? []).some(
    (s) => s.restartCount > 0 || s.lastState?.terminated !== undefined,
  );
