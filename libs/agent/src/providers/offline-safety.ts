// "Is it safe to do Y / what would Y do": the blast radius of one action, read from the cluster as
// it is now. The target is the object the question names, else the action the thread already
// proposed, else the thread's affected workload. The remediator reads the target, its revisions and
// pods, the other pods of the namespace and who calls it; the answer says which pods and Services
// the action touches and which it leaves alone, the inverse, the risk, and a verdict with reasons.
// It proposes nothing: an action already proposed on the thread is referred to, not repeated.
import { type Action, type ObjectRef } from '@foxhound/contracts';
import { type Deployment, type KubeObject, type Pod, type ReplicaSet } from '@foxhound/diagnostics';
import { planFor, revisionOf } from '../proposals/rollback';
import { refText } from '../report/markdown';
import { investigator, remediator } from '../roles/roles';
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

const ACTION_TYPE: Record<AskedAction, Action['type']> = {
  rollback: 'RollbackDeployment',
  restart: 'RolloutRestart',
  scale: 'ScaleDeployment',
  'delete-quota': 'DeleteResourceQuota',
  'delete-pod': 'DeletePod',
  'patch-image': 'PatchDeploymentImage',
};
const TARGET_KIND: Record<Action['type'], string> = {
  RollbackDeployment: 'Deployment',
  RolloutRestart: 'Deployment',
  ScaleDeployment: 'Deployment',
  PatchDeploymentImage: 'Deployment',
  DeleteResourceQuota: 'ResourceQuota',
  DeletePod: 'Pod',
} as Record<Action['type'], string>;

const VERB: Record<string, string> = {
  RollbackDeployment: 'Rolling back',
  RolloutRestart: 'Restarting',
  ScaleDeployment: 'Scaling',
  PatchDeploymentImage: 'Changing the image of',
  DeleteResourceQuota: 'Deleting',
  DeletePod: 'Deleting',
};

/** Which action on which object the question means. */
export function safetyTarget(
  question: Question,
  thread: ThreadMemory,
  named: ObjectRef[],
): { type: Action['type']; ref: ObjectRef; proposal?: ThreadProposal } | undefined {
  const wanted = question.action ? ACTION_TYPE[question.action] : undefined;
  const proposal = thread.proposals.find((p) => !wanted || p.type === wanted);
  const type = wanted ?? (proposal?.type as Action['type'] | undefined);
  if (!type) return undefined;
  const kind = TARGET_KIND[type];
  const ref =
    named.find((r) => r.kind === kind) ??
    (proposal && { kind, namespace: proposal.namespace, name: proposal.name }) ??
    (thread.affected?.kind === kind ? thread.affected : undefined) ??
    thread.objects.find((o) => o.kind === kind);
  if (!ref?.namespace) return undefined;
  const same = thread.proposals.find(
    (p) => p.type === type && p.namespace === ref.namespace && p.name === ref.name,
  );
  return { type, ref, ...(same ? { proposal: same } : {}) };
}

