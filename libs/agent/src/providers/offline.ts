// The offline provider: no model, no network beyond the cluster. It reads the kind of question
// (offline-question.ts) and what the thread already established (offline-thread.ts), then runs the
// plan that answers it with the same roles the Claude provider delegates to, as stages. A first
// turn walks the five phases: scope, evidence (the analyzers, focused on what the question names),
// hypotheses tested by the specialists' reads (which can confirm, demote or replace the lead),
// impact and typed fixes for each separate root cause, then the report with the question's own
// answer. A follow-up reads only what its question needs (offline-followup.ts). Every step is a real
// tool call through the registry, so the stream reads the same as with Claude.
import { type ObjectRef } from '@foxhound/contracts';
import { type Diagnosis, focusNote, toReport } from '@foxhound/diagnostics';
import { type ReportDraft } from '../report/draft';
import { refText } from '../report/markdown';
import { investigator, logAnalyst, remediator } from '../roles/roles';
import { type Answer, capacityAnswer, changesAnswer, healthAnswer, logsAnswer } from './offline-answers';
import {
  evidence,
  type Investigation,
  remediate,
  scope,
  sweepWarnings,
  testLeading,
} from './offline-diagnose';
import { followUp } from './offline-followup';
import { classifyQuestion, type Question } from './offline-question';
import { OfflineRun } from './offline-run';
import { answerSafety, safetyTarget } from './offline-safety';
import { readThread, type ThreadMemory } from './offline-thread';
import { type ModelProvider, type ProviderContext, type ProviderOutcome, type TurnRequest } from './types';

export const OFFLINE_MODEL = 'foxhound-offline-1';

export class OfflineProvider implements ModelProvider {
  readonly name = 'offline';
  readonly model = OFFLINE_MODEL;

  async runTurn(request: TurnRequest, ctx: ProviderContext): Promise<ProviderOutcome> {
    const run = new OfflineRun(request, ctx);
    const question = classifyQuestion(request.prompt, request.alert !== undefined);
    const thread = readThread(request.history);
    if (thread.turns > 0) {
      const answered = await followUp(run, question, thread);
      if (answered) return answered;
    }
    return investigate(run, question, thread);
  }
}

async function investigate(
  run: OfflineRun,
  question: Question,
  thread: ThreadMemory,
): Promise<ProviderOutcome> {
  await scope(run, thread);
  const d = await evidence(run);
  if (!d) return run.conclude(unreadableDraft(question));
  let found: Investigation = { diagnosis: d, blastRadius: d.blastRadius, narration: [], reads: {} };
  if (d.status === 'problems') {
    found = await testLeading(run, d);
    // A safety question asks about one action; it is answered, not pre-empted with other proposals.
    if (question.kind !== 'safety') await remediate(run, found.weighed!.groups.slice(0, 3), thread);
  } else {
    await sweepWarnings(run);
  }
  const answer = await answerKind(run, question, thread, d);
  return run.conclude(draftOf(question, found, answer));
}

/** The question's own answer on a first turn, from the diagnosis and the reads its kind needs. */
async function answerKind(
  run: OfflineRun,
  question: Question,
  thread: ThreadMemory,
  d: Diagnosis,
): Promise<Answer | undefined> {
  const named = (d.focus?.named ?? []).filter((r) => r.kind !== 'Namespace');
  const lead = d.groups[0];
  const subject: ObjectRef | undefined =
    named[0] ?? (lead ? (lead.root.parent ?? lead.root.object) : undefined);
  const namespace = subject?.namespace ?? d.focus?.namespaces[0] ?? run.ctx.tools.turn.scope[0];
  const stage = async (
    role: typeof investigator,
    task: string,
    work: (e: Parameters<Parameters<OfflineRun['delegate']>[2]>[0]) => Promise<Answer>,
  ) => {
    let out: Answer = { answer: '' };
    await run.delegate(role, task, async (e) => {
      out = await work(e);
      await e.thought(out.answer);
      return out.answer;
    });
    return out;
  };
  switch (question.kind) {
    case 'health':
      return healthAnswer(d, named);
    case 'changes':
      return namespace
        ? stage(logAnalyst, `List what changed around ${subject ? refText(subject) : namespace}.`, (e) =>
            changesAnswer(run, e, subject, namespace),
          )
        : undefined;
    case 'logs':
      return subject?.namespace
        ? stage(logAnalyst, `Read the relevant log lines and events of ${refText(subject)}.`, (e) =>
            logsAnswer(run, e, subject),
          )
        : { answer: 'The question names nothing whose logs I can read, and nothing is failing.' };
    case 'capacity':
      return namespace
        ? stage(
            investigator,
            `Check the autoscalers and what blocks scaling or scheduling in ${namespace}.`,
            (e) => capacityAnswer(run, e, d, namespace),
          )
        : undefined;
    case 'safety': {
      const target = safetyTarget(question, thread, named);
      return target
        ? stage(
            remediator,
            `Work out what ${target.type} on ${refText(target.ref)} would do and whether it is safe.`,
            (e) => answerSafety(run, e, question, target),
          )
        : {
            answer:
              'I cannot tell which action on which object the question means: name the action (roll back, restart, scale, delete the quota) and the workload.',
          };
    }
    default:
      return undefined;
  }
}

/** The report: the diagnosis (in the order the reads left it), the question's answer, the verdict on H1. */
function draftOf(question: Question, found: Investigation, answer: Answer | undefined): ReportDraft {
  const d = found.diagnosis!;
  const groups = found.weighed?.groups ?? d.groups;
  const reordered: Diagnosis =
    groups === d.groups
      ? d
      : {
          ...d,
          groups,
          rootCauses: groups.map((g) => g.root),
          timeline: groups[0] === d.groups[0] ? d.timeline : [],
          blastRadius: found.blastRadius,
        };
  const r = toReport(reordered);
  const others = groups.slice(1).filter((g) => ['critical', 'high'].includes(g.root.severity));
  const summary = [
    r.summary,
    others.length
      ? `Separate problem${others.length > 1 ? 's' : ''}, each with its own evidence below: ${others.map((g) => `${g.root.reason} on ${refText(g.root.parent ?? g.root.object)}`).join('; ')}.`
      : '',
  ]
    .filter(Boolean)
    .join(' ');
  return {
    summary: summary.slice(0, 4000),
    rootCause: r.rootCause.slice(0, 1000),
    healthy: r.healthy,
    ...(r.affected ? { affected: r.affected } : {}),
    evidence: [...(answer?.evidence ?? []), ...r.evidence].slice(0, 30),
    timeline: (answer?.timeline?.length ? answer.timeline : r.timeline).slice(-30),
    impact: r.impact.slice(0, 2000),
    blastRadius: r.blastRadius.slice(0, 50),
    // The report's confidence is the root-cause class's (toReport); a demotion by the reads lowers it.
    confidence:
      found.weighed?.hypothesis.outcome === 'demoted'
        ? Math.min(r.confidence, found.weighed.confidence)
        : r.confidence,
    notChecked: r.notChecked.slice(0, 30).map((n) => n.slice(0, 300)),
    questionKind: question.kind,
    // A health answer already says whether the named things have problems; the others get the note.
    ...(answer?.answer
      ? { answer: `${question.kind === 'health' ? '' : focusNote(d)}${answer.answer}`.slice(0, 6000) }
      : {}),
    ...(found.weighed ? { hypothesis: found.weighed.hypothesis } : {}),
  };
}

function unreadableDraft(question: Question): ReportDraft {
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
    questionKind: question.kind,
  };
}
