// The Deployment controller's sync (pkg/controller/deployment): pause and resume conditions,
// scaling events (proportional across ReplicaSets mid-rollout), RollingUpdate (scale the new
// ReplicaSet up within maxSurge, the old ones down within maxUnavailable, unhealthy ones first)
// and Recreate (old to zero, wait for their pods to go, then the new one), revision history
// cleanup, and the status the rollout ends with. One status write per step; a stuck rollout is
// looked at again when its progress deadline passes.
import { type StoredObject } from '../../types';
import { type ReconcileResult } from '../work-queue';
import {
  DEPLOYMENTS,
  cleanupOldReplicaSets,
  ownedReplicaSets,
  replicaSetsAndSyncRevision,
  scaleIfNeeded,
  scaleReplicaSet,
  writeStatus,
  type DeploymentSyncContext,
} from './deployment-replicasets';
import {
  calculateStatus,
  deploymentComplete,
  getCondition,
  hasProgressDeadline,
  msUntilDeadline,
  newCondition,
  rolloutStatus,
  setCondition,
} from './deployment-status';
import { byCreation, isActivePod } from './objects';
import { REPLICASETS } from './replicaset';
import {
  DESIRED_REPLICAS,
  availableReplicas,
  isRollingUpdate,
  maxSurge,
  maxUnavailable,
  newRSNewReplicas,
  proportion,
  specReplicas,
  statusReplicas,
  sum,
} from './rollout';
import { isControlledBy } from '../owners';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const active = (list: StoredObject[]) => list.filter((rs) => specReplicas(rs as Json) > 0);

/** Re-reads ReplicaSets after writes, so counts and sizes are current. */
function fresh(ctx: DeploymentSyncContext, list: (StoredObject | undefined)[]): StoredObject[] {
  return list
    .filter((rs): rs is StoredObject => Boolean(rs))
    .map((rs) => ctx.store.find(REPLICASETS, rs.metadata.namespace, rs.metadata.name))
    .filter((rs): rs is StoredObject => Boolean(rs));
}

function syncRolloutStatus(
  ctx: DeploymentSyncContext,
  d: StoredObject,
  newRS?: StoredObject,
  oldRSs: StoredObject[] = [],
) {
  const [n] = newRS ? fresh(ctx, [newRS]) : [];
  const all = fresh(ctx, [...oldRSs, n]);
  const status = rolloutStatus(d as Json, all, n, ctx.store.now());
  const written = writeStatus(ctx, d, status);
  const after = msUntilDeadline(written as Json, status, ctx.store.now());
  return after === undefined ? undefined : { afterMs: after };
}

/** Status only: counts and Available, no progress verdict (syncDeploymentStatus). */
function syncStatusOnly(
  ctx: DeploymentSyncContext,
  d: StoredObject,
  newRS?: StoredObject,
  oldRSs: StoredObject[] = [],
) {
  const [n] = newRS ? fresh(ctx, [newRS]) : [];
  writeStatus(ctx, d, calculateStatus(d as Json, fresh(ctx, [...oldRSs, n]), n, ctx.store.now()));
}

/** Progressing Unknown with DeploymentPaused / DeploymentResumed when the pause flag flips. */
function checkPausedConditions(ctx: DeploymentSyncContext, d: StoredObject): StoredObject {
  if (!hasProgressDeadline(d as Json)) return d;
  const cond = getCondition((d as Json).status, 'Progressing');
  if (cond?.reason === 'ProgressDeadlineExceeded') return d;
  const pausedNoted = cond?.reason === 'DeploymentPaused';
  const paused = Boolean((d as Json).spec?.paused);
  if (paused === pausedNoted) return d;
  const status = structuredClone((d as Json).status ?? {});
  const [reason, message] = paused
    ? ['DeploymentPaused', 'Deployment is paused']
    : ['DeploymentResumed', 'Deployment is resumed'];
  setCondition(status, newCondition('Progressing', 'Unknown', reason, message, ctx.store.now()));
  return writeStatus(ctx, d, status);
}

/** A scaling event: an active ReplicaSet was sized for a different replica count. */
function isScalingEvent(d: StoredObject, rss: StoredObject[]): boolean {
  return active(rss).some((rs) => {
    const desired = rs.metadata.annotations?.[DESIRED_REPLICAS];
    return desired !== undefined && desired !== String(specReplicas(d as Json));
  });
}

