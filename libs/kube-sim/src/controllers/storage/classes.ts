// StorageClasses as the API server and the PV controller read them: the default class (the
// `storageclass.kubernetes.io/is-default-class` annotation, the newest wins when several carry it),
// the DefaultStorageClass admission plugin that writes it into a claim created without
// `storageClassName`, and the class kube-sim installs in a cluster that has none: `standard`,
// minikube's hostpath provisioner, Immediate binding.
import { type AdmissionRequest, type KubeStore } from '../../store';
import { type KubeObject, type StoredObject } from '../../types';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const CLASSES = 'storageclasses.storage.k8s.io';
export const DEFAULT_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
/** Static volumes only: claims of such a class bind to existing PersistentVolumes. */
export const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

export const STANDARD_CLASS: KubeObject = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: {
    name: 'standard',
    annotations: { [DEFAULT_ANNOTATION]: 'true' },
    labels: { 'addonmanager.kubernetes.io/mode': 'EnsureExists' },
  },
  provisioner: 'k8s.io/minikube-hostpath',
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'Immediate',
} as KubeObject;

export function defaultClass(store: KubeStore): StoredObject | undefined {
  return store
    .list(CLASSES)
    .items.filter((c) => c.metadata.annotations?.[DEFAULT_ANNOTATION] === 'true')
    .sort((a, b) =>
      (a.metadata.creationTimestamp ?? '') < (b.metadata.creationTimestamp ?? '') ? 1 : -1,
    )[0];
}

/** DefaultStorageClass admission: a claim that names no class (not even "") gets the default one. */
export function defaultClaimClass(store: KubeStore, request: AdmissionRequest): void {
  const claim = request.object as Json | undefined;
  if (!claim || request.subresource) return;
  claim.spec ??= {};
  if (claim.spec.storageClassName !== undefined && claim.spec.storageClassName !== null) return;
  const name = defaultClass(store)?.metadata.name;
  if (name) claim.spec.storageClassName = name;
}

export const waitsForConsumer = (storageClass: KubeObject | undefined): boolean =>
  (storageClass as Json | undefined)?.volumeBindingMode === 'WaitForFirstConsumer';
