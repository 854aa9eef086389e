// Controller ownership, as every simulated controller records and reads it: the controller
// ownerReference an owner puts on what it creates, and who controls an object.
import { type OwnerReference, type StoredObject } from '../types';

export function controllerRef(owner: StoredObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function controllerOf(object: {
  metadata: { ownerReferences?: OwnerReference[] };
}): OwnerReference | undefined {
  return object.metadata.ownerReferences?.find((ref) => ref.controller === true);
}

export function isControlledBy(
  object: { metadata: { ownerReferences?: OwnerReference[] } },
  owner: StoredObject,
): boolean {
  return controllerOf(object)?.uid === owner.metadata.uid;
}
