// A pod made from a workload's pod template, as every pod-creating controller makes it
// (controller.GetPodFromTemplate): the template's labels, annotations, finalizers and spec, a
// controller ownerReference to the owner, and the name or generateName the controller chooses.
import { type KubeObject, type StoredObject } from '../types';
import { controllerRef } from './owners';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface PodIdentity {
  /** A fixed name (StatefulSet `web-0`); otherwise `generateName`. */
  name?: string;
  generateName?: string;
  /** Added to the template's labels and annotations. */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Added to the template's finalizers (the Job controller's tracking finalizer). */
  finalizers?: string[];
}

export function podFromTemplate(
  owner: StoredObject,
  template: Json | undefined,
  id: PodIdentity,
): KubeObject {
  const meta: Json = template?.metadata ?? {};
  const labels = { ...(meta.labels ?? {}), ...(id.labels ?? {}) };
  const annotations = { ...(meta.annotations ?? {}), ...(id.annotations ?? {}) };
  const finalizers = [...(meta.finalizers ?? []), ...(id.finalizers ?? [])];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(id.name ? { name: id.name } : { generateName: id.generateName ?? `${owner.metadata.name}-` }),
      namespace: owner.metadata.namespace,
      ...(Object.keys(labels).length ? { labels } : {}),
      ...(Object.keys(annotations).length ? { annotations } : {}),
      ...(finalizers.length ? { finalizers } : {}),
      ownerReferences: [controllerRef(owner)],
    },
    spec: structuredClone(template?.spec ?? {}),
  };
}
