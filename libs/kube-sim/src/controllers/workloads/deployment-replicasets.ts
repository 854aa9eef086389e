// The Deployment controller's handling of its ReplicaSets (deployment/sync.go): finding the new
// ReplicaSet (the one whose template equals the Deployment's, ignoring the hash label) and the
// old ones, creating `<deployment>-<pod-template-hash>` when none matches, keeping the revision
// annotations (a reused old ReplicaSet takes the next revision and remembers its earlier ones in
// `revision-history`: that is what a rollback by template looks like), scaling with the
// `ScalingReplicaSet` event, and deleting old ReplicaSets past revisionHistoryLimit.
import { StatusError } from '../../api/status';
import { type KubeStore } from '../../store';
import { type KubeObject, type StoredObject } from '../../types';
import { type EventRecorder } from '../events';
import { byCreation, canonicalJson } from './objects';
import { getCondition, hasProgressDeadline, newCondition, setCondition } from './deployment-status';
import { REPLICASETS } from './replicaset';
import {
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  maxSurge,
  newRSNewReplicas,
  replicasAnnotationsNeedUpdate,
  specReplicas,
} from './rollout';
import { POD_TEMPLATE_HASH, podTemplateHash, templatesEqual } from './template';
import { controllerRef, isControlledBy } from '../owners';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const DEPLOYMENTS = 'deployments.apps';
export const REVISION = 'deployment.kubernetes.io/revision';
const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
const MAX_REVISION_HISTORY_CHARS = 2000;
/** Deployment annotations that are not copied onto its ReplicaSets (skipCopyAnnotation). */
const NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  'deprecated.deployment.rollback.to',
]);

export interface DeploymentSyncContext {
  store: KubeStore;
  events: EventRecorder;
}

export function revisionOf(rs: Json): number {
  const n = Number(rs.metadata?.annotations?.[REVISION]);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

export function ownedReplicaSets(store: KubeStore, d: StoredObject): StoredObject[] {
  return store
    .list(REPLICASETS, { namespace: d.metadata.namespace })
    .items.filter((rs) => isControlledBy(rs, d))
    .sort(byCreation);
}

/** Writes the deployment's status if it changed; returns the stored deployment. */
export function writeStatus(ctx: DeploymentSyncContext, d: StoredObject, status: Json): StoredObject {
  const latest = ctx.store.get(DEPLOYMENTS, d.metadata.namespace, d.metadata.name);
  if (canonicalJson(status) === canonicalJson((latest as Json).status ?? {})) return latest;
  return ctx.store.update(DEPLOYMENTS, { ...latest, status } as KubeObject, { subresource: 'status' });
}

function setReplicasAnnotations(rs: Json, d: Json): boolean {
  const desired = specReplicas(d);
  const max = desired + maxSurge(d);
  if (!replicasAnnotationsNeedUpdate(rs, desired, max)) return false;
  rs.metadata.annotations = {
    ...rs.metadata.annotations,
    [DESIRED_REPLICAS]: String(desired),
    [MAX_REPLICAS]: String(max),
  };
  return true;
}

/** SetNewReplicaSetAnnotations: copied annotations, the new revision, and the revision history. */
function setNewReplicaSetAnnotations(d: Json, rs: Json, newRevision: number, exists: boolean): boolean {
  const annotations: Record<string, string> = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries((d.metadata.annotations ?? {}) as Record<string, string>)) {
    if (NOT_COPIED.has(k) || annotations[k] === v) continue;
    annotations[k] = v;
    changed = true;
  }
  const old = annotations[REVISION];
  const oldRevision = old === undefined ? 0 : Number(old);
  if (Number.isInteger(oldRevision) && oldRevision < newRevision) {
    annotations[REVISION] = String(newRevision);
    changed = true;
    if (old !== undefined) {
      const history = annotations[REVISION_HISTORY] ? annotations[REVISION_HISTORY].split(',') : [];
      history.push(old);
      while (history.join(',').length > MAX_REVISION_HISTORY_CHARS) history.shift();
      annotations[REVISION_HISTORY] = history.join(',');
    }
  }
  if (!exists && setReplicasAnnotations(rs, d)) changed = true;
  return changed;
}

