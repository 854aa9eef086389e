// A follow-up on a thread: answers the new question from what the thread established (its root
// cause, affected object, proposals) plus only the reads this question needs, never the whole
// scope again. Names in the question resolve first against the objects the thread already named,
// then against the workloads and Services of the thread's namespaces. A follow-up that names
// something the thread never looked at, or asks "what is wrong" anew, gets the full investigation
// (the caller runs it); that one never re-proposes what the thread already has.
import { type ObjectRef } from '@foxhound/contracts';
import {
  createSnapshot,
  extractTerms,
  type KubeObject,
  lookup,
  matchName,
  resolveFocus,
  type SnapshotObjects,
} from '@foxhound/diagnostics';
import { type TurnEmitter } from '../events/emitter';
import { type ReportDraft } from '../report/draft';
import { type RoleDefinition } from '../roles/types';
import { refText } from '../report/markdown';
import { commander, investigator, logAnalyst, remediator } from '../roles/roles';
import { type Answer, changesAnswer, logsAnswer } from './offline-answers';
import { type Question } from './offline-question';
import { firstLine, type OfflineRun } from './offline-run';
import { answerSafety, safetyTarget } from './offline-safety';
import { type ThreadMemory } from './offline-thread';
import { type ProviderOutcome } from './types';

interface Named {
  named: ObjectRef[];
  /** Name-like words that matched nothing the thread or the cluster has. */
  unresolved: string[];
  /** Some name was not among the thread's objects. */
  fresh: boolean;
}

const LISTED = [
  ['Deployment', 'deployments'],
  ['StatefulSet', 'statefulSets'],
  ['DaemonSet', 'daemonSets'],
  ['Service', 'services'],
  ['Job', 'jobs'],
  ['CronJob', 'cronJobs'],
  ['Ingress', 'ingresses'],
] as const;

/** The objects the follow-up names: the thread's first, then the cluster's (a few list reads). */
async function namesIn(run: OfflineRun, thread: ThreadMemory): Promise<Named> {
  const terms = extractTerms({ text: run.request.prompt });
  const named: ObjectRef[] = [];
  // Only a name the thread used as such (case, separators, plurals aside) counts; a looser match
  // (`web` for `web-v2`) is settled against the cluster, which prefers the exact name.
  const rest = terms.filter((t) => {
    const hit = thread.objects.filter((o) => (matchName(t.text, o.name)?.score ?? 0) >= 0.9);
    named.push(...hit);
    return hit.length === 0 && (t.nameLike || t.text.length >= 4);
  });
  if (rest.length === 0) return { named, unresolved: [], fresh: false };
  const objects: Partial<Record<(typeof LISTED)[number][1], KubeObject[]>> = {};
  const namespaces = run.ctx.tools.turn.scope;
  for (const [kind, list] of LISTED) {
    const out: KubeObject[] = [];
    for (const namespace of namespaces.length ? namespaces : [undefined]) {
      const got = await run.call<KubeObject[]>(commander, run.lead, 'kubectl_get', {
        kind,
        ...(namespace ? { namespace } : {}),
        limit: 500,
      });
      if (got.status === 'success') out.push(...(got.data ?? []));
    }
    objects[list] = out;
  }
  const focus = resolveFocus(
    lookup(createSnapshot({ namespaces, objects: objects as Partial<SnapshotObjects> })),
    {
      text: rest.map((t) => t.text).join(' '),
    },
  );
  named.push(...focus.named);
  return { named, unresolved: focus.unresolved, fresh: focus.named.length > 0 };
}

/** Runs the follow-up, or returns undefined when it needs the full investigation instead. */
export async function followUp(
  run: OfflineRun,
  question: Question,
  thread: ThreadMemory,
): Promise<ProviderOutcome | undefined> {
  run.step();
  const turn = run.ctx.tools.turn;
  if (turn.scope.length === 0) turn.scope = thread.namespaces;
  await run.lead.thought(
    `Phase 1, scope: a follow-up on this thread ("${firstLine(run.request.prompt)}"), a ${question.kind} question. The thread established: ${thread.rootCause ?? 'no root cause yet'}${thread.affected ? ` (affected: ${refText(thread.affected)})` : ''}${thread.proposals.length ? `; proposed: ${thread.proposals.map((p) => `${p.type} ${p.namespace}/${p.name}`).join(', ')}` : ''}. I read only what this question needs${turn.scope.length ? `, in ${turn.scope.join(', ')}` : ''}.`,
  );
  const names = await namesIn(run, thread);
  if (names.fresh && (question.kind === 'diagnose' || question.kind === 'capacity')) return undefined;
  // A workload is what "is X healthy" and "show me X's logs" usually mean when X is also a Service.
  const subject =
    names.named.find((r) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(r.kind)) ??
    names.named.find((r) => r.kind !== 'Namespace') ??
    thread.affected;
  const where = turn.scope.length ? `namespace(s) ${turn.scope.join(', ')}` : 'the cluster';
  const missing = names.unresolved.length ? `Not found in ${where}: ${names.unresolved.join(', ')}. ` : '';

  run.step();
  await run.lead.thought(
    `Phase 2, evidence: the reads a ${question.kind} question needs${subject ? ` about ${refText(subject)}` : ''}.`,
  );
  let answer: Answer & { touched?: ObjectRef[] };
  switch (question.kind) {
    case 'safety': {
      const target = safetyTarget(question, thread, names.named);
      answer = target
        ? await stage(
            run,
            remediator,
            `Work out what ${target.type} on ${refText(target.ref)} would do and whether it is safe.`,
            (e) => answerSafety(run, e, question, target),
          )
        : {
            answer:
              'I cannot tell which action on which object the question means: name the action (roll back, restart, scale, delete the quota) and the workload.',
          };
      break;
    }
    case 'changes': {
      const namespace = subject?.namespace ?? turn.scope[0];
      answer = namespace
        ? await stage(
            run,
            logAnalyst,
            `List what changed around ${subject ? refText(subject) : namespace}.`,
            (e) => changesAnswer(run, e, subject, namespace),
          )
        : { answer: 'The thread names no namespace or workload to look at for changes.' };
      break;
    }
    case 'logs': {
      answer = subject?.namespace
        ? await stage(
            run,
            logAnalyst,
            `Read the relevant log lines and events of ${refText(subject)}.`,
            (e) => logsAnswer(run, e, subject),
          )
        : { answer: 'The question names nothing whose logs I can read.' };
      break;
    }
    default: {
      // "Is it fixed now?", "is it still failing?": the affected object and its events, read again.
      if (!subject?.namespace) return undefined;
      answer = await stage(run, investigator, `Check ${refText(subject)} again: is it still failing?`, (e) =>
        recheck(run, e, subject, thread),
      );
    }
  }
  return run.conclude(followUpDraft(question, thread, { ...answer, answer: `${missing}${answer.answer}` }));
}

