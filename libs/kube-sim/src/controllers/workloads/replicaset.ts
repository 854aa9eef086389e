// The ReplicaSet controller's sync (pkg/controller/replicaset): keep `spec.replicas` active pods
// owned by the ReplicaSet, creating from the template (generateName `<rs>-`, a controller
// ownerReference) in slow-start batches that stop at the first refusal, and deleting the least
// valuable extras first; then write status (replicas, fullyLabeledReplicas, readyReplicas,
// availableReplicas, observedGeneration, and the ReplicaFailure condition with FailedCreate when
// a create was refused, e.g. by quota). A refused create is retried with backoff.
import { type StatusError } from '../../api/status';
import { fromStructured, matchesLabels } from '../../selectors/labels';
import { formatTime } from '../../store/meta';
import { type KubeStore } from '../../store';
import { type KubeObject, type StoredObject } from '../../types';
import { type EventRecorder } from '../events';
import { type ReconcileResult } from '../work-queue';
import { canonicalJson, isActivePod, isPodAvailable, isPodReady, msUntilAvailable } from './objects';
import { isControlledBy } from '../owners';
import { podFromTemplate } from '../pod-template';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const REPLICASETS = 'replicasets.apps';

export interface ReplicaSetSyncContext {
  store: KubeStore;
  events: EventRecorder;
  /** Most pods created or deleted in one sync (the real controller's burstReplicas). */
  burstReplicas: number;
}

/** The active pods a ReplicaSet controls. */
export function podsOf(store: KubeStore, rs: StoredObject): StoredObject[] {
  const selector = fromStructured(((rs as Json).spec?.selector ?? {}) as Json);
  return store
    .list('pods', { namespace: rs.metadata.namespace, labelSelector: selector })
    .items.filter((p) => isActivePod(p) && isControlledBy(p, rs));
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** Negative when `a` should go before `b` (ActivePodsWithRanks, minus the co-location rank). */
function deletionOrder(a: Json, b: Json): number {
  const assigned = (p: Json) => (p.spec?.nodeName ? 1 : 0);
  if (assigned(a) !== assigned(b)) return assigned(a) - assigned(b);
  const phase = (p: Json) => PHASE_RANK[p.status?.phase] ?? 1;
  if (phase(a) !== phase(b)) return phase(a) - phase(b);
  const ready = (p: Json) => (isPodReady(p as KubeObject) ? 1 : 0);
  if (ready(a) !== ready(b)) return ready(a) - ready(b);
  const readySince = (p: Json) =>
    ((p.status?.conditions ?? []) as Json[]).find((c) => c.type === 'Ready')?.lastTransitionTime ?? '';
  if (ready(a) && readySince(a) !== readySince(b)) return readySince(a) > readySince(b) ? -1 : 1;
  const restarts = (p: Json) =>
    ((p.status?.containerStatuses ?? []) as Json[]).reduce((n, s) => n + (s.restartCount ?? 0), 0);
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  const created = (p: Json) => p.metadata.creationTimestamp ?? '';
  return created(a) === created(b) ? 0 : created(a) > created(b) ? -1 : 1;
}

/** Creates or deletes pods toward spec.replicas; returns the first error, which stops creation. */
function manageReplicas(
  ctx: ReplicaSetSyncContext,
  rs: StoredObject,
  pods: StoredObject[],
): Error | undefined {
  const desired: number = (rs as Json).spec?.replicas ?? 1;
  const diff = pods.length - desired;
  if (diff < 0) {
    let remaining = Math.min(-diff, ctx.burstReplicas);
    // Slow start: batches of 1, 2, 4... so a systematic refusal costs one request, not hundreds.
    for (let batch = Math.min(remaining, 1); batch > 0; batch = Math.min(2 * batch, remaining)) {
      let failure: Error | undefined;
      for (let i = 0; i < batch; i++) {
        try {
          const pod = ctx.store.create('pods', podFromTemplate(rs, (rs as Json).spec?.template, {}));
          ctx.events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
        } catch (err) {
          failure ??= err as Error;
          ctx.events.record(rs, 'Warning', 'FailedCreate', `Error creating: ${(err as StatusError).message}`);
        }
      }
      if (failure) return failure;
      remaining -= batch;
    }
    return undefined;
  }
  if (diff > 0) {
    const victims = [...pods].sort((a, b) => deletionOrder(a, b)).slice(0, Math.min(diff, ctx.burstReplicas));
    for (const pod of victims) {
      try {
        ctx.store.delete('pods', pod.metadata.namespace, pod.metadata.name);
        ctx.events.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
      } catch (err) {
        ctx.events.record(rs, 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`);
        return err as Error;
      }
    }
  }
  return undefined;
}

function calculateStatus(
  rs: StoredObject,
  pods: StoredObject[],
  podsBefore: number,
  manageError: Error | undefined,
  now: Date,
): Json {
  const spec: Json = (rs as Json).spec ?? {};
  const minReadySeconds: number = spec.minReadySeconds ?? 0;
  const templateLabels = fromStructured({ matchLabels: spec.template?.metadata?.labels ?? {} });
  const status: Json = { replicas: pods.length };
  const fully = pods.filter((p) => matchesLabels(templateLabels, p.metadata.labels)).length;
  const ready = pods.filter(isPodReady).length;
  const available = pods.filter((p) => isPodAvailable(p, minReadySeconds, now)).length;
  if (fully) status.fullyLabeledReplicas = fully;
  if (ready) status.readyReplicas = ready;
  if (available) status.availableReplicas = available;
  status.observedGeneration = rs.metadata.generation ?? 1;
  let conditions: Json[] = [...(((rs as Json).status?.conditions ?? []) as Json[])];
  const failure = conditions.find((c) => c.type === 'ReplicaFailure');
  if (manageError && !failure) {
    const desired: number = spec.replicas ?? 1;
    const reason = podsBefore < desired ? 'FailedCreate' : 'FailedDelete';
    conditions.push({
      type: 'ReplicaFailure',
      status: 'True',
      lastTransitionTime: formatTime(now),
      reason,
      message: manageError.message,
    });
  } else if (!manageError && failure) {
    conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
  }
  if (conditions.length) status.conditions = conditions;
  return status;
}

export function syncReplicaSet(ctx: ReplicaSetSyncContext, namespace: string, name: string): ReconcileResult {
  const { store } = ctx;
  const rs = store.find(REPLICASETS, namespace, name);
  if (!rs) return;
  const before = podsOf(store, rs);
  const manageError = rs.metadata.deletionTimestamp ? undefined : manageReplicas(ctx, rs, before);
  const now = store.now();
  const pods =
    manageError || before.length !== ((rs as Json).spec?.replicas ?? 1) ? podsOf(store, rs) : before;
  const status = calculateStatus(rs, pods, before.length, manageError, now);
  const latest = store.find(REPLICASETS, namespace, name);
  if (latest && canonicalJson(status) !== canonicalJson((latest as Json).status ?? {})) {
    store.update(REPLICASETS, { ...latest, status } as KubeObject, { subresource: 'status' });
  }
  if (manageError) return 'backoff';
  const minReadySeconds: number = (rs as Json).spec?.minReadySeconds ?? 0;
  const waits = pods.map((p) => msUntilAvailable(p, minReadySeconds, now)).filter((ms) => ms !== undefined);
  return waits.length ? { afterMs: Math.min(...waits) + 50 } : undefined;
}