function setDeploymentRevision(ctx: DeploymentSyncContext, d: StoredObject, revision: string): StoredObject {
  if (d.metadata.annotations?.[REVISION] === revision) return d;
  const copy = structuredClone(d) as Json;
  copy.metadata.annotations = { ...copy.metadata.annotations, [REVISION]: revision };
  return ctx.store.update(DEPLOYMENTS, copy as KubeObject);
}

export interface ReplicaSetsOfDeployment {
  d: StoredObject;
  newRS?: StoredObject;
  oldRSs: StoredObject[];
}

/** getAllReplicaSetsAndSyncRevision: the new and old ReplicaSets, creating the new one if asked. */
export function replicaSetsAndSyncRevision(
  ctx: DeploymentSyncContext,
  d: StoredObject,
  rsList: StoredObject[],
  create: boolean,
): ReplicaSetsOfDeployment {
  const template = (d as Json).spec?.template;
  const existing = rsList.find((rs) => templatesEqual((rs as Json).spec?.template, template));
  const oldRSs = rsList.filter((rs) => rs !== existing);
  const newRevision = Math.max(0, ...oldRSs.map(revisionOf)) + 1;
  if (existing) {
    const copy = structuredClone(existing) as Json;
    const annotationsChanged = setNewReplicaSetAnnotations(d, copy, newRevision, true);
    const minReady = (d as Json).spec?.minReadySeconds ?? 0;
    const minReadyChanged = (copy.spec.minReadySeconds ?? 0) !== minReady;
    if (minReadyChanged) copy.spec.minReadySeconds = minReady;
    const newRS =
      annotationsChanged || minReadyChanged ? ctx.store.update(REPLICASETS, copy as KubeObject) : existing;
    d = setDeploymentRevision(ctx, d, String(revisionOf(newRS)));
    if (hasProgressDeadline(d) && !getCondition((d as Json).status, 'Progressing')) {
      const status = structuredClone((d as Json).status ?? {});
      const message = `Found new replica set "${newRS.metadata.name}"`;
      setCondition(
        status,
        newCondition('Progressing', 'True', 'FoundNewReplicaSet', message, ctx.store.now()),
      );
      d = writeStatus(ctx, d, status);
    }
    return { d, newRS, oldRSs };
  }
  if (!create) return { d, oldRSs };
  return createNewReplicaSet(ctx, d, oldRSs, newRevision);
}

