// Rollout arithmetic of the Deployment controller (deployment/util), pure: maxSurge and
// maxUnavailable resolved against the replica count, how far the new ReplicaSet may scale up,
// replica sums over ReplicaSets, and the proportional share of a scaling event mid-rollout.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';

export const specReplicas = (o: Json): number => o.spec?.replicas ?? 1;
export const statusReplicas = (o: Json): number => o.status?.replicas ?? 0;
export const readyReplicas = (o: Json): number => o.status?.readyReplicas ?? 0;
export const availableReplicas = (o: Json): number => o.status?.availableReplicas ?? 0;
export const sum = (list: Json[], of: (o: Json) => number): number => list.reduce((n, o) => n + of(o), 0);

export function isRollingUpdate(d: Json): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/** An int-or-percent against `total` (intstr.GetScaledValueFromIntOrPercent). */
export function scaledValue(value: unknown, total: number, roundUp: boolean, fallback: string): number {
  const v = value ?? fallback;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(String(v));
  if (!m) {
    const n = Number(v);
    return Number.isInteger(n) ? n : 0;
  }
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/** maxSurge and maxUnavailable for the desired count; never both zero (ResolveFenceposts). */
function fenceposts(d: Json): { surge: number; unavailable: number } {
  const replicas = specReplicas(d);
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  const surge = scaledValue(ru.maxSurge, replicas, true, '25%');
  let unavailable = scaledValue(ru.maxUnavailable, replicas, false, '25%');
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function maxSurge(d: Json): number {
  return isRollingUpdate(d) ? fenceposts(d).surge : 0;
}

export function maxUnavailable(d: Json): number {
  const replicas = specReplicas(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  return Math.min(fenceposts(d).unavailable, replicas);
}

/** The size the new ReplicaSet may grow to now (NewRSNewReplicas). */
export function newRSNewReplicas(d: Json, allRSs: Json[], newRS: Json): number {
  const replicas = specReplicas(d);
  if (!isRollingUpdate(d)) return replicas;
  const current = sum(allRSs, specReplicas);
  const maxTotal = replicas + maxSurge(d);
  if (current >= maxTotal) return specReplicas(newRS);
  return specReplicas(newRS) + Math.min(maxTotal - current, replicas - specReplicas(newRS));
}

/** Whether the annotations a ReplicaSet carries for proportional scaling are out of date. */
export function replicasAnnotationsNeedUpdate(rs: Json, desired: number, max: number): boolean {
  const a = rs.metadata?.annotations ?? {};
  return a[DESIRED_REPLICAS] !== String(desired) || a[MAX_REPLICAS] !== String(max);
}

/**
 * How many replicas one ReplicaSet gains (or loses) when the Deployment is scaled mid-rollout
 * (GetProportion): its share of the change, by its size against the size it was scaled for.
 */
export function proportion(rs: Json, d: Json, toAdd: number, added: number): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  let fraction: number;
  if (specReplicas(d) === 0) {
    fraction = -specReplicas(rs);
  } else {
    const maxNow = specReplicas(d) + maxSurge(d);
    let before = Number(rs.metadata?.annotations?.[MAX_REPLICAS]);
    if (!Number.isInteger(before) || before === 0) before = statusReplicas(d);
    fraction = before === 0 ? 0 : Math.round((specReplicas(rs) * maxNow) / before) - specReplicas(rs);
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}