const podRef = (p: Pod): ObjectRef => ({
  kind: 'Pod',
  namespace: p.metadata.namespace,
  name: p.metadata.name,
});
const ready = (p: Pod): boolean =>
  (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
const imagesOf = (rs: ReplicaSet | Deployment | undefined): string =>
  (rs?.spec.template?.spec.containers ?? []).map((c) => c.image).join(', ') || 'unknown image';
const list = (names: string[], max = 6): string =>
  names.length > max ? `${names.slice(0, max).join(', ')} and ${names.length - max} more` : names.join(', ');

async function items<T>(run: OfflineRun, e: TurnEmitter, kind: string, namespace: string): Promise<T[]> {
  const out = await run.call<T[]>(remediator, e, 'kubectl_get', { kind, namespace, limit: 500 });
  return out.status === 'success' ? (out.data ?? []) : [];
}

/** The reads and the answer for one action on one target. */
export async function answerSafety(
  run: OfflineRun,
  e: TurnEmitter,
  question: Question,
  target: { type: Action['type']; ref: ObjectRef; proposal?: ThreadProposal },
): Promise<SafetyAnswer> {
  const { type, ref } = target;
  const ns = ref.namespace!;
  const verb = VERB[type] ?? type;
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

  if (ref.kind === 'Deployment') {
    const d = object as Deployment;
    const sets = await items<ReplicaSet>(run, e, 'ReplicaSet', ns);
    replicaSets = sets
      .filter((rs) =>
        rs.metadata.ownerReferences?.some((o) => o.kind === 'Deployment' && o.name === ref.name),
      )
      .sort((a, b) => revisionOf(b) - revisionOf(a));
    const owned = new Set(replicaSets.map((rs) => rs.metadata.name));
    const pods = await items<Pod>(run, e, 'Pod', ns);
    const mine = pods.filter((p) => p.metadata.ownerReferences?.some((o) => owned.has(o.name)));
    const others = pods.filter((p) => !mine.includes(p));
    touched.push(...mine.map(podRef));
    const strategy = (
      d.spec as {
        strategy?: {
          type?: string;
          rollingUpdate?: { maxUnavailable?: string | number; maxSurge?: string | number };
        };
      }
    ).strategy;
    const rolling =
      strategy?.type === 'Recreate'
        ? 'all at once (strategy Recreate: every pod stops before the new ones start)'
        : `one batch at a time (RollingUpdate, maxUnavailable ${strategy?.rollingUpdate?.maxUnavailable ?? '25%'}, maxSurge ${strategy?.rollingUpdate?.maxSurge ?? '25%'})`;
    const readyCount = mine.filter(ready).length;
    const podsLine = mine.length
      ? `its ${mine.length} pod(s) (${list(mine.map((p) => p.metadata.name))}; ${readyCount} ready)`
      : 'no running pods (it has none now)';
    if (type === 'RollbackDeployment') {
      const [current, previous] = replicaSets;
      parts.push(
        previous
          ? `${verb} ${refText(ref)} replaces ${podsLine} ${rolling}, from revision ${revisionOf(current!)} (${imagesOf(current)}) to revision ${revisionOf(previous)} (${imagesOf(previous)}).`
          : `${refText(ref)} has no earlier revision to roll back to (ReplicaSets: ${list(replicaSets.map((rs) => rs.metadata.name)) || 'none'}), so a rollback would leave ${podsLine} as they are.`,
      );
    } else if (type === 'ScaleDeployment') {
      const to = question.replicas;
      parts.push(
        `${verb} ${refText(ref)} from ${d.spec.replicas ?? 1} to ${to ?? 'another number of'} replicas ${to !== undefined && to < (d.spec.replicas ?? 1) ? `removes ${(d.spec.replicas ?? 1) - to} of ${podsLine}` : `adds pods next to ${podsLine}`}; the existing pods keep running.`,
      );
      const hpas = await items<{
        spec?: { scaleTargetRef?: { kind?: string; name?: string } };
        metadata: { name: string };
      }>(run, e, 'HorizontalPodAutoscaler', ns);
      const hpa = hpas.find(
        (h) => h.spec?.scaleTargetRef?.kind === 'Deployment' && h.spec.scaleTargetRef.name === ref.name,
      );
      if (hpa)
        parts.push(
          `HorizontalPodAutoscaler ${ns}/${hpa.metadata.name} owns the replica count and will undo a manual scale.`,
        );
    } else {
      parts.push(
        `${verb} ${refText(ref)} replaces ${podsLine} ${rolling}, from the same template (${imagesOf(d)}).`,
      );
    }
    const otherWorkloads = new Set(
      others.map(
        (p) => p.metadata.ownerReferences?.[0]?.name.replace(/-[a-z0-9]{5,10}$/, '') ?? p.metadata.name,
      ),
    );
    parts.push(
      others.length
        ? `It does not touch the ${others.length} other pod(s) in ${ns} (${list([...otherWorkloads])}): they keep running as they are.`
        : `There are no other pods in ${ns}.`,
    );
    const radius = await run.call<ObjectRef[]>(remediator, e, 'blast_radius', {
      kind: 'Deployment',
      namespace: ns,
      name: ref.name,
    });
    const dependents = radius.status === 'success' ? (radius.data ?? []) : [];
    touched.push(...dependents);
    parts.push(
      dependents.length
        ? `While its pods are replaced, these depend on it: ${list(dependents.map(refText))}.`
        : radius.status === 'no_data'
          ? 'Nothing in scope calls it (blast_radius found no dependents).'
          : '',
    );
    if (type !== 'ScaleDeployment' && mine.length <= 1 && strategy?.type !== 'Recreate')
      parts.push(
        'With one replica, requests fail while that pod is replaced if the new one does not become ready.',
      );
    if (strategy?.type === 'Recreate') parts.push('Expect downtime: Recreate stops every pod first.');
  } else if (ref.kind === 'ResourceQuota') {
    const quota = await run.call(investigator, e, 'quota_explain', { namespace: ns });
    parts.push(
      `${verb} ${refText(ref)} stops admission control on its limits in ${ns}: controllers it refuses can create their pods, and nothing caps the namespace until it is re-created. It restarts or removes no running pod.`,
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
  }

  const action = {
    type,
    namespace: ns,
    name: ref.name,
    ...(type === 'ScaleDeployment' ? { replicas: question.replicas ?? 1 } : {}),
    ...(type === 'RolloutRestart' ? { kind: 'Deployment' } : {}),
  } as Action;
  const plan =
    type === 'PatchDeploymentImage'
      ? undefined
      : planFor(action, { object, ...(replicaSets ? { replicaSets } : {}) });
  if (plan?.refusal) parts.push(`It would not be proposed: ${plan.refusal}`);
  else if (plan) parts.push(`Inverse: ${plan.rollback.description} Risk: ${plan.risk}.`);
  parts.push(verdict(type, plan?.risk, parts.join(' ')));
  if (target.proposal)
    parts.push(
      `This is the action already proposed on this thread (${target.proposal.type} ${target.proposal.namespace}/${target.proposal.name}, state ${target.proposal.state ?? 'proposed: awaiting approval'}); it is not proposed again.`,
    );
  const answer = parts.filter(Boolean).join(' ');
  return {
    answer,
    target: ref,
    touched,
    evidence: [{ source: 'analysis', excerpt: answer.slice(0, 400), ref }],
  };
}

/** Safe or not, from what the reads found: downtime, no dependents, an HPA that fights it, risk. */
function verdict(type: Action['type'], risk: string | undefined, facts: string): string {
  const reasons: string[] = [];
  if (/Recreate stops every pod/.test(facts)) reasons.push('it causes downtime');
  if (/With one replica/.test(facts)) reasons.push('one replica means a gap in service');
  if (/owns the replica count/.test(facts)) reasons.push('the autoscaler will undo it');
  if (/would not be proposed/.test(facts)) reasons.push('it cannot be applied as asked');
  if (type === 'DeleteResourceQuota')
    reasons.push('the namespace loses its resource cap until the quota is re-created');
  if (reasons.length === 0)
    return `Verdict: safe to do with approval (risk ${risk ?? 'low'}): only the pods above change, a batch at a time, and it can be undone.`;
  return `Verdict: ${risk === 'high' || reasons.length > 1 ? 'not safe without care' : 'safe with care'}: ${reasons.join('; ')}.`;
}
