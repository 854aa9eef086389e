// Exact inverses: the pre-image an action captures from its target before changing it, the object
// a restore writes back (the live object with the pre-image's labels, annotations and spec or data
// in place, or the whole object re-created when the action deleted it), and whether a live object
// equals a pre-image. Pure; the agent captures, the sandbox-manager restores.
import { type PreImage, type RestorableKind } from './actions';
import { canonical, type EditableObject } from './object-edits';

/**
 * Fields the API server and controllers own, left as they are live when a pre-image is put back
 * and ignored when comparing: metadata.uid, resourceVersion, generation, creationTimestamp,
 * managedFields and status never enter a pre-image; these annotations are written by controllers.
 */
export const SERVER_MANAGED_ANNOTATIONS = ['deployment.kubernetes.io/revision'];

const API_VERSION: Record<RestorableKind, string> = {
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  Service: 'v1',
  ConfigMap: 'v1',
  ResourceQuota: 'v1',
  Role: 'rbac.authorization.k8s.io/v1',
};

const userAnnotations = (annotations: Record<string, string> | undefined) => {
  const kept = Object.entries(annotations ?? {}).filter(([k]) => !SERVER_MANAGED_ANNOTATIONS.includes(k));
  return kept.length ? Object.fromEntries(kept) : undefined;
};

/** What an action's inverse writes back: labels, annotations, and the spec (a ConfigMap: its data; a Role: its rules). */
export function preImageOf(kind: RestorableKind, object: EditableObject): PreImage {
  const { uid, resourceVersion, labels } = object.metadata;
  const annotations = userAnnotations(object.metadata.annotations);
  return {
    ...(uid ? { uid } : {}),
    ...(resourceVersion ? { resourceVersion } : {}),
    ...(labels ? { labels: { ...labels } } : {}),
    ...(annotations ? { annotations } : {}),
    body: structuredClone(bodyOf(kind, object)),
  };
}

function bodyOf(kind: RestorableKind, object: EditableObject): Record<string, unknown> {
  if (kind === 'Role') return { rules: object.rules ?? [] };
  if (kind !== 'ConfigMap') return object.spec ?? {};
  return {
    ...(object.data ? { data: object.data } : {}),
    ...(object.binaryData ? { binaryData: object.binaryData } : {}),
  };
}

/**
 * The object a restore writes: the live one with the pre-image's fields in place (its server-owned
 * annotations and resourceVersion kept, so the replace is refused if it moved again), or, when the
 * action deleted it, the pre-image as a new object.
 */
export function restoredObject(
  kind: RestorableKind,
  target: { namespace: string; name: string },
  preImage: PreImage,
  live: EditableObject | undefined,
): EditableObject {
  const base: EditableObject = live
    ? structuredClone(live)
    : { apiVersion: API_VERSION[kind], kind, metadata: { name: target.name, namespace: target.namespace } };
  const managed = Object.entries(live?.metadata.annotations ?? {}).filter(([k]) =>
    SERVER_MANAGED_ANNOTATIONS.includes(k),
  );
  const annotations = { ...preImage.annotations, ...Object.fromEntries(managed) };
  base.metadata.labels = preImage.labels ? { ...preImage.labels } : undefined;
  base.metadata.annotations = Object.keys(annotations).length ? annotations : undefined;
  if (!base.metadata.labels) delete base.metadata.labels;
  if (!base.metadata.annotations) delete base.metadata.annotations;
  const body = structuredClone(preImage.body);
  if (kind === 'ConfigMap') {
    delete base.data;
    delete base.binaryData;
    Object.assign(base, body);
  } else if (kind === 'Role') {
    base.rules = (body.rules ?? []) as EditableObject['rules'];
  } else {
    base.spec = body;
  }
  return base;
}

/** The fields of `live` that differ from the pre-image (empty: restored exactly). */
export function preImageDifferences(
  kind: RestorableKind,
  preImage: PreImage,
  live: EditableObject,
): string[] {
  const now = preImageOf(kind, live);
  const differing: string[] = [];
  if (canonical(now.labels ?? {}) !== canonical(preImage.labels ?? {})) differing.push('labels');
  if (canonical(now.annotations ?? {}) !== canonical(preImage.annotations ?? {}))
    differing.push('annotations');
  if (canonical(now.body) !== canonical(preImage.body))
    differing.push(kind === 'ConfigMap' ? 'data' : kind === 'Role' ? 'rules' : 'spec');
  return differing;
}
