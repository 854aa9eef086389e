// "Is it safe to do Y / what would Y do": the blast radius of one action, read from the cluster as
// it is now. The target is the object the question names, else the action the thread already
// proposed, else the thread's affected workload. The remediator reads the target, its revisions and
// pods, the other pods of the namespace and who calls it; the answer says which pods and Services
// the action touches and which it leaves alone, the inverse, the risk, and a verdict with reasons.
// It proposes nothing: an action already proposed on the thread is referred to, not repeated.
import { type Action, type ObjectRef } from '@foxhound/contracts';
import { type Job, type KubeObject, type Pod, type ReplicaSet } from '@foxhound/diagnostics';
import { planFor } from '../proposals/rollback';
import { refText } from '../report/markdown';
import { investigator, remediator } from '../roles/roles';
import { items, list, workloadEffects } from './offline-safety-workload';
import { type TurnEmitter } from '../events/emitter';
import { type AskedAction, type Question } from './offline-question';
import { type OfflineRun } from './offline-run';
import { type ThreadMemory, type ThreadProposal } from './offline-thread';

export interface SafetyAnswer {
  answer: string;
  target?: ObjectRef;
  /** Objects the action touches (pods, Services, callers). */
  touched: ObjectRef[];
  evidence: { source: 'analysis'; excerpt: string; ref?: ObjectRef }[];
}

/** The action a question asks about, as the typed action it would be (DeleteJob is not one: it is only answered). */
const ACTION_TYPE: Record<AskedAction, string> = {
  rollback: 'RollbackDeployment',
  restart: 'RolloutRestart',
  scale: 'ScaleDeployment',
  'delete-quota': 'DeleteResourceQuota',
  'delete-pod': 'DeletePod',
  'patch-image': 'PatchDeploymentImage',
  'delete-job': 'DeleteJob',
};
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
/** `Workload`: a Deployment, StatefulSet or DaemonSet, whichever the question or thread names. */
const TARGET_KIND: Record<string, string | undefined> = {
  RollbackDeployment: 'Workload',
  RolloutRestart: 'Workload',
  ScaleDeployment: 'Workload',
  PatchDeploymentImage: 'Deployment',
  DeleteResourceQuota: 'ResourceQuota',
  DeletePod: 'Pod',
  DeleteJob: 'Job',
};
const fits = (kind: string, ref: ObjectRef): boolean =>
  kind === 'Workload' ? WORKLOADS.has(ref.kind) : ref.kind === kind;

const VERB: Record<string, string> = {
  RollbackDeployment: 'Rolling back',
  RolloutRestart: 'Restarting',
  ScaleDeployment: 'Scaling',
  PatchDeploymentImage: 'Changing the image of',
  DeleteResourceQuota: 'Deleting',
  DeletePod: 'Deleting',
  DeleteJob: 'Deleting',
};

export interface SafetyTarget {
  type: string;
  ref: ObjectRef;
  /** The thread's proposal of this very action, if it made one. */
  proposal?: ThreadProposal;
  /** Other actions the thread proposed on the same object. */
  others: ThreadProposal[];
}

const PLANNED = new Set([
  'RollbackDeployment',
  'RolloutRestart',
  'ScaleDeployment',
  'DeleteResourceQuota',
  'DeletePod',
]);

