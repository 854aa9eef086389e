// The offline provider: no model, no network beyond the cluster. It walks the five-phase method
// with the same roles the Claude provider delegates to, as stages: the commander scopes and runs
// the analyzers, the investigator and the log analyst confirm the leading cause with targeted reads,
// the commander weighs hypotheses and the blast radius, the remediator proposes typed fixes, and the
// commander submits the report. Every step is a real tool call through the registry, so the stream
// (thoughts, tool_start/tool_end, findings, proposals) reads the same as with Claude.
import { type Diagnosis, type Pod, type RankedGroup, toReport } from '@foxhound/diagnostics';
import { type TurnEmitter } from '../events/emitter';
import { commander, investigator, logAnalyst, remediator } from '../roles/roles';
import { type RoleDefinition } from '../roles/types';
import { type ToolOutcome } from '../tools/registry';
import { refText } from '../report/markdown';
import { type ReportDraft } from '../report/draft';
import { followUps, investigatorPlan, logTarget, type LogTarget, scopeFromText } from './offline-plan';
import { type ModelProvider, type ProviderContext, type ProviderOutcome, type TurnRequest } from './types';

export const OFFLINE_MODEL = 'foxhound-offline-1';

export class OfflineProvider implements ModelProvider {
  readonly name = 'offline';
  readonly model = OFFLINE_MODEL;

  async runTurn(request: TurnRequest, ctx: ProviderContext): Promise<ProviderOutcome> {
    return new OfflineRun(request, ctx).run();
  }
}

class OfflineRun {
  private calls = 0;

  constructor(
    private readonly request: TurnRequest,
    private readonly ctx: ProviderContext,
  ) {}

  async run(): Promise<ProviderOutcome> {
    const lead = this.ctx.tools.emitter;
    await this.scope(lead);
    const diagnosis = await this.evidence(lead);
    if (!diagnosis) return this.conclude(lead, undefined);
    const top = diagnosis.groups[0];
    if (top) {
      const answers: string[] = [];
      answers.push(
        await this.delegate(
          investigator,
          `Confirm ${top.root.reason} on ${refText(top.root.object)} with the object's state and events.`,
          (e) => this.investigate(e, top),
        ),
      );
      const target = logTarget(top);
      if (target) {
        answers.push(
          await this.delegate(
            logAnalyst,
            `Read the logs and recent changes of ${refText(target.workload)}.`,
            (e) => this.analyseLogs(e, top, target),
          ),
        );
      }
      await this.hypotheses(lead, diagnosis);
      await this.test(lead, top, answers);
      await this.delegate(
        remediator,
        `Propose typed fixes for ${top.root.reason} on ${refText(top.root.parent ?? top.root.object)}.`,
        (e) => this.remediate(e, diagnosis.groups.slice(0, 3)),
      );
    } else {
      await this.delegate(
        investigator,
        'Double-check the scope for Warning events the analyzers may not cover.',
        (e) => this.sweepWarnings(e),
      );
    }
    return this.conclude(lead, diagnosis);
  }

  // Phase 1: scope.
  private async scope(lead: TurnEmitter): Promise<void> {
    this.ctx.budget.startTurn();
    const turn = this.ctx.tools.turn;
    const symptom = this.request.alert
      ? `alert ${this.request.alert.title}`
      : `"${firstLine(this.request.prompt)}"`;
    await lead.thought(
      `Phase 1, scope: the symptom is ${symptom}. I start with the investigation method, then fix the namespaces to look at.`,
    );
    await this.call(commander, lead, 'fetch_skill', { id: 'investigate' });
    if (turn.scope.length > 0) {
      await lead.thought(
        `Scope: namespace${turn.scope.length > 1 ? 's' : ''} ${turn.scope.join(', ')}, as the caller named.`,
      );
      return;
    }
    const listed = await this.call<{ metadata: { name: string } }[]>(commander, lead, 'kubectl_get', {
      kind: 'Namespace',
    });
    const names = (listed.data ?? []).map((n) => n.metadata.name);
    const text = [
      this.request.prompt,
      ...this.request.history.filter((h) => h.role === 'user').map((h) => h.text),
    ].join('\n');
    const { named, application } = scopeFromText(text, names);
    turn.scope = named.length > 0 ? named : application;
    await lead.thought(
      named.length > 0
        ? `Scope: the prompt names namespace${named.length > 1 ? 's' : ''} ${named.join(', ')}.`
        : `Scope: no namespace named, so every application namespace: ${application.join(', ') || '(none found)'}.`,
    );
  }

