// The StatefulSet controller's sync (pkg/controller/statefulset), after the Kubernetes docs
// "StatefulSets" (https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/): pods
// `<set>-<ordinal>` with a stable hostname under `serviceName`, a PersistentVolumeClaim
// `<template>-<set>-<ordinal>` per volumeClaimTemplate created before its pod; under the default
// OrderedReady policy one pod at a time, each waiting for the one before it to be Running and
// Ready, and scaled down from the highest ordinal; RollingUpdate from the highest ordinal down to
// the partition, one pod at a time, only while every pod is Running and Ready. That last rule is
// why a broken rollout stays stuck after the template is reverted until its pod is deleted (the
// docs' "Forced rollback"). Parallel creates and deletes without waiting.
import { type StatusError } from '../../api/status';
import { type KubeStore } from '../../store';
import { type KubeObject, type StoredObject } from '../../types';
import { type EventRecorder } from '../events';
import { isControlledBy } from '../owners';
import { podFromTemplate } from '../pod-template';
import { type ReconcileResult } from '../work-queue';
import { canonicalJson, isPodAvailable, isPodReady } from '../workloads/objects';
import { ensureUpdateRevision, REVISION_LABEL } from './revisions';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const STATEFULSETS = 'statefulsets.apps';

export interface StatefulSetSyncContext {
  store: KubeStore;
  events: EventRecorder;
}

const ordinalOf = (set: StoredObject, pod: StoredObject): number => {
  const m = new RegExp(`^${set.metadata.name.replace(/[.]/g, '\\.')}-(\\d+)$`).exec(pod.metadata.name);
  return m ? Number(m[1]) : -1;
};
const phaseOf = (p: StoredObject): string | undefined => (p as Json).status?.phase;
const isFailed = (p: StoredObject) => phaseOf(p) === 'Failed' || phaseOf(p) === 'Succeeded';
const runningAndReady = (p: StoredObject) => phaseOf(p) === 'Running' && isPodReady(p);
/** A StatefulSet pod's `controller-revision-hash` is its revision's full name (`web-6c5b7d9f4`). */
const revisionOf = (p: StoredObject) => p.metadata.labels?.[REVISION_LABEL] ?? '';

export function podsOf(store: KubeStore, set: StoredObject): Map<number, StoredObject> {
  const out = new Map<number, StoredObject>();
  for (const pod of store.list('pods', { namespace: set.metadata.namespace }).items) {
    const ordinal = ordinalOf(set, pod);
    if (ordinal >= 0 && isControlledBy(pod, set)) out.set(ordinal, pod);
  }
  return out;
}

function claimName(template: Json, podName: string): string {
  return `${template.metadata?.name ?? ''}-${podName}`;
}

/** The claims of one ordinal, created when missing (before the pod, as the real controller does). */
function ensureClaims(ctx: StatefulSetSyncContext, set: StoredObject, podName: string): void {
  const spec: Json = (set as Json).spec ?? {};
  for (const template of (spec.volumeClaimTemplates ?? []) as Json[]) {
    const name = claimName(template, podName);
    if (ctx.store.find('persistentvolumeclaims', set.metadata.namespace, name)) continue;
    try {
      ctx.store.create('persistentvolumeclaims', {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: {
          name,
          namespace: set.metadata.namespace,
          labels: { ...(template.metadata?.labels ?? {}), ...(spec.selector?.matchLabels ?? {}) },
          ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
        },
        spec: structuredClone(template.spec ?? {}),
      });
      ctx.events.record(
        set,
        'Normal',
        'SuccessfulCreate',
        `create Claim ${name} Pod ${podName} in StatefulSet ${set.metadata.name} success`,
      );
    } catch (err) {
      ctx.events.record(
        set,
        'Warning',
        'FailedCreate',
        `create Claim ${name} for Pod ${podName} in StatefulSet ${set.metadata.name} failed error: ${(err as StatusError).message}`,
      );
      throw err;
    }
  }
}

function newPod(set: StoredObject, ordinal: number, revision: string): KubeObject {
  const spec: Json = (set as Json).spec ?? {};
  const podName = `${set.metadata.name}-${ordinal}`;
  const pod = podFromTemplate(set, spec.template, {
    name: podName,
    labels: {
      [REVISION_LABEL]: revision,
      'statefulset.kubernetes.io/pod-name': podName,
      'apps.kubernetes.io/pod-index': String(ordinal),
    },
  }) as Json;
  pod.spec.hostname = podName;
  if (spec.serviceName) pod.spec.subdomain = spec.serviceName;
  const volumes: Json[] = pod.spec.volumes ?? [];
  for (const template of (spec.volumeClaimTemplates ?? []) as Json[]) {
    const volume = {
      name: template.metadata?.name,
      persistentVolumeClaim: { claimName: claimName(template, podName) },
    };
    const i = volumes.findIndex((v) => v.name === volume.name);
    if (i >= 0) volumes[i] = volume;
    else volumes.push(volume);
  }
  if (volumes.length) pod.spec.volumes = volumes;
  return pod as KubeObject;
}

type Verb = 'create' | 'delete';