function followUpDraft(
  question: Question,
  thread: ThreadMemory,
  answer: Answer & { touched?: ObjectRef[] },
): ReportDraft {
  const rootCause = thread.rootCause ?? 'Not established on this thread.';
  return {
    summary: answer.answer.slice(0, 4000),
    rootCause: rootCause.slice(0, 1000),
    healthy: thread.healthy ?? false,
    ...(thread.affected ? { affected: thread.affected } : {}),
    evidence: (answer.evidence ?? []).slice(0, 30),
    timeline: (answer.timeline ?? []).slice(-30),
    impact: '',
    blastRadius: (answer.touched ?? []).filter((r) => r.kind !== 'Pod').slice(0, 50),
    confidence: answer.evidence?.length || answer.timeline?.length ? 0.8 : 0.6,
    notChecked: [
      'Everything this follow-up did not read again: the rest of the thread rests on the earlier answers.',
    ],
    questionKind: question.kind,
    answer: answer.answer.slice(0, 6000),
  };
}

/** A specialist's stage whose answer the plan keeps whole (the stream carries its words). */
async function stage(
  run: OfflineRun,
  role: RoleDefinition,
  task: string,
  work: (e: TurnEmitter) => Promise<Answer>,
): Promise<Answer> {
  let result: Answer = { answer: '' };
  await run.delegate(role, task, async (e) => {
    result = await work(e);
    await e.thought(result.answer);
    return result.answer;
  });
  return result;
}

async function recheck(
  run: OfflineRun,
  e: TurnEmitter,
  subject: ObjectRef,
  thread: ThreadMemory,
): Promise<Answer> {
  const got = await run.call<{ spec?: { replicas?: number }; status?: Record<string, unknown> }>(
    investigator,
    e,
    'kubectl_get',
    { kind: subject.kind, namespace: subject.namespace, name: subject.name },
  );
  // Warnings about the subject's own pods and ReplicaSets carry its name as their prefix.
  const events = await run.call<{ involvedObject: { name?: string }; reason?: string; message?: string }[]>(
    investigator,
    e,
    'kubectl_events',
    { namespace: subject.namespace, type: 'Warning', limit: 40 },
  );
  const about = (events.data ?? []).filter((ev) => ev.involvedObject.name?.startsWith(subject.name));
  // The thread's finding is worth repeating only for something the thread looked at.
  const covered = thread.objects.some((o) => o.kind === subject.kind && o.name === subject.name);
  const earlier = covered
    ? `Found earlier on this thread: ${thread.rootCause ?? 'no root cause was established'}`
    : '';
  if (got.status !== 'success' || !got.data)
    return {
      answer: `${earlier} Re-checked now: ${refText(subject)} does not exist (kubectl_get: ${got.summary}).`,
    };
  const readiness = readinessOf(got.data);
  const healthy = about.length === 0 && (readiness?.ready ?? true);
  return {
    answer: [
      `Re-checked now: ${refText(subject)}${readiness ? ` has ${readiness.text}` : ' exists'}`,
      about.length
        ? `and ${about.length} Warning event(s) about it, latest ${about[0]!.reason}: ${(about[0]!.message ?? '').replace(/\s+/g, ' ').slice(0, 240)}.`
        : `and no Warning events about it (${events.summary}).`,
      healthy ? 'It is healthy as far as checked.' : 'It is not healthy.',
      earlier,
    ]
      .filter(Boolean)
      .join(' '),
  };
}

/** Ready replicas of a workload as its status reports them; undefined for kinds without replicas. */
function readinessOf(obj: { spec?: { replicas?: number }; status?: Record<string, unknown> }) {
  const status = obj.status ?? {};
  const want =
    typeof status.desiredNumberScheduled === 'number' ? status.desiredNumberScheduled : obj.spec?.replicas;
  if (want === undefined) return undefined;
  const have =
    typeof status.readyReplicas === 'number'
      ? status.readyReplicas
      : typeof status.numberReady === 'number'
        ? status.numberReady
        : 0;
  return { ready: have >= want, text: `${have}/${want} replicas ready` };
}