/** Which action on which object the question means. */
export function safetyTarget(
  question: Question,
  thread: ThreadMemory,
  named: ObjectRef[],
): SafetyTarget | undefined {
  const wanted: string | undefined = question.action ? ACTION_TYPE[question.action] : undefined;
  const proposal = thread.proposals.find((p) => !wanted || p.type === wanted);
  const type = wanted ?? proposal?.type;
  if (!type) return undefined;
  // A type outside the six above (a typed edit) targets the object the thread named with it.
  const kind =
    TARGET_KIND[type] ??
    thread.objects.find((o) => o.name === proposal?.name && o.namespace === proposal.namespace)?.kind;
  if (!kind) return undefined;
  const fromProposal =
    proposal &&
    (thread.objects.find(
      (o) => o.name === proposal.name && o.namespace === proposal.namespace && fits(kind, o),
    ) ?? {
      kind: kind === 'Workload' ? 'Deployment' : kind,
      namespace: proposal.namespace,
      name: proposal.name,
    });
  const ref =
    named.find((r) => fits(kind, r)) ??
    fromProposal ??
    (thread.affected && fits(kind, thread.affected) ? thread.affected : undefined) ??
    thread.objects.find((o) => fits(kind, o));
  if (!ref?.namespace) return undefined;
  const onTarget = thread.proposals.filter((p) => p.namespace === ref.namespace && p.name === ref.name);
  const same = onTarget.find((p) => p.type === type);
  return { type, ref, ...(same ? { proposal: same } : {}), others: onTarget.filter((p) => p !== same) };
}

/** The reads and the answer for one action on one target. */
export async function answerSafety(
  run: OfflineRun,
  e: TurnEmitter,
  question: Question,
  target: SafetyTarget,
): Promise<SafetyAnswer> {
  const { type, ref } = target;
  const ns = ref.namespace!;
  const verb = VERB[type] ?? 'Changing';
  const got = await run.call<KubeObject>(remediator, e, 'kubectl_get', {
    kind: ref.kind,
    namespace: ns,
    name: ref.name,
  });
  if (got.status !== 'success' || !got.data)
    return {
      answer: `${refText(ref)} does not exist now (kubectl_get found nothing), so there is nothing for ${verb.toLowerCase()} it to do.`,
      target: ref,
      touched: [],
      evidence: [],
    };
  const object = got.data;
  const parts: string[] = [];
  const touched: ObjectRef[] = [];
  let replicaSets: ReplicaSet[] | undefined;

  if (WORKLOADS.has(ref.kind)) {
    const effects = await workloadEffects(run, e, question, type, ref, object);
    parts.push(...effects.parts);
    touched.push(...effects.touched);
    replicaSets = effects.replicaSets;
  } else if (ref.kind === 'ResourceQuota') {
    const quota = await run.call(investigator, e, 'quota_explain', { namespace: ns });
    parts.push(
      type === 'DeleteResourceQuota'
        ? `${verb} ${refText(ref)} stops admission control on its limits in ${ns}: controllers it refuses can create their pods, and nothing caps the namespace until it is re-created. It restarts or removes no running pod.`
        : `${verb} ${refText(ref)} lets controllers it refuses create their pods within the new limits; the namespace keeps a cap. It restarts or removes no running pod.`,
    );
    if (quota.status === 'success') parts.push(`What it limits now: ${quota.summary}.`);
  } else if (ref.kind === 'Pod') {
    const owner = (object as Pod).metadata.ownerReferences?.find((o) => o.controller);
    touched.push(ref);
    parts.push(
      owner
        ? `${verb} ${refText(ref)} makes ${owner.kind} ${ns}/${owner.name} create a replacement from the same template; no other pod is touched.`
        : `${refText(ref)} has no controller: once deleted it does not come back.`,
    );
  } else if (ref.kind === 'Job') {
    parts.push(...(await jobEffects(run, e, ref, object as Job)));
  }

  const action = {
    type,
    namespace: ns,
    name: ref.name,
    ...(type === 'ScaleDeployment' ? { replicas: question.replicas ?? 1 } : {}),
    ...(type === 'RolloutRestart' ? { kind: ref.kind } : {}),
  } as Action;
  // The inverse and risk come from the proposal planner for the actions it can plan from a bare
  // request; a rollback or scale it plans for Deployments only.
  const plannable =
    PLANNED.has(type) &&
    (ref.kind === 'Deployment' || !['RollbackDeployment', 'ScaleDeployment'].includes(type));
  const plan = plannable ? planFor(action, { object, ...(replicaSets ? { replicaSets } : {}) }) : undefined;
  if (plan?.refusal) parts.push(`It would not be proposed: ${plan.refusal}`);
  else if (plan) parts.push(`Inverse: ${plan.rollback.description} Risk: ${plan.risk}.`);
  parts.push(verdict(type, plan?.risk, parts.join(' ')));
  const state = (p: ThreadProposal) => p.state ?? 'proposed, awaiting approval';
  if (target.proposal)
    parts.push(
      `This is the action already proposed on this thread (${target.proposal.type} ${target.proposal.namespace}/${target.proposal.name}, ${state(target.proposal)}); it is not proposed again.`,
    );
  else if (target.others.length)
    parts.push(
      `The action already proposed on this thread for ${refText(ref)} is ${target.others.map((p) => `${p.type} (${state(p)}): ${p.summary.slice(0, 160)}`).join('; ')}. Nothing new is proposed.`,
    );
  const answer = parts.filter(Boolean).join(' ');
  return {
    answer,
    target: ref,
    touched,
    evidence: [{ source: 'analysis', excerpt: answer.slice(0, 400), ref }],
  };
}

