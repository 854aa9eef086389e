// The Job controller's sync (pkg/controller/job), after the Kubernetes docs "Jobs"
// (https://kubernetes.io/docs/concepts/workloads/controllers/job/): run pods from the template
// until `completions` succeed, at most `parallelism` at a time; count each terminated pod once
// through the `batch.kubernetes.io/job-tracking` finalizer; wait the pod failure back-off (10 s
// doubling to 6 min) before replacing a failed pod; fail the Job once failures (and, with
// restartPolicy OnFailure, container restarts) exceed `backoffLimit` or it runs longer than
// `activeDeadlineSeconds`; suspend and resume; delete it `ttlSecondsAfterFinished` after it ends.
// As in v1.31+, the terminal condition (Complete or Failed) follows SuccessCriteriaMet or
// FailureTarget once no pod of the Job is left running.
import { type StatusError } from '../../api/status';
import { fromStructured } from '../../selectors/labels';
import { formatTime } from '../../store/meta';
import { type KubeStore } from '../../store';
import { type KubeObject, type StoredObject } from '../../types';
import { type EventRecorder } from '../events';
import { controllerOf, isControlledBy } from '../owners';
import { podFromTemplate } from '../pod-template';
import { type ReconcileResult } from '../work-queue';
import { canonicalJson, isPodReady } from '../workloads/objects';
import { formatIndexes, parseIndexes } from './indexes';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const JOBS = 'jobs.batch';
export const TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';

export interface JobSyncContext {
  store: KubeStore;
  events: EventRecorder;
  /** First wait before replacing a failed pod (the real 10 s), doubling per failure. */
  podBackoffMs: number;
  /** Longest such wait (the real 6 min). */
  maxPodBackoffMs: number;
}

const phaseOf = (p: StoredObject): string | undefined => (p as Json).status?.phase;
const isTerminal = (p: StoredObject) => phaseOf(p) === 'Succeeded' || phaseOf(p) === 'Failed';
const indexOf = (p: StoredObject) => Number(p.metadata.annotations?.[COMPLETION_INDEX] ?? NaN);
const conditionOf = (conditions: Json[], type: string) =>
  conditions.find((c) => c.type === type && c.status === 'True');

export function isJobFinished(job: StoredObject): boolean {
  const conditions: Json[] = (job as Json).status?.conditions ?? [];
  return Boolean(conditionOf(conditions, 'Complete') ?? conditionOf(conditions, 'Failed'));
}

/** Every pod the Job controls, terminal and terminating ones included. */
function podsOf(store: KubeStore, job: StoredObject): StoredObject[] {
  const selector = fromStructured(((job as Json).spec?.selector ?? {}) as Json);
  return store
    .list('pods', { namespace: job.metadata.namespace, labelSelector: selector })
    .items.filter((p) => isControlledBy(p, job));
}

function releasePod(store: KubeStore, pod: StoredObject): void {
  const finalizers = (pod.metadata.finalizers ?? []).filter((f) => f !== TRACKING_FINALIZER);
  store.update('pods', { ...pod, metadata: { ...pod.metadata, finalizers } } as KubeObject);
}

/** Pods of a Job that is gone still carry the finalizer; the real controller removes it too. */
function releaseOrphans(store: KubeStore, namespace: string, name: string): void {
  for (const pod of store.list('pods', { namespace }).items) {
    const owner = controllerOf(pod);
    if (
      owner?.kind === 'Job' &&
      owner.name === name &&
      pod.metadata.finalizers?.includes(TRACKING_FINALIZER)
    ) {
      releasePod(store, pod);
    }
  }
}

/** When a pod finished: its containers' latest finishedAt, else now. */
function finishedAt(pod: StoredObject, now: Date): number {
  const times = (((pod as Json).status?.containerStatuses ?? []) as Json[])
    .map((s) => Date.parse(s.state?.terminated?.finishedAt ?? ''))
    .filter((t) => !Number.isNaN(t));
  return times.length ? Math.max(...times) : now.getTime();
}

function condition(type: string, reason: string, message: string, now: Date, status = 'True'): Json {
  const at = formatTime(now);
  return { type, status, lastProbeTime: at, lastTransitionTime: at, reason, message };
}

interface Counts {
  succeeded: number;
  failed: number;
  completed: Set<number>;
  /** When the newest failed pod finished (ms), for the back-off. */
  lastFailure?: number;
}

