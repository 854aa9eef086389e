// Missing configuration references: a ConfigMap, Secret, key or claim that a pod names and the
// cluster does not have, parsed from the kubelet's CreateContainerConfigError and FailedMount
// messages and checked against the snapshot, with the closest existing name as a hint.
import { type Lookup } from '../lookup';
import { editDistance } from './images';

export interface MissingReference {
  kind: 'ConfigMap' | 'Secret' | 'PersistentVolumeClaim';
  name: string;
  /** The missing key, when the object exists but lacks it. */
  key?: string;
  /** True when the object itself is in the snapshot (only the key is missing). */
  objectExists: boolean;
  /** An existing object (or key) with a close name. */
  closest?: string;
}

const KINDS: Record<string, MissingReference['kind']> = {
  configmap: 'ConfigMap',
  secret: 'Secret',
  persistentvolumeclaim: 'PersistentVolumeClaim',
};

function closest(names: string[], wanted: string): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of names) {
    const d = editDistance(wanted, name, 8);
    if (d > 0 && d <= Math.max(2, Math.floor(wanted.length / 3)) && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

/** Parses `configmap "x" not found`, `couldn't find key K in Secret ns/x` and the FailedMount forms. */
export function parseMissingReference(
  l: Lookup,
  namespace: string,
  message: string,
): MissingReference | undefined {
  const key = /couldn't find key (\S+) in (ConfigMap|Secret) (?:([\w.-]+)\/)?([\w.-]+)/.exec(message);
  if (key) {
    const kind = key[2] as 'ConfigMap' | 'Secret';
    const name = key[4];
    const obj = kind === 'ConfigMap' ? l.get('configMaps', namespace, name) : undefined;
    const keys = obj?.data ? Object.keys(obj.data) : [];
    const ref: MissingReference = { kind, name, key: key[1], objectExists: true };
    const hint = closest(keys, key[1]);
    if (hint) ref.closest = hint;
    return ref;
  }
  const missing = /(configmap|secret|persistentvolumeclaim)s? "([\w.-]+)" not found/i.exec(message);
  if (!missing) return undefined;
  const kind = KINDS[missing[1].toLowerCase()];
  const name = missing[2];
  const list =
    kind === 'ConfigMap'
      ? l.list('configMaps')
      : kind === 'Secret'
        ? l.list('secrets')
        : l.list('persistentVolumeClaims');
  const names = list.filter((o) => o.metadata.namespace === namespace).map((o) => o.metadata.name);
  const ref: MissingReference = { kind, name, objectExists: names.includes(name) };
  const hint = closest(names, name);
  if (hint) ref.closest = hint;
  return ref;
}

export function describeMissing(ref: MissingReference, namespace: string): string {
  const hint = ref.closest ? ` (a ${ref.key ? 'key' : ref.kind} named ${ref.closest} exists)` : '';
  return ref.key
    ? `key ${ref.key} does not exist in ${ref.kind} ${namespace}/${ref.name}${hint}`
    : `${ref.kind} ${namespace}/${ref.name} does not exist${hint}`;
}