function podEvent(
  ctx: StatefulSetSyncContext,
  set: StoredObject,
  verb: Verb,
  pod: string,
  err?: unknown,
): void {
  if (err) {
    const message = `${verb} Pod ${pod} in StatefulSet ${set.metadata.name} failed error: ${(err as StatusError).message}`;
    ctx.events.record(set, 'Warning', verb === 'create' ? 'FailedCreate' : 'FailedDelete', message);
  } else {
    const message = `${verb} Pod ${pod} in StatefulSet ${set.metadata.name} successful`;
    ctx.events.record(set, 'Normal', verb === 'create' ? 'SuccessfulCreate' : 'SuccessfulDelete', message);
  }
}

function deletePod(ctx: StatefulSetSyncContext, set: StoredObject, pod: StoredObject): void {
  try {
    ctx.store.delete('pods', pod.metadata.namespace, pod.metadata.name);
    podEvent(ctx, set, 'delete', pod.metadata.name);
  } catch (err) {
    podEvent(ctx, set, 'delete', pod.metadata.name, err);
    throw err;
  }
}

/** One pass of updateStatefulSet: under OrderedReady at most one create or delete. Throws a refused write. */
function manage(ctx: StatefulSetSyncContext, set: StoredObject, updateRevision: string): void {
  const spec: Json = (set as Json).spec ?? {};
  const replicas: number = spec.replicas ?? 1;
  const monotonic = spec.podManagementPolicy !== 'Parallel';
  const pods = podsOf(ctx.store, set);

  for (let ordinal = 0; ordinal < replicas; ordinal++) {
    const pod = pods.get(ordinal);
    // A pod that ended (Failed or Succeeded) is deleted and made again.
    if (pod && isFailed(pod) && !pod.metadata.deletionTimestamp) {
      deletePod(ctx, set, pod);
      if (monotonic) return;
      continue;
    }
    if (!pod) {
      const podName = `${set.metadata.name}-${ordinal}`;
      ensureClaims(ctx, set, podName);
      try {
        ctx.store.create('pods', newPod(set, ordinal, updateRevision));
        podEvent(ctx, set, 'create', podName);
      } catch (err) {
        podEvent(ctx, set, 'create', podName, err);
        throw err;
      }
      if (monotonic) return;
      continue;
    }
    if (monotonic && (pod.metadata.deletionTimestamp || !runningAndReady(pod))) return;
  }

  // Scale down, highest ordinal first; OrderedReady only while every pod kept is Running and Ready.
  const condemned = [...pods.entries()].filter(([o]) => o >= replicas).sort(([a], [b]) => b - a);
  for (const [, pod] of condemned) {
    if (pod.metadata.deletionTimestamp) {
      if (monotonic) return;
      continue;
    }
    deletePod(ctx, set, pod);
    if (monotonic) return;
  }

  // RollingUpdate: highest ordinal first, down to the partition, one pod at a time.
  const strategy: Json = spec.updateStrategy ?? {};
  if ((strategy.type ?? 'RollingUpdate') !== 'RollingUpdate') return;
  const partition: number = strategy.rollingUpdate?.partition ?? 0;
  for (let ordinal = replicas - 1; ordinal >= partition; ordinal--) {
    const pod = pods.get(ordinal);
    if (!pod || pod.metadata.deletionTimestamp) return;
    if (revisionOf(pod) !== updateRevision) {
      deletePod(ctx, set, pod);
      return;
    }
    if (!runningAndReady(pod)) return;
  }
}

export function syncStatefulSet(
  ctx: StatefulSetSyncContext,
  namespace: string,
  name: string,
): ReconcileResult {
  const { store } = ctx;
  const set = store.find(STATEFULSETS, namespace, name);
  if (!set || set.metadata.deletionTimestamp) return;
  const updateRevision = ensureUpdateRevision(store, set);
  let failed = false;
  try {
    manage(ctx, set, updateRevision);
  } catch {
    failed = true;
  }
  const spec: Json = (set as Json).spec ?? {};
  const old: Json = (set as Json).status ?? {};
  const pods = [...podsOf(store, set).values()].filter((p) => !p.metadata.deletionTimestamp);
  const now = store.now();
  const updated = pods.filter((p) => revisionOf(p) === updateRevision).length;
  const currentRevision =
    !old.currentRevision ||
    (updated === pods.length && pods.length === (spec.replicas ?? 1) && pods.every(runningAndReady))
      ? updateRevision
      : old.currentRevision;
  const current = pods.filter((p) => revisionOf(p) === currentRevision).length;
  const ready = pods.filter(isPodReady).length;
  const status: Json = {
    observedGeneration: set.metadata.generation ?? 1,
    replicas: pods.length,
    ...(ready ? { readyReplicas: ready } : {}),
    ...(current ? { currentReplicas: current } : {}),
    ...(updated ? { updatedReplicas: updated } : {}),
    currentRevision,
    updateRevision,
    collisionCount: 0,
    availableReplicas: pods.filter((p) => isPodAvailable(p, spec.minReadySeconds ?? 0, now)).length,
  };
  const latest = store.find(STATEFULSETS, namespace, name);
  if (latest && canonicalJson(status) !== canonicalJson((latest as Json).status ?? {})) {
    store.update(STATEFULSETS, { ...latest, status } as KubeObject, { subresource: 'status' });
  }
  return failed ? 'backoff' : undefined;
}