/** Counts terminated (or deleted) pods that still carry the tracking finalizer, and releases them. */
function countTerminated(ctx: JobSyncContext, job: StoredObject, pods: StoredObject[], now: Date): Counts {
  const status: Json = (job as Json).status ?? {};
  const counts: Counts = {
    succeeded: status.succeeded ?? 0,
    failed: status.failed ?? 0,
    completed: parseIndexes(status.completedIndexes),
  };
  const indexed = (job as Json).spec?.completionMode === 'Indexed';
  for (const pod of pods) {
    if (phaseOf(pod) === 'Failed')
      counts.lastFailure = Math.max(counts.lastFailure ?? 0, finishedAt(pod, now));
    if (!pod.metadata.finalizers?.includes(TRACKING_FINALIZER)) continue;
    if (!isTerminal(pod) && !pod.metadata.deletionTimestamp) continue;
    if (phaseOf(pod) === 'Succeeded') {
      if (!indexed) counts.succeeded++;
      else if (!counts.completed.has(indexOf(pod))) {
        counts.completed.add(indexOf(pod));
        counts.succeeded++;
      }
    } else {
      // A pod deleted before it finished counts as failed, as in the real controller.
      counts.failed++;
      if (phaseOf(pod) !== 'Failed') counts.lastFailure = Math.max(counts.lastFailure ?? 0, now.getTime());
    }
    releasePod(ctx.store, pod);
  }
  return counts;
}

