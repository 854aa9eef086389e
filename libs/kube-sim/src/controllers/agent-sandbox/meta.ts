// Shared pieces of the agent-sandbox controller simulation: resource names in the store, the
// controller's FNV-1a name hash, conditions that keep their transition time,
// and a structural comparison so a reconcile that changes nothing writes nothing.
import { type Condition } from '@foxhound/contracts';

export const SANDBOXES = 'sandboxes.agents.x-k8s.io';
export const CLAIMS = 'sandboxclaims.extensions.agents.x-k8s.io';
export const WARM_POOLS = 'sandboxwarmpools.extensions.agents.x-k8s.io';
export const TEMPLATES = 'sandboxtemplates.extensions.agents.x-k8s.io';
export const PODS = 'pods';
export const SERVICES = 'services';

/** Label and annotation prefixes the controller owns; dropped from user-supplied pod metadata. */
export const SYSTEM_PREFIXES = ['agents.x-k8s.io/', 'extensions.agents.x-k8s.io/'];

/** FNV-1a 32-bit of `value` as 8 hex digits: the controller's name hash (`NameHash` in the Go code). */
export function fnv32a(value: string): string {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(value, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** `metadata` labels or annotations without the controller's own prefixes. */
export function withoutSystemKeys(map: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(map ?? {}).filter(([key]) => !SYSTEM_PREFIXES.some((prefix) => key.startsWith(prefix))),
  );
}

/** A condition that keeps its lastTransitionTime unless its status changed. */
export function condition(
  previous: Condition[] | undefined,
  next: { type: string; status: 'True' | 'False' | 'Unknown'; reason: string; message: string },
  now: string,
  observedGeneration?: number,
): Condition {
  const old = previous?.find((c) => c.type === next.type);
  const lastTransitionTime =
    old && old.status === next.status && old.lastTransitionTime ? old.lastTransitionTime : now;
  return { ...next, lastTransitionTime, ...(observedGeneration !== undefined ? { observedGeneration } : {}) };
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bKeys = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export function parseTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** A mutable deep copy of a frozen stored object. */
export function clone<T>(object: T): T {
  return structuredClone(object);
}
