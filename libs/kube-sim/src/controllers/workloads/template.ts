// Pod templates as the Deployment controller compares and names them. The `pod-template-hash` is
// computed like controller.ComputeHash: FNV-32a over the template (here its canonical JSON, plus
// the collision count), printed in decimal and mapped through apimachinery's SafeEncodeString, so
// names look like the real `web-7d9f8b6c5`. Equality ignores that label (EqualIgnoreHash) and is
// taken after defaulting, because a template written by update or patch is not re-defaulted here.
import { applyCreateDefaults } from '../../api/defaults';
import { type ResourceType } from '../../api/resources';
import { canonicalJson } from './objects';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const POD_TEMPLATE_HASH = 'pod-template-hash';
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const REPLICASETS = { group: 'apps', plural: 'replicasets' } as ResourceType;

function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The template as stored on a ReplicaSet, minus the hash label and null timestamps. */
export function normalizeTemplate(template: unknown): Json {
  const t: Json = structuredClone((template ?? {}) as Json);
  t.metadata ??= {};
  if (t.metadata.creationTimestamp === null) delete t.metadata.creationTimestamp;
  if (t.metadata.labels) {
    delete t.metadata.labels[POD_TEMPLATE_HASH];
    if (!Object.keys(t.metadata.labels).length) delete t.metadata.labels;
  }
  if (!Object.keys(t.metadata).length) delete t.metadata;
  const holder = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: {}, spec: { template: t } };
  applyCreateDefaults(REPLICASETS, holder, { allocateClusterIP: () => '' });
  return holder.spec.template;
}

export function templatesEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(normalizeTemplate(a)) === canonicalJson(normalizeTemplate(b));
}

export function podTemplateHash(template: unknown, collisionCount = 0): string {
  const hash = fnv32a(
    canonicalJson(normalizeTemplate(template)) + (collisionCount ? `#${collisionCount}` : ''),
  );
  return [...String(hash)].map((c) => SAFE_ALPHABET[c.charCodeAt(0) % SAFE_ALPHABET.length]).join('');
}