/** Resizes for a scaling event: the only active ReplicaSet takes it all, otherwise in proportion. */
function scale(
  ctx: DeploymentSyncContext,
  d: StoredObject,
  newRS: StoredObject | undefined,
  oldRSs: StoredObject[],
): void {
  const replicas = specReplicas(d as Json);
  const newestFirst = [...oldRSs].sort(byCreation).reverse();
  const all = active([...newestFirst, ...(newRS ? [newRS] : [])]);
  const activeOrLatest = all.length === 1 ? all[0] : all.length === 0 ? (newRS ?? newestFirst[0]) : undefined;
  if (activeOrLatest) {
    scaleIfNeeded(ctx, d, activeOrLatest, replicas);
    return;
  }
  const n = newRS as Json | undefined;
  const saturated =
    n &&
    specReplicas(n) === replicas &&
    n.metadata.annotations?.[DESIRED_REPLICAS] === String(replicas) &&
    availableReplicas(n) === replicas;
  if (saturated) {
    for (const old of active(oldRSs)) scaleIfNeeded(ctx, d, old, 0);
    return;
  }
  if (!isRollingUpdate(d as Json)) return;
  const allowed = replicas > 0 ? replicas + maxSurge(d as Json) : 0;
  const toAdd = allowed - sum(all, specReplicas);
  const direction = toAdd > 0 ? 'up' : 'down';
  // Bigger first; on ties newer first when growing, older first when shrinking.
  const ordered = [...all].sort(
    (a, b) =>
      specReplicas(b as Json) - specReplicas(a as Json) || (toAdd > 0 ? byCreation(b, a) : byCreation(a, b)),
  );
  let added = 0;
  const sizes = ordered.map((rs) => {
    const p = proportion(rs as Json, d as Json, toAdd, added);
    added += p;
    return specReplicas(rs as Json) + p;
  });
  if (ordered.length && toAdd !== 0) sizes[0] = Math.max(0, sizes[0] + toAdd - added);
  ordered.forEach((rs, i) => scaleReplicaSet(ctx, d, rs, sizes[i], direction));
}

/** The scale-up half of a rolling update (reconcileNewReplicaSet). */
function reconcileNewReplicaSet(
  ctx: DeploymentSyncContext,
  d: StoredObject,
  newRS: StoredObject,
  oldRSs: StoredObject[],
): boolean {
  const replicas = specReplicas(d as Json);
  const current = specReplicas(newRS as Json);
  if (current === replicas) return false;
  if (current > replicas) return scaleReplicaSet(ctx, d, newRS, replicas).scaled;
  const target = newRSNewReplicas(d as Json, [...oldRSs, newRS] as Json[], newRS as Json);
  return scaleIfNeeded(ctx, d, newRS, target).scaled;
}

/** The scale-down half (reconcileOldReplicaSets): unhealthy old pods go first, then within maxUnavailable. */
function reconcileOldReplicaSets(
  ctx: DeploymentSyncContext,
  d: StoredObject,
  newRS: StoredObject,
  oldRSs: StoredObject[],
): boolean {
  if (sum(oldRSs, specReplicas) === 0) return false;
  const minAvailable = specReplicas(d as Json) - maxUnavailable(d as Json);
  const newUnavailable = specReplicas(newRS as Json) - availableReplicas(newRS as Json);
  const maxScaledDown = sum([...oldRSs, newRS], specReplicas) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  let scaledDown = 0;
  const olds = [...oldRSs].sort(byCreation);
  for (const [i, rs] of olds.entries()) {
    if (scaledDown >= maxScaledDown) break;
    const unhealthy = specReplicas(rs as Json) - availableReplicas(rs as Json);
    if (specReplicas(rs as Json) === 0 || unhealthy === 0) continue;
    const count = Math.min(maxScaledDown - scaledDown, unhealthy);
    olds[i] = scaleReplicaSet(ctx, d, rs, specReplicas(rs as Json) - count).rs;
    scaledDown += count;
  }
  const available = sum([...olds, newRS], availableReplicas);
  if (available > minAvailable) {
    const total = available - minAvailable;
    let done = 0;
    for (const rs of olds) {
      if (done >= total) break;
      if (specReplicas(rs as Json) === 0) continue;
      const count = Math.min(specReplicas(rs as Json), total - done);
      scaleReplicaSet(ctx, d, rs, specReplicas(rs as Json) - count);
      done += count;
    }
    scaledDown += done;
  }
  return scaledDown > 0;
}

