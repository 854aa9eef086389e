// Object references: building them from objects, comparing them, and keying maps by them.
import { type ObjectRef } from '@foxhound/contracts';
import { type KubeObject } from '../snapshot';

export function refOf(kind: string, obj: KubeObject): ObjectRef {
  const ref: ObjectRef = { kind, name: obj.metadata.name };
  if (obj.metadata.namespace) ref.namespace = obj.metadata.namespace;
  return ref;
}

export function ref(kind: string, name: string, namespace?: string): ObjectRef {
  return namespace ? { kind, name, namespace } : { kind, name };
}

/** `Kind/namespace/name` (namespace empty for cluster-scoped objects). */
export function refKey(r: ObjectRef): string {
  return `${r.kind}/${r.namespace ?? ''}/${r.name}`;
}

/** `Deployment shop/web`, `Node worker-1`: how messages name objects. */
export function describeRef(r: ObjectRef): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}
