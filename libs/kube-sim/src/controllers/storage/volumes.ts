// The PersistentVolume a provisioner creates for a claim and the bound claim, as the external
// provisioner (sig-storage-lib-external-provisioner) and the PV controller
// (pkg/controller/volume/persistentvolume) write them: `pvc-<claim uid>`, the claim's size and
// access modes, a claimRef, the class's reclaim policy, `pv.kubernetes.io/provisioned-by`; the
// claim gets `spec.volumeName`, the bind annotations and status Bound with capacity. And which
// existing volume a claim without a provisioner can bind to. Pure.
import { formatTime } from '../../store/meta';
import { type KubeObject, type StoredObject } from '../../types';
import { parseQuantity } from '../quota/quantity';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function provisionedVolume(claim: StoredObject, storageClass: KubeObject, now: Date): KubeObject {
  const c = claim as Json;
  const sc = storageClass as Json;
  const name = `pvc-${claim.metadata.uid}`;
  const csi = String(sc.provisioner).includes('.') && !String(sc.provisioner).startsWith('k8s.io/');
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name,
      annotations: { 'pv.kubernetes.io/provisioned-by': sc.provisioner },
    },
    spec: {
      accessModes: c.spec?.accessModes ?? ['ReadWriteOnce'],
      capacity: { storage: c.spec?.resources?.requests?.storage ?? '1Gi' },
      claimRef: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        name: claim.metadata.name,
        namespace: claim.metadata.namespace,
        resourceVersion: claim.metadata.resourceVersion,
        uid: claim.metadata.uid,
      },
      ...(csi
        ? { csi: { driver: sc.provisioner, fsType: sc.parameters?.fsType ?? 'ext4', volumeHandle: name } }
        : {
            hostPath: {
              path: `/tmp/hostpath-provisioner/${claim.metadata.namespace}/${claim.metadata.name}`,
              type: '',
            },
          }),
      ...(sc.mountOptions ? { mountOptions: sc.mountOptions } : {}),
      persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
      storageClassName: storageClass.metadata.name,
      volumeMode: c.spec?.volumeMode ?? 'Filesystem',
    },
    status: { lastPhaseTransitionTime: formatTime(now), phase: 'Bound' },
  } as KubeObject;
}

/** The claim bound to `volume`: volumeName and the PV controller's annotations. */
export function boundClaim(claim: StoredObject, volume: KubeObject, provisioner?: string): Json {
  const c = structuredClone(claim) as Json;
  c.metadata.annotations = {
    ...(c.metadata.annotations ?? {}),
    'pv.kubernetes.io/bind-completed': 'yes',
    'pv.kubernetes.io/bound-by-controller': 'yes',
    ...(provisioner
      ? {
          'volume.beta.kubernetes.io/storage-provisioner': provisioner,
          'volume.kubernetes.io/storage-provisioner': provisioner,
        }
      : {}),
  };
  c.spec.volumeName = volume.metadata.name;
  return c;
}

export function boundClaimStatus(volume: KubeObject): Json {
  const v = volume as Json;
  return { accessModes: v.spec.accessModes, capacity: { storage: v.spec.capacity.storage }, phase: 'Bound' };
}

/** The smallest Available volume of the claim's class that is big enough and has its access modes. */
export function matchingVolume(claim: KubeObject, volumes: StoredObject[]): StoredObject | undefined {
  const c = claim as Json;
  const wanted = parseQuantity(c.spec?.resources?.requests?.storage)?.nanos ?? 0n;
  const modes: string[] = c.spec?.accessModes ?? [];
  const className = c.spec?.storageClassName ?? '';
  return volumes
    .filter((v) => {
      const spec = (v as Json).spec ?? {};
      if ((v as Json).status?.phase !== 'Available' || spec.claimRef) return false;
      if ((spec.storageClassName ?? '') !== className) return false;
      if (!modes.every((m) => (spec.accessModes ?? []).includes(m))) return false;
      return (parseQuantity(spec.capacity?.storage)?.nanos ?? 0n) >= wanted;
    })
    .sort((a, b) => {
      const size = (v: StoredObject) => parseQuantity((v as Json).spec.capacity?.storage)?.nanos ?? 0n;
      return size(a) < size(b) ? -1 : size(a) > size(b) ? 1 : 0;
    })[0];
}
