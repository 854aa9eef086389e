// Which object backs a file a log names: the volume mounted over the path (the longest mountPath
// that contains it) and the PersistentVolumeClaim, ConfigMap or Secret behind that volume. A full
// disk is then a full claim, a config file that fails to parse is a ConfigMap's key, a CA bundle or
// certificate is a Secret's or ConfigMap's: the object to fix, not the pod that reads it.
import { type ObjectRef } from '@foxhound/contracts';
import { type Container, type Pod } from '../snapshot';

export interface MountedObject {
  ref: ObjectRef;
  mountPath: string;
  /** The file's path inside the volume (a ConfigMap or Secret key, or a path on the claim). */
  key: string;
}

export function mountedObject(pod: Pod, c: Container, file: string): MountedObject | undefined {
  const namespace = pod.metadata.namespace ?? 'default';
  const mount = (c.volumeMounts ?? [])
    .filter((m) => file === m.mountPath || file.startsWith(`${m.mountPath.replace(/\/$/, '')}/`))
    .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
  const volume = mount && pod.spec.volumes?.find((v) => v.name === mount.name);
  if (!mount || !volume) return undefined;
  const ref: ObjectRef | undefined = volume.persistentVolumeClaim
    ? { kind: 'PersistentVolumeClaim', name: volume.persistentVolumeClaim.claimName, namespace }
    : volume.configMap
      ? { kind: 'ConfigMap', name: volume.configMap.name, namespace }
      : volume.secret
        ? { kind: 'Secret', name: volume.secret.secretName, namespace }
        : undefined;
  if (!ref) return undefined;
  return { ref, mountPath: mount.mountPath, key: file.slice(mount.mountPath.replace(/\/$/, '').length + 1) };
}