  // Phase 2: evidence, statistics first.
  private async evidence(lead: TurnEmitter): Promise<Diagnosis | undefined> {
    this.ctx.budget.startTurn();
    await lead.thought(
      'Phase 2, evidence: the analyzers read every workload, event, quota, log tail and metric in scope once and rank root causes.',
    );
    const outcome = await this.call<Diagnosis>(commander, lead, 'run_diagnostics', {});
    if (outcome.status !== 'success' || !outcome.data) {
      await lead.thought(
        `The cluster could not be analysed: ${outcome.text.slice(0, 300)} Without it there is nothing more to check offline.`,
      );
      return undefined;
    }
    const d = outcome.data;
    if (d.status === 'ok') {
      await lead.thought(
        `No analyzer found a problem in ${this.ctx.tools.turn.scope.join(', ') || 'the cluster'}. I will still sweep Warning events before concluding.`,
      );
    } else {
      const top = d.groups[0]!;
      await lead.thought(
        `${d.rootCauses.length} candidate root cause${d.rootCauses.length > 1 ? 's' : ''}. Leading: ${top.root.reason} on ${refText(top.root.parent ?? top.root.object)}: ${top.root.cause}${top.symptoms.length ? ` It would explain ${top.symptoms.length} other finding${top.symptoms.length > 1 ? 's' : ''}.` : ''} The specialists confirm it next.`,
      );
    }
    return d;
  }

