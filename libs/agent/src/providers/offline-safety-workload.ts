// What a rollback, restart or scale does to one workload, read from lists of its namespace: which
// of its pods are replaced (a Deployment batch by batch per its strategy, a StatefulSet one pod at a
// time from the highest ordinal down, a DaemonSet node by node) or removed (a ReplicaSet scaling
// down deletes unscheduled, then pending, then not-ready pods first: kubernetes.io/docs/concepts/
// workloads/controllers/replicaset/#scaling-a-replicaset), the revisions involved, the other pods
// it leaves alone, the Services in front of it and the callers that name them.
import { type ObjectRef } from '@foxhound/contracts';
import {
  type Deployment,
  type KubeObject,
  type Pod,
  type ReplicaSet,
  type Service,
} from '@foxhound/diagnostics';
import { type TurnEmitter } from '../events/emitter';
import { revisionOf } from '../proposals/rollback';
import { refText } from '../report/markdown';
import { remediator } from '../roles/roles';
import { type Question } from './offline-question';
import { type OfflineRun } from './offline-run';

export interface WorkloadEffects {
  parts: string[];
  touched: ObjectRef[];
  /** A Deployment's ReplicaSets, newest revision first (the rollback planner needs them). */
  replicaSets?: ReplicaSet[];
}

interface WorkloadSpec {
  replicas?: number;
  strategy?: {
    type?: string;
    rollingUpdate?: { maxUnavailable?: string | number; maxSurge?: string | number };
  };
  updateStrategy?: {
    type?: string;
    rollingUpdate?: { partition?: number; maxUnavailable?: string | number };
  };
  template?: Deployment['spec']['template'];
}

