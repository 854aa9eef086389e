// The shapes kube-sim stores and serves. Objects stay plain JSON (as a real API server returns them);
// only the metadata fields the server itself reads or writes are typed.

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** A stored object: always carries a name, a uid and a resourceVersion. */
export type StoredObject = KubeObject & {
  metadata: ObjectMeta & { name: string; uid: string; resourceVersion: string };
};

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** The authenticated caller of a request, as TokenReview would report it. */
export interface UserInfo {
  username: string;
  groups: string[];
}