function createNewReplicaSet(
  ctx: DeploymentSyncContext,
  d: StoredObject,
  oldRSs: StoredObject[],
  newRevision: number,
): ReplicaSetsOfDeployment {
  const spec = (d as Json).spec;
  const hash = podTemplateHash(spec.template, (d as Json).status?.collisionCount ?? 0);
  const template = structuredClone(spec.template ?? {});
  template.metadata = {
    ...template.metadata,
    labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH]: hash },
  };
  const rs: Json = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels: template.metadata.labels,
      ownerReferences: [controllerRef(d)],
    },
    spec: {
      replicas: 0,
      minReadySeconds: spec.minReadySeconds ?? 0,
      selector: {
        ...spec.selector,
        matchLabels: { ...spec.selector?.matchLabels, [POD_TEMPLATE_HASH]: hash },
      },
      template,
    },
  };
  rs.spec.replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
  setNewReplicaSetAnnotations(d, rs, newRevision, false);
  let created: StoredObject;
  let alreadyExisted = false;
  try {
    created = ctx.store.create(REPLICASETS, rs as KubeObject);
  } catch (err) {
    const found =
      err instanceof StatusError &&
      err.code === 409 &&
      ctx.store.find(REPLICASETS, rs.metadata.namespace, rs.metadata.name);
    if (found && isControlledBy(found, d) && templatesEqual((found as Json).spec?.template, spec.template)) {
      created = found;
      alreadyExisted = true;
    } else if (found) {
      // A different template hashed to the same name: count the collision and retry with a new hash.
      const status = {
        ...structuredClone((d as Json).status ?? {}),
        collisionCount: ((d as Json).status?.collisionCount ?? 0) + 1,
      };
      writeStatus(ctx, d, status);
      throw err;
    } else {
      const message = `Failed to create new replica set "${rs.metadata.name}": ${(err as Error).message}`;
      if (hasProgressDeadline(d)) {
        const status = structuredClone((d as Json).status ?? {});
        setCondition(
          status,
          newCondition('Progressing', 'False', 'ReplicaSetCreateError', message, ctx.store.now()),
        );
        writeStatus(ctx, d, status);
      }
      ctx.events.record(d, 'Warning', 'ReplicaSetCreateError', message);
      throw err;
    }
  }
  const replicas = specReplicas(created as Json);
  if (!alreadyExisted && replicas > 0) {
    ctx.events.record(
      d,
      'Normal',
      'ScalingReplicaSet',
      `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`,
    );
  }
  d = setDeploymentRevision(ctx, d, String(newRevision));
  if (!alreadyExisted && hasProgressDeadline(d)) {
    const status = structuredClone((d as Json).status ?? {});
    const message = `Created new replica set "${created.metadata.name}"`;
    setCondition(
      status,
      newCondition('Progressing', 'True', 'NewReplicaSetCreated', message, ctx.store.now()),
    );
    d = writeStatus(ctx, d, status);
  }
  return { d, newRS: created, oldRSs };
}

/** Sets a ReplicaSet's size (and its replica annotations); records ScalingReplicaSet when the size moved. */
export function scaleReplicaSet(
  ctx: DeploymentSyncContext,
  d: StoredObject,
  rs: StoredObject,
  size: number,
  direction?: 'up' | 'down',
): { scaled: boolean; rs: StoredObject } {
  const from = specReplicas(rs as Json);
  const copy = structuredClone(rs) as Json;
  const annotationsChanged = setReplicasAnnotations(copy, d);
  if (from === size && !annotationsChanged) return { scaled: false, rs };
  copy.spec.replicas = size;
  const updated = ctx.store.update(REPLICASETS, copy as KubeObject);
  if (from === size) return { scaled: false, rs: updated };
  const how = direction ?? (size > from ? 'up' : 'down');
  ctx.events.record(
    d,
    'Normal',
    'ScalingReplicaSet',
    `Scaled ${how} replica set ${rs.metadata.name} from ${from} to ${size}`,
  );
  return { scaled: true, rs: updated };
}

/** scaleReplicaSetAndRecordEvent: nothing to do when the size is already right. */
export function scaleIfNeeded(ctx: DeploymentSyncContext, d: StoredObject, rs: StoredObject, size: number) {
  return specReplicas(rs as Json) === size ? { scaled: false, rs } : scaleReplicaSet(ctx, d, rs, size);
}

/** Deletes the oldest scaled-down ReplicaSets beyond revisionHistoryLimit (cleanupDeployment). */
export function cleanupOldReplicaSets(
  ctx: DeploymentSyncContext,
  d: StoredObject,
  oldRSs: StoredObject[],
): void {
  const limit: number = (d as Json).spec?.revisionHistoryLimit ?? 10;
  const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
  const excess = cleanable.length - limit;
  if (excess <= 0) return;
  const byRevision = [...cleanable].sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
  for (const rs of byRevision.slice(0, excess)) {
    const r = rs as Json;
    if ((r.status?.replicas ?? 0) !== 0 || specReplicas(r) !== 0) continue;
    if ((rs.metadata.generation ?? 1) > (r.status?.observedGeneration ?? 0)) continue;
    ctx.store.delete(REPLICASETS, rs.metadata.namespace, rs.metadata.name);
  }
}