export const podRef = (p: Pod): ObjectRef => ({
  kind: 'Pod',
  namespace: p.metadata.namespace,
  name: p.metadata.name,
});
const ready = (p: Pod): boolean =>
  (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
const imagesOf = (w: { spec: { template?: Deployment['spec']['template'] } } | undefined): string =>
  (w?.spec.template?.spec.containers ?? []).map((c) => c.image).join(', ') || 'unknown image';
export const list = (names: string[], max = 6): string =>
  names.length > max ? `${names.slice(0, max).join(', ')} and ${names.length - max} more` : names.join(', ');
const phaseOf = (p: Pod): string =>
  !p.spec.nodeName ? 'unscheduled' : ready(p) ? 'ready' : (p.status?.phase ?? 'not ready');

export async function items<T>(
  run: OfflineRun,
  e: TurnEmitter,
  kind: string,
  namespace: string,
): Promise<T[]> {
  const out = await run.call<T[]>(remediator, e, 'kubectl_get', { kind, namespace, limit: 500 });
  return out.status === 'success' ? (out.data ?? []) : [];
}

/** A pod's workload as its owner names it: a ReplicaSet's pods belong to the Deployment it is named after. */
export function workloadOfPod(pod: Pod): ObjectRef {
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

/** The order a ReplicaSet deletes pods in when it scales down (unscheduled, pending, not ready, newest). */
function deletionOrder(pods: Pod[]): Pod[] {
  const rank = (p: Pod) => (!p.spec.nodeName ? 0 : p.status?.phase === 'Pending' ? 1 : !ready(p) ? 2 : 3);
  return [...pods].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (Date.parse(b.metadata.creationTimestamp ?? '') || 0) -
        (Date.parse(a.metadata.creationTimestamp ?? '') || 0),
  );
}

export async function workloadEffects(
  run: OfflineRun,
  e: TurnEmitter,
  question: Question,
  type: string,
  ref: ObjectRef,
  object: KubeObject,
): Promise<WorkloadEffects> {
  const ns = ref.namespace!;
  const spec = (object as unknown as { spec: WorkloadSpec }).spec;
  const parts: string[] = [];
  let replicaSets: ReplicaSet[] | undefined;
  if (ref.kind === 'Deployment') {
    replicaSets = (await items<ReplicaSet>(run, e, 'ReplicaSet', ns))
      .filter((rs) =>
        rs.metadata.ownerReferences?.some((o) => o.kind === 'Deployment' && o.name === ref.name),
      )
      .sort((a, b) => revisionOf(b) - revisionOf(a));
  }
  const owners = new Set(replicaSets ? replicaSets.map((rs) => rs.metadata.name) : [ref.name]);
  const pods = await items<Pod>(run, e, 'Pod', ns);
  const mine = pods.filter((p) => p.metadata.ownerReferences?.some((o) => owners.has(o.name)));
  const others = pods.filter((p) => !mine.includes(p));
  const touched: ObjectRef[] = mine.map(podRef);
  const podsLine = mine.length
    ? `its ${mine.length} pod(s) (${list(mine.map((p) => `${p.metadata.name} ${phaseOf(p)}`))})`
    : 'no pods (it has none now)';
  const recreate = spec.strategy?.type === 'Recreate';
  const how =
    ref.kind === 'StatefulSet'
      ? `one pod at a time from the highest ordinal down (${list(
          [...mine]
            .sort((a, b) => b.metadata.name.localeCompare(a.metadata.name, undefined, { numeric: true }))
            .map((p) => p.metadata.name),
        )}), each after the one before is Running and Ready${spec.updateStrategy?.rollingUpdate?.partition ? `, only ordinals from ${spec.updateStrategy.rollingUpdate.partition} up (partition)` : ''}`
      : ref.kind === 'DaemonSet'
        ? `node by node (maxUnavailable ${spec.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1})`
        : recreate
          ? 'all at once (strategy Recreate: every pod stops before the new ones start)'
          : `one batch at a time (RollingUpdate, maxUnavailable ${spec.strategy?.rollingUpdate?.maxUnavailable ?? '25%'}, maxSurge ${spec.strategy?.rollingUpdate?.maxSurge ?? '25%'})`;

  if (type === 'RollbackDeployment' && replicaSets) {
    const [current, previous] = replicaSets;
    parts.push(
      previous
        ? `Rolling back ${refText(ref)} replaces ${podsLine} ${how}, from revision ${revisionOf(current!)} (${imagesOf(current)}) to the previous revision ${revisionOf(previous)} (${imagesOf(previous)}).`
        : `${refText(ref)} has no earlier revision to roll back to (ReplicaSets: ${list(replicaSets.map((rs) => rs.metadata.name)) || 'none'}), so a rollback would leave ${podsLine} as they are.`,
    );
  } else if (type === 'RollbackDeployment') {
    const status = (object as { status?: { currentRevision?: string; updateRevision?: string } }).status;
    const stuck = mine.filter((p) => !ready(p));
    // kubernetes.io/docs/concepts/workloads/controllers/statefulset/#forced-rollback
    if (ref.kind === 'StatefulSet' && stuck.length)
      parts.push(
        `Reverting the template alone does not finish: a StatefulSet waits for ${list(stuck.map((p) => p.metadata.name))} to become Running and Ready before it replaces it, so the broken pod(s) must be deleted once the template is reverted (forced rollback).`,
      );
    parts.push(
      `Rolling back ${refText(ref)} (kubectl rollout undo) replaces ${podsLine} ${how}, from the current template (${imagesOf(object as Deployment)}) to the previous revision${status?.currentRevision && status.currentRevision !== status.updateRevision ? ` (${status.currentRevision}, which the pods not yet updated still run)` : ''}.`,
    );
  } else if (type === 'ScaleDeployment') {
    const from = spec.replicas ?? 1;
    const to = question.replicas;
    if (to !== undefined && to < from) {
      const going = deletionOrder(mine).slice(0, from - to);
      parts.push(
        `Scaling ${refText(ref)} from ${from} to ${to} replicas removes ${going.length} pod(s): ${list(going.map((p) => `${p.metadata.name} (${phaseOf(p)})`))}; the ReplicaSet deletes unscheduled, pending and not-ready pods first, so ${going.every((p) => !ready(p)) ? 'no pod that serves traffic stops' : 'ready pods stop too'}.`,
      );
    } else
      parts.push(
        `Scaling ${refText(ref)} from ${from} to ${to ?? 'more'} replicas adds pods next to ${podsLine}; the existing pods keep running.`,
      );
    const hpas = await items<{
      spec?: { scaleTargetRef?: { kind?: string; name?: string } };
      metadata: { name: string };
    }>(run, e, 'HorizontalPodAutoscaler', ns);
    const hpa = hpas.find(
      (h) => h.spec?.scaleTargetRef?.kind === ref.kind && h.spec.scaleTargetRef.name === ref.name,
    );
    if (hpa)
      parts.push(
        `HorizontalPodAutoscaler ${ns}/${hpa.metadata.name} owns the replica count and will undo a manual scale.`,
      );
  } else {
    parts.push(
      `Restarting ${refText(ref)} replaces ${podsLine} ${how}, from the same template (${imagesOf(object as Deployment)}).`,
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
  const labels = spec.template?.metadata?.labels ?? {};
  const services = (await items<Service>(run, e, 'Service', ns)).filter(
    (svc) =>
      svc.spec.selector &&
      Object.keys(svc.spec.selector).length > 0 &&
      Object.entries(svc.spec.selector).every(([k, v]) => labels[k] === v),
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
  if (type !== 'ScaleDeployment' && mine.length <= 1 && !recreate)
    parts.push(
      'With one replica, requests fail while that pod is replaced if the new one does not become ready.',
    );
  if (recreate) parts.push('Expect downtime: Recreate stops every pod first.');
  return { parts, touched, ...(replicaSets ? { replicaSets } : {}) };
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