function deletePods(ctx: JobSyncContext, job: StoredObject, pods: StoredObject[]): void {
  for (const pod of pods) {
    ctx.store.delete('pods', pod.metadata.namespace, pod.metadata.name);
    ctx.events.record(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
  }
}

/** The indexes (Indexed) or slots (NonIndexed) to start now, within parallelism. */
function podsToCreate(spec: Json, counts: Counts, active: StoredObject[]): (number | undefined)[] {
  const parallelism: number = spec.parallelism ?? 1;
  const completions: number | undefined = spec.completions ?? undefined;
  if (spec.completionMode === 'Indexed') {
    const running = new Set(active.map(indexOf));
    const pending: number[] = [];
    for (let i = 0; i < (completions ?? 0) && pending.length + active.length < parallelism; i++) {
      if (!counts.completed.has(i) && !running.has(i)) pending.push(i);
    }
    return pending;
  }
  const want =
    completions === undefined
      ? counts.succeeded > 0
        ? 0
        : parallelism
      : Math.min(parallelism, completions - counts.succeeded);
  return Array.from({ length: Math.max(0, want - active.length) }, () => undefined);
}

function newPod(job: StoredObject, index: number | undefined): KubeObject {
  const name = job.metadata.name;
  const template: Json = (job as Json).spec?.template ?? {};
  if (index === undefined) return podFromTemplate(job, template, { finalizers: [TRACKING_FINALIZER] });
  const pod = podFromTemplate(job, template, {
    generateName: `${name}-${index}-`,
    labels: { [COMPLETION_INDEX]: String(index) },
    annotations: { [COMPLETION_INDEX]: String(index) },
    finalizers: [TRACKING_FINALIZER],
  }) as Json;
  pod.spec.hostname ??= `${name}-${index}`;
  return pod as KubeObject;
}

function createPods(
  ctx: JobSyncContext,
  job: StoredObject,
  slots: (number | undefined)[],
): Error | undefined {
  for (const index of slots) {
    try {
      const pod = ctx.store.create('pods', newPod(job, index));
      ctx.events.record(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
    } catch (err) {
      ctx.events.record(job, 'Warning', 'FailedCreate', `Error creating: ${(err as StatusError).message}`);
      return err as Error;
    }
  }
  return undefined;
}

export function syncJob(ctx: JobSyncContext, namespace: string, name: string): ReconcileResult {
  const { store } = ctx;
  const job = store.find(JOBS, namespace, name);
  if (!job) return releaseOrphans(store, namespace, name);
  const spec: Json = (job as Json).spec ?? {};
  const old: Json = (job as Json).status ?? {};
  const now = store.now();
  const pods = podsOf(store, job);
  const counts = countTerminated(ctx, job, pods, now);
  const active = pods.filter((p) => !isTerminal(p) && !p.metadata.deletionTimestamp);
  let conditions: Json[] = [...((old.conditions ?? []) as Json[])];
  let startTime: string | undefined = old.startTime;
  let completionTime: string | undefined = old.completionTime;
  let result: ReconcileResult = undefined;

  if (!isJobFinished(job)) {
    const ending = conditionOf(conditions, 'FailureTarget') ?? conditionOf(conditions, 'SuccessCriteriaMet');
    const suspended = conditionOf(conditions, 'Suspended');
    if (!ending && spec.suspend) {
      deletePods(ctx, job, active);
      active.length = 0;
      if (!suspended) {
        conditions = [
          ...conditions.filter((c) => c.type !== 'Suspended'),
          condition('Suspended', 'JobSuspended', 'Job suspended', now),
        ];
        ctx.events.record(job, 'Normal', 'Suspended', 'Job suspended');
      }
    } else if (!ending) {
      if (suspended) {
        conditions = [
          ...conditions.filter((c) => c.type !== 'Suspended'),
          condition('Suspended', 'JobResumed', 'Job resumed', now, 'False'),
        ];
        ctx.events.record(job, 'Normal', 'Resumed', 'Job resumed');
        startTime = formatTime(now);
      }
      startTime ??= formatTime(now);
      const restarts =
        spec.template?.spec?.restartPolicy === 'OnFailure'
          ? active.reduce(
              (n, p) =>
                n +
                (((p as Json).status?.containerStatuses ?? []) as Json[]).reduce(
                  (m, s) => m + (s.restartCount ?? 0),
                  0,
                ),
              0,
            )
          : 0;
      const deadlineMs =
        spec.activeDeadlineSeconds !== undefined
          ? Date.parse(startTime) + spec.activeDeadlineSeconds * 1000 - now.getTime()
          : undefined;
      const completions: number | undefined = spec.completions ?? undefined;
      const done =
        completions === undefined
          ? counts.succeeded > 0 && active.length === 0
          : counts.succeeded >= completions;
      let failure: [string, string] | undefined;
      if (counts.failed + restarts > (spec.backoffLimit ?? 6)) {
        failure = ['BackoffLimitExceeded', 'Job has reached the specified backoff limit'];
      } else if (deadlineMs !== undefined && deadlineMs <= 0) {
        failure = ['DeadlineExceeded', 'Job was active longer than specified deadline'];
      }
      if (failure) {
        conditions.push(condition('FailureTarget', failure[0], failure[1], now));
        deletePods(ctx, job, active);
        active.length = 0;
      } else if (done) {
        conditions.push(
          condition(
            'SuccessCriteriaMet',
            'CompletionsReached',
            'Reached expected number of succeeded pods',
            now,
          ),
        );
        deletePods(ctx, job, active);
        active.length = 0;
      } else {
        const slots = podsToCreate(spec, counts, active);
        const waitMs =
          counts.failed > 0 && counts.lastFailure !== undefined
            ? counts.lastFailure +
              Math.min(ctx.maxPodBackoffMs, ctx.podBackoffMs * 2 ** (counts.failed - 1)) -
              now.getTime()
            : 0;
        if (slots.length && waitMs > 0) result = { afterMs: waitMs };
        else if (slots.length && createPods(ctx, job, slots)) result = 'backoff';
        if (deadlineMs !== undefined && result !== 'backoff') {
          result = { afterMs: Math.min(deadlineMs, result ? result.afterMs : deadlineMs) };
        }
      }
    }
  }

  // The terminal condition once nothing of the Job runs any more (v1.31+).
  const remaining = podsOf(store, job).filter((p) => !isTerminal(p));
  const target = conditionOf(conditions, 'FailureTarget');
  const met = conditionOf(conditions, 'SuccessCriteriaMet');
  if (!isJobFinished(job) && !remaining.length && (target || met)) {
    if (target) {
      conditions.push(condition('Failed', target.reason, target.message, now));
      ctx.events.record(job, 'Warning', target.reason, target.message);
    } else {
      conditions.push(condition('Complete', met!.reason, met!.message, now));
      completionTime = formatTime(now);
      ctx.events.record(job, 'Normal', 'Completed', 'Job completed');
    }
  }

  const stillActive = remaining.filter((p) => !p.metadata.deletionTimestamp);
  const status: Json = {
    ...(conditions.length ? { conditions } : {}),
    ...(startTime ? { startTime } : {}),
    ...(completionTime ? { completionTime } : {}),
    ...(stillActive.length ? { active: stillActive.length } : {}),
    ...(counts.succeeded ? { succeeded: counts.succeeded } : {}),
    ...(counts.failed ? { failed: counts.failed } : {}),
    ...(spec.completionMode === 'Indexed' && counts.completed.size
      ? { completedIndexes: formatIndexes(counts.completed) }
      : {}),
    terminating: remaining.length - stillActive.length,
    ready: stillActive.filter(isPodReady).length,
    uncountedTerminatedPods: {},
  };
  const latest = store.find(JOBS, namespace, name);
  if (latest && canonicalJson(status) !== canonicalJson((latest as Json).status ?? {})) {
    store.update(JOBS, { ...latest, status } as KubeObject, { subresource: 'status' });
  }
  return result ?? ttlAfterFinished(store, latest ?? job, conditions, now);
}

/** The TTL-after-finished controller: deletes a finished Job (and its pods) once its TTL passes. */
function ttlAfterFinished(
  store: KubeStore,
  job: StoredObject,
  conditions: Json[],
  now: Date,
): ReconcileResult {
  const ttl: number | undefined = (job as Json).spec?.ttlSecondsAfterFinished;
  const end = conditionOf(conditions, 'Complete') ?? conditionOf(conditions, 'Failed');
  if (ttl === undefined || !end) return undefined;
  const left = Date.parse(end.lastTransitionTime) + ttl * 1000 - now.getTime();
  if (left > 0) return { afterMs: left };
  store.delete(JOBS, job.metadata.namespace, job.metadata.name, { propagationPolicy: 'Background' });
  return undefined;
}