  private async investigate(e: TurnEmitter, top: RankedGroup): Promise<string> {
    this.ctx.budget.startTurn();
    await e.thought(
      'Events before logs: the object first, then the read that confirms this kind of failure.',
    );
    const reads: string[] = [];
    for (const planned of investigatorPlan(top.root)) {
      const outcome = await this.call(investigator, e, planned.tool, planned.input);
      if (outcome.status === 'success') reads.push(outcome.summary);
    }
    const quote = top.root.evidence[0];
    const answer = [
      reads.length ? `Read: ${reads.join('; ')}.` : 'The confirming reads returned nothing.',
      quote ? `The strongest evidence (${quote.source}): ${oneLine(quote.excerpt).slice(0, 240)}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    await e.thought(answer);
    return answer;
  }

  private async analyseLogs(e: TurnEmitter, top: RankedGroup, target: LogTarget): Promise<string> {
    this.ctx.budget.startTurn();
    const parts: string[] = [];
    const pod =
      target.pod &&
      ((await this.ctx.tools.cluster.get('pods', target.pod.name, target.pod.namespace)) as Pod | undefined);
    if (pod && everRan(pod)) {
      await this.call(logAnalyst, e, 'fetch_skill', { id: 'log-analysis' });
      const logs = await this.call<{ decisive?: { line: string } }>(logAnalyst, e, 'fetch_pod_logs', {
        namespace: pod.metadata.namespace,
        pod: pod.metadata.name,
        previous: restarted(pod),
        tailLines: 200,
      });
      if (logs.data?.decisive)
        parts.push(`The decisive log line: ${oneLine(logs.data.decisive.line).slice(0, 240)}`);
    }
    if (['Deployment', 'StatefulSet', 'DaemonSet'].includes(target.workload.kind)) {
      const changed = await this.call<{ at: string; what: string; kind: string }[]>(
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
      if (rollout) parts.push(`The latest rollout: ${rollout.what} at ${rollout.at}.`);
    }
    const answer = parts.length
      ? parts.join(' ')
      : `Nothing in the logs or change history contradicts ${top.root.reason}.`;
    await e.thought(answer);
    return answer;
  }

  // Phase 3: hypotheses, ranked.
  private async hypotheses(lead: TurnEmitter, d: Diagnosis): Promise<void> {
    this.ctx.budget.startTurn();
    const lines = d.groups.slice(0, 3).map((g, i) => {
      const against =
        i === 0
          ? ''
          : ` Weaker than H1: it explains ${g.symptoms.length} finding(s), confidence ${g.root.confidence.toFixed(2)}.`;
      return `H${i + 1} (confidence ${g.root.confidence.toFixed(2)}): ${g.root.cause} [${g.root.reason} on ${refText(g.root.parent ?? g.root.object)}].${against}`;
    });
    await lead.thought(`Phase 3, hypotheses:\n${lines.join('\n')}`);
  }

  // Phase 4: test the leading hypothesis against what the specialists read, and size its impact.
  private async test(lead: TurnEmitter, top: RankedGroup, answers: string[]): Promise<void> {
    this.ctx.budget.startTurn();
    const affected = refText(top.root.parent ?? top.root.object);
    await lead.thought(
      `Phase 4, test: what the specialists read about H1: ${answers.map((a) => oneLine(a).slice(0, 300)).join(' ')} Next: who depends on ${affected}.`,
    );
    for (const planned of followUps(top)) await this.call(commander, lead, planned.tool, planned.input);
  }

  private async remediate(e: TurnEmitter, groups: RankedGroup[]): Promise<string> {
    this.ctx.budget.startTurn();
    await this.call(remediator, e, 'fetch_skill', { id: 'remediation-safety' });
    await this.call(remediator, e, 'runbook_lookup', { reason: groups[0]!.root.reason });
    const proposed: string[] = [];
    for (const g of groups) {
      const s = g.root.suggestion;
      if (!s) continue;
      const outcome = await this.call(remediator, e, 'propose_action', {
        action: s.action,
        findingId: g.root.id,
        summary: s.summary,
        evidence: g.root.evidence.slice(0, 6),
        expectedEffect: s.expectedEffect,
      });
      if (outcome.status === 'success')
        proposed.push(`${s.action.type} ${s.action.namespace}/${s.action.name} (risk ${s.risk})`);
    }
    const answer = proposed.length
      ? `Proposed for approval: ${proposed.join('; ')}. Nothing runs until a human approves.`
      : `No typed action fits ${groups[0]!.root.reason}: ${groups[0]!.root.cause} A human needs to change the manifest or the dependency.`;
    await e.thought(answer);
    return answer;
  }

  private async sweepWarnings(e: TurnEmitter): Promise<string> {
    this.ctx.budget.startTurn();
    const outcome = await this.call(investigator, e, 'kubectl_events', { type: 'Warning', limit: 15 });
    const answer =
      outcome.status === 'success'
        ? `Warning events exist but none points at a failing workload: ${firstLine(outcome.text)}`
        : 'No Warning events in scope.';
    await e.thought(answer);
    return answer;
  }

  // Phase 5: conclude.
  private async conclude(lead: TurnEmitter, d: Diagnosis | undefined): Promise<ProviderOutcome> {
    this.ctx.budget.startTurn();
    const draft = d ? draftOf(d) : unreadableDraft();
    await lead.thought(`Phase 5, conclude: ${draft.rootCause}`);
    await this.call(commander, lead, 'submit_report', draft);
    return { text: draft.summary };
  }

  /** Runs a specialist as a stage: its events carry the delegation's tool_use id. */
  private async delegate(
    role: RoleDefinition,
    task: string,
    work: (emitter: TurnEmitter) => Promise<string>,
  ): Promise<string> {
    const lead = this.ctx.tools.emitter;
    const id = this.nextId();
    await lead.toolStart({
      name: role.id,
      tool_use_id: id,
      input: { task },
      summary: `Asking the ${role.title}: ${task}`,
    });
    const answer = await work(lead.child(role.id, id));
    await lead.toolEnd({
      name: role.id,
      tool_use_id: id,
      success: true,
      status: 'success',
      summary: `The ${role.title} answered`,
      output: answer,
    });
    return answer;
  }

  private call<D = unknown>(
    role: RoleDefinition,
    emitter: TurnEmitter,
    name: string,
    input: Record<string, unknown>,
  ): Promise<ToolOutcome<D>> {
    return this.ctx.registry.invoke<D>(
      { name, input, toolUseId: this.nextId(), role },
      { ...this.ctx.tools, emitter },
    );
  }

  private nextId(): string {
    this.calls += 1;
    return `offline_${String(this.calls).padStart(3, '0')}`;
  }
}

const firstLine = (text: string): string => (text.trim().split('\n')[0] ?? '').slice(0, 300);
const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

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

/** The report draft from the diagnosis; proposals and findings come from what the turn emitted. */
function draftOf(d: Diagnosis): ReportDraft {
  const r = toReport(d);
  return {
    summary: r.summary.slice(0, 4000),
    rootCause: r.rootCause.slice(0, 1000),
    healthy: r.healthy,
    ...(r.affected ? { affected: r.affected } : {}),
    evidence: r.evidence.slice(0, 30),
    timeline: r.timeline.slice(-30),
    impact: r.impact.slice(0, 2000),
    blastRadius: r.blastRadius.slice(0, 50),
    confidence: r.confidence,
    notChecked: r.notChecked.slice(0, 30).map((n) => n.slice(0, 300)),
  };
}

function unreadableDraft(): ReportDraft {
  return {
    summary: 'The cluster could not be read, so nothing was analysed.',
    rootCause: 'Not established: the cluster could not be read.',
    healthy: false,
    evidence: [],
    timeline: [],
    impact: '',
    blastRadius: [],
    confidence: 0,
    notChecked: ['Everything: the cluster could not be read.'],
  };
}