function rolloutRolling(
  ctx: DeploymentSyncContext,
  d: StoredObject,
  rsList: StoredObject[],
): ReconcileResult {
  const found = replicaSetsAndSyncRevision(ctx, d, rsList, true);
  const { newRS, oldRSs } = found;
  d = found.d;
  if (!newRS) return syncRolloutStatus(ctx, d, undefined, oldRSs);
  if (reconcileNewReplicaSet(ctx, d, newRS, oldRSs)) return syncRolloutStatus(ctx, d, newRS, oldRSs);
  if (reconcileOldReplicaSets(ctx, d, fresh(ctx, [newRS])[0] ?? newRS, fresh(ctx, active(oldRSs))))
    return syncRolloutStatus(ctx, d, newRS, oldRSs);
  if (deploymentComplete(d as Json, (d as Json).status ?? {}))
    cleanupOldReplicaSets(ctx, d, fresh(ctx, oldRSs));
  return syncRolloutStatus(ctx, d, newRS, oldRSs);
}

/** Pods of old ReplicaSets that have not finished (oldPodsRunning). */
function oldPodsRunning(ctx: DeploymentSyncContext, d: StoredObject, oldRSs: StoredObject[]): boolean {
  if (sum(fresh(ctx, oldRSs), statusReplicas) > 0) return true;
  const pods = ctx.store.list('pods', { namespace: d.metadata.namespace }).items;
  return oldRSs.some((rs) => pods.some((p) => isControlledBy(p, rs) && isActivePod(p)));
}

function rolloutRecreate(
  ctx: DeploymentSyncContext,
  d: StoredObject,
  rsList: StoredObject[],
): ReconcileResult {
  let { newRS, oldRSs, d: current } = replicaSetsAndSyncRevision(ctx, d, rsList, false);
  let scaledDown = false;
  for (const rs of active(oldRSs)) scaledDown = scaleIfNeeded(ctx, current, rs, 0).scaled || scaledDown;
  if (scaledDown || oldPodsRunning(ctx, current, oldRSs))
    return syncRolloutStatus(ctx, current, newRS, oldRSs);
  if (!newRS) ({ newRS, oldRSs, d: current } = replicaSetsAndSyncRevision(ctx, current, rsList, true));
  if (newRS) scaleIfNeeded(ctx, current, newRS, specReplicas(current as Json));
  if (deploymentComplete(current as Json, (current as Json).status ?? {}))
    cleanupOldReplicaSets(ctx, current, fresh(ctx, oldRSs));
  return syncRolloutStatus(ctx, current, newRS, oldRSs);
}

export function syncDeployment(ctx: DeploymentSyncContext, namespace: string, name: string): ReconcileResult {
  let d = ctx.store.find(DEPLOYMENTS, namespace, name);
  if (!d) return;
  const selector: Json = (d as Json).spec?.selector ?? {};
  if (!Object.keys(selector.matchLabels ?? {}).length && !(selector.matchExpressions ?? []).length) {
    ctx.events.record(
      d,
      'Warning',
      'SelectingAll',
      'This deployment is selecting all pods. A non-empty selector is required.',
    );
    const status = structuredClone((d as Json).status ?? {});
    status.observedGeneration = d.metadata.generation ?? 1;
    writeStatus(ctx, d, status);
    return;
  }
  const rsList = ownedReplicaSets(ctx.store, d);
  if (d.metadata.deletionTimestamp) {
    const { newRS, oldRSs } = replicaSetsAndSyncRevision(ctx, d, rsList, false);
    syncStatusOnly(ctx, d, newRS, oldRSs);
    return;
  }
  d = checkPausedConditions(ctx, d);
  if ((d as Json).spec?.paused || isScalingEvent(d, rsList)) {
    const found = replicaSetsAndSyncRevision(ctx, d, rsList, false);
    scale(ctx, found.d, found.newRS, found.oldRSs);
    if ((d as Json).spec?.paused) cleanupOldReplicaSets(ctx, found.d, fresh(ctx, found.oldRSs));
    syncStatusOnly(ctx, found.d, found.newRS, found.oldRSs);
    return;
  }
  return (d as Json).spec?.strategy?.type === 'Recreate'
    ? rolloutRecreate(ctx, d, rsList)
    : rolloutRolling(ctx, d, rsList);
}
