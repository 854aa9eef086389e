// Deployment status as the controller computes it (deployment/sync.go calculateStatus,
// progress.go syncRolloutStatus), pure: replica counts summed over the ReplicaSets, the Available
// condition (MinimumReplicasAvailable/Unavailable), Progressing (NewReplicaSetCreated,
// FoundNewReplicaSet, ReplicaSetUpdated, NewReplicaSetAvailable, ProgressDeadlineExceeded) and
// ReplicaFailure copied from a ReplicaSet that cannot create its pods.
import { formatTime } from '../../store/meta';
import {
  availableReplicas,
  maxUnavailable,
  readyReplicas,
  specReplicas,
  statusReplicas,
  sum,
} from './rollout';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastUpdateTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export const NO_DEADLINE = 2147483647;

export function newCondition(
  type: string,
  status: Condition['status'],
  reason: string,
  message: string,
  now: Date,
): Condition {
  const t = formatTime(now);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

export function getCondition(status: Json | undefined, type: string): Condition | undefined {
  return ((status?.conditions ?? []) as Condition[]).find((c) => c.type === type);
}

/** SetDeploymentCondition: same status and reason → unchanged; same status → keeps its transition time. */
export function setCondition(status: Json, condition: Condition): void {
  const current = getCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  const next = { ...condition };
  if (current && current.status === condition.status) next.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [
    ...((status.conditions ?? []) as Condition[]).filter((c) => c.type !== condition.type),
    next,
  ];
}

export function removeCondition(status: Json, type: string): void {
  const kept = ((status.conditions ?? []) as Condition[]).filter((c) => c.type !== type);
  if (kept.length) status.conditions = kept;
  else delete status.conditions;
}

export function hasProgressDeadline(d: Json): boolean {
  const s = d.spec?.progressDeadlineSeconds;
  return typeof s === 'number' && s !== NO_DEADLINE;
}

/** Counts over the ReplicaSets plus the Available condition (calculateStatus). */
export function calculateStatus(d: Json, allRSs: Json[], newRS: Json | undefined, now: Date): Json {
  const available = sum(allRSs, availableReplicas);
  const status: Json = {};
  const put = (k: string, v: number) => {
    if (v) status[k] = v;
  };
  put('observedGeneration', d.metadata.generation ?? 1);
  put('replicas', sum(allRSs, statusReplicas));
  put('updatedReplicas', newRS ? statusReplicas(newRS) : 0);
  put('readyReplicas', sum(allRSs, readyReplicas));
  put('availableReplicas', available);
  put('unavailableReplicas', Math.max(sum(allRSs, specReplicas) - available, 0));
  const conditions = (d.status?.conditions ?? []) as Condition[];
  if (conditions.length) status.conditions = conditions.map((c) => ({ ...c }));
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (available >= specReplicas(d) - maxUnavailable(d)) {
    setCondition(
      status,
      newCondition(
        'Available',
        'True',
        'MinimumReplicasAvailable',
        'Deployment has minimum availability.',
        now,
      ),
    );
  } else {
    setCondition(
      status,
      newCondition(
        'Available',
        'False',
        'MinimumReplicasUnavailable',
        'Deployment does not have minimum availability.',
        now,
      ),
    );
  }
  return status;
}

export function deploymentComplete(d: Json, status: Json): boolean {
  const replicas = specReplicas(d);
  return (
    (status.updatedReplicas ?? 0) === replicas &&
    (status.replicas ?? 0) === replicas &&
    (status.availableReplicas ?? 0) === replicas &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 1)
  );
}

function deploymentProgressing(d: Json, status: Json): boolean {
  const old: Json = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  return (
    (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

function deploymentTimedOut(d: Json, status: Json, now: Date): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(status, 'Progressing');
  if (!c || c.reason === 'NewReplicaSetAvailable') return false;
  if (c.reason === 'ProgressDeadlineExceeded') return true;
  return Date.parse(c.lastUpdateTime) + d.spec.progressDeadlineSeconds * 1000 < now.getTime();
}

/** The status a rollout step ends with (syncRolloutStatus). */
export function rolloutStatus(d: Json, allRSs: Json[], newRS: Json | undefined, now: Date): Json {
  const status = calculateStatus(d, allRSs, newRS, now);
  if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
  const current = getCondition(d.status, 'Progressing');
  const complete = status.replicas === status.updatedReplicas && current?.reason === 'NewReplicaSetAvailable';
  const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
  if (hasProgressDeadline(d) && !complete) {
    if (deploymentComplete(d, status)) {
      setCondition(
        status,
        newCondition(
          'Progressing',
          'True',
          'NewReplicaSetAvailable',
          `${subject} has successfully progressed.`,
          now,
        ),
      );
    } else if (deploymentProgressing(d, status)) {
      // Progress refreshes lastUpdateTime even when the reason stays ReplicaSetUpdated.
      const next = newCondition(
        'Progressing',
        'True',
        'ReplicaSetUpdated',
        `${subject} is progressing.`,
        now,
      );
      const existing = getCondition(status, 'Progressing');
      if (existing?.status === 'True') next.lastTransitionTime = existing.lastTransitionTime;
      removeCondition(status, 'Progressing');
      setCondition(status, next);
    } else if (deploymentTimedOut(d, status, now)) {
      setCondition(
        status,
        newCondition(
          'Progressing',
          'False',
          'ProgressDeadlineExceeded',
          `${subject} has timed out progressing.`,
          now,
        ),
      );
    }
  }
  const failures = [newRS, ...allRSs]
    .filter((rs): rs is Json => Boolean(rs))
    .flatMap((rs) => ((rs.status?.conditions ?? []) as Json[]).filter((c) => c.type === 'ReplicaFailure'));
  if (failures.length) {
    const f = failures[0];
    setCondition(status, {
      type: 'ReplicaFailure',
      status: f.status,
      lastUpdateTime: f.lastTransitionTime,
      lastTransitionTime: f.lastTransitionTime,
      reason: f.reason,
      message: f.message,
    });
  } else {
    removeCondition(status, 'ReplicaFailure');
  }
  return status;
}

/** When to look again for a stuck rollout's deadline (requeueStuckDeployment), in ms. */
export function msUntilDeadline(d: Json, status: Json, now: Date): number | undefined {
  const c = getCondition(status, 'Progressing');
  if (!hasProgressDeadline(d) || !c || deploymentComplete(d, status)) return undefined;
  if (c.reason === 'ProgressDeadlineExceeded' || c.reason === 'NewReplicaSetAvailable') return undefined;
  const left = Date.parse(c.lastUpdateTime) + d.spec.progressDeadlineSeconds * 1000 - now.getTime();
  return Math.max(left, 0) + 50;
}
