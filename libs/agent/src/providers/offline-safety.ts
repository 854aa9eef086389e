// "Is it safe to do Y / what would Y do": the blast radius of one action, read from the cluster as
// it is now. The target is the object the question names, else the action the thread already
// proposed, else the thread's affected workload. The remediator reads the target, its revisions and
// pods, the other pods of the namespace and who calls it; the answer says which pods and Services
// the action touches and which it leaves alone, the inverse, the risk, and a verdict with reasons.
// It proposes nothing: an action already proposed on the thread is referred to, not repeated.
import { type Action, type ObjectRef } from '@foxhound/contracts';
import {
  type Deployment,
  type KubeObject,
  type Pod,
  type ReplicaSet,
  type Service,
} from '@foxhound/diagnostics';
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
const TARGET_KIND: Record<string, string | undefined> = {
  RollbackDeployment: 'Deployment',
  RolloutRestart: 'Deployment',
  ScaleDeployment: 'Deployment',
  PatchDeploymentImage: 'Deployment',
  DeleteResourceQuota: 'ResourceQuota',
  DeletePod: 'Pod',
};

const VERB: Record<string, string> = {
  RollbackDeployment: 'Rolling back',
  RolloutRestart: 'Restarting',
  ScaleDeployment: 'Scaling',
  PatchDeploymentImage: 'Changing the image of',
  DeleteResourceQuota: 'Deleting',
  DeletePod: 'Deleting',
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
  const ref =
    named.find((r) => r.kind === kind) ??
    (proposal && { kind, namespace: proposal.namespace, name: proposal.name }) ??
    (thread.affected?.kind === kind ? thread.affected : undefined) ??
    thread.objects.find((o) => o.kind === kind);
  if (!ref?.namespace) return undefined;
  const onTarget = thread.proposals.filter((p) => p.namespace === ref.namespace && p.name === ref.name);
  const same = onTarget.find((p) => p.type === type);
  return { type, ref, ...(same ? { proposal: same } : {}), others: onTarget.filter((p) => p !== same) };
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
    const otherWorkloads = new Set(others.map((p) => refText(workloadOfPod(p))));
    parts.push(
      others.length
        ? `It does not touch the ${others.length} other pod(s) in ${ns} (${list([...otherWorkloads])}): they keep running as they are.`
        : `There are no other pods in ${ns}.`,
    );
    // Who notices the pods being replaced: the Services selecting them, and the other pods whose
    // environment names those Services. Read from lists, not a whole-scope snapshot.
    const services = (await items<Service>(run, e, 'Service', ns)).filter(
      (svc) =>
        svc.spec.selector &&
        Object.keys(svc.spec.selector).length > 0 &&
        Object.entries(svc.spec.selector).every(([k, v]) => d.spec.template.metadata?.labels?.[k] === v),
    );
    const callers = callersOf(services, others);
    touched.push(
      ...services.map((svc) => ({ kind: 'Service', namespace: ns, name: svc.metadata.name })),
      ...callers,
    );
    parts.push(
      services.length
        ? `Traffic through ${list(services.map((svc) => `Service ${ns}/${svc.metadata.name}`))} shifts to the new pods as they become ready${callers.length ? `; callers that name it: ${list(callers.map(refText))}` : ''}.`
        : `No Service in ${ns} selects its pods.`,
    );
    if (type !== 'ScaleDeployment' && mine.length <= 1 && strategy?.type !== 'Recreate')
      parts.push(
        'With one replica, requests fail while that pod is replaced if the new one does not become ready.',
      );
    if (strategy?.type === 'Recreate') parts.push('Expect downtime: Recreate stops every pod first.');
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
  }

  const action = {
    type,
    namespace: ns,
    name: ref.name,
    ...(type === 'ScaleDeployment' ? { replicas: question.replicas ?? 1 } : {}),
    ...(type === 'RolloutRestart' ? { kind: 'Deployment' } : {}),
  } as Action;
  // The inverse and risk come from the proposal planner for the actions it can plan from a bare request.
  const plan = PLANNED.has(type)
    ? planFor(action, { object, ...(replicaSets ? { replicaSets } : {}) })
    : undefined;
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

/** A pod's workload as its owner names it: a ReplicaSet's pods belong to the Deployment it is named after. */
function workloadOfPod(pod: Pod): ObjectRef {
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller) ?? pod.metadata.ownerReferences?.[0];
  if (!owner) return podRef(pod);
  return owner.kind === 'ReplicaSet'
    ? {
        kind: 'Deployment',
        namespace: pod.metadata.namespace,
        name: owner.name.replace(/-[a-z0-9]{6,10}$/, ''),
      }
    : { kind: owner.kind, namespace: pod.metadata.namespace, name: owner.name };
}

/** Workloads of the pods whose env values name one of the Services (`http://cart:8080`, `cart.shop`). */
function callersOf(services: Service[], pods: Pod[]): ObjectRef[] {
  const names = services.map((svc) => svc.metadata.name);
  const out = new Map<string, ObjectRef>();
  for (const pod of pods) {
    const values = pod.spec.containers.flatMap((c) => (c.env ?? []).map((v) => v.value ?? ''));
    if (!values.some((v) => names.some((n) => new RegExp(`(^|[/@:])${n}([.:/]|$)`).test(v)))) continue;
    const ref = workloadOfPod(pod);
    out.set(`${ref.kind}/${ref.name}`, ref);
  }
  return [...out.values()];
}

/** Safe or not, from what the reads found: downtime, no dependents, an HPA that fights it, risk. */
function verdict(type: string, risk: string | undefined, facts: string): string {
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
