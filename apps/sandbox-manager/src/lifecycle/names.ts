// Maps user-chosen thread ids and owners to names and label values Kubernetes accepts. Thread ids
// are validated upstream (contracts' ThreadIdSchema); this file guarantees the output shape for any
// input, so a hostile id can never become an odd object name.
import { createHash } from 'node:crypto';

/** Label and annotation keys the manager writes on the objects it owns (the cluster is its state). */
export const ManagerKeys = {
  /** L: selects everything this manager owns. */
  managedBy: 'app.kubernetes.io/managed-by',
  /** L: sha256 of the thread id (label values are limited to 63 characters and a charset). */
  threadHash: 'foxhound.dev/thread-hash',
  /** L: sha256 of the owner, for per-owner counts. */
  ownerHash: 'foxhound.dev/owner-hash',
  /** A: the raw thread id. */
  threadId: 'foxhound.dev/thread-id',
  /** A: the raw owner. */
  owner: 'foxhound.dev/owner',
  /** A: the TTL the thread asked for, reused when a follow-up renews without one. */
  ttlSeconds: 'foxhound.dev/ttl-seconds',
} as const;

export const MANAGED_BY_VALUE = 'foxhound-sandbox-manager';
const NAME_PREFIX = 'fh';
const MAX_READABLE_PART = 40;
const NAME_HASH_HEX = 12;

function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** A label value that stands for `value`: 32 hex characters of its sha256. */
export function labelHash(value: string): string {
  return sha256Hex(value).slice(0, 32);
}

/**
 * The object name for a thread's sandbox: `fh-<readable part>-<12 hex of sha256(threadId)>`, always
 * an RFC 1123 label of at most 63 characters. The readable part helps `kubectl get` at 3 a.m.; the
 * hash keeps ids that sanitise alike (`A_b`, `a-b`) apart. Callers still compare the raw thread id
 * annotation before reusing an object, so even a hash collision cannot hand one thread another's.
 */
export function sandboxNameForThread(threadId: string): string {
  const readable = threadId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_READABLE_PART)
    .replace(/^-+|-+$/g, '');
  const hash = sha256Hex(threadId).slice(0, NAME_HASH_HEX);
  return readable.length > 0 ? `${NAME_PREFIX}-${readable}-${hash}` : `${NAME_PREFIX}-${hash}`;
}

/** Label selector for everything this manager owns. */
export const MANAGED_SELECTOR = `${ManagerKeys.managedBy}=${MANAGED_BY_VALUE}`;