/** Deleting a Job: its pods go with it; its CronJob starts the next run on schedule. */
async function jobEffects(run: OfflineRun, e: TurnEmitter, ref: ObjectRef, job: Job): Promise<string[]> {
  const ns = ref.namespace!;
  const pods = (await items<Pod>(run, e, 'Pod', ns)).filter((p) =>
    p.metadata.ownerReferences?.some((o) => o.kind === 'Job' && o.name === ref.name),
  );
  const owner = job.metadata.ownerReferences?.find((o) => o.kind === 'CronJob');
  const cron = owner
    ? await run.call<{ spec?: { schedule?: string; concurrencyPolicy?: string } }>(
        remediator,
        e,
        'kubectl_get',
        {
          kind: 'CronJob',
          namespace: ns,
          name: owner.name,
        },
      )
    : undefined;
  const spec = cron?.data?.spec;
  return [
    `Deleting ${refText(ref)} deletes its ${pods.length} pod(s)${pods.length ? ` (${list(pods.map((p) => p.metadata.name))})` : ''}, stopping whatever they are doing mid-run; what they hold (locks, connections, temporary files) is released only when the processes exit.`,
    owner
      ? `CronJob ${ns}/${owner.name}${spec?.schedule ? ` (schedule "${spec.schedule}", concurrencyPolicy ${spec.concurrencyPolicy ?? 'Allow'})` : ''} starts the next run at its next schedule time${spec?.concurrencyPolicy === 'Forbid' ? '; with Forbid, the runs skipped while this one was active resume then' : ''}, and it runs into the same problem again if its cause is still there.`
      : 'Nothing re-creates it: its work is not run again unless someone re-creates the Job.',
    'No typed action deletes a Job, so nothing is proposed: a human runs `kubectl delete job` after reading this.',
  ];
}

/** Safe or not, from what the reads found: downtime, no dependents, an HPA that fights it, risk. */
function verdict(type: string, risk: string | undefined, facts: string): string {
  const reasons: string[] = [];
  if (/Recreate stops every pod/.test(facts)) reasons.push('it causes downtime');
  if (/With one replica/.test(facts)) reasons.push('one replica means a gap in service');
  if (/owns the replica count/.test(facts)) reasons.push('the autoscaler will undo it');
  if (/would not be proposed/.test(facts)) reasons.push('it cannot be applied as asked');
  if (/forced rollback/.test(facts)) reasons.push('the broken pod must also be deleted by hand');
  if (type === 'DeleteResourceQuota')
    reasons.push('the namespace loses its resource cap until the quota is re-created');
  if (reasons.length === 0)
    return `Verdict: safe to do with approval (${risk ? `risk ${risk}` : 'risk not rated'}): only the objects above change, and it can be undone.`;
  return `Verdict: ${risk === 'high' || reasons.length > 1 ? 'not safe without care' : 'safe with care'}: ${reasons.join('; ')}.`;
}
