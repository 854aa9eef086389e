// Rewriting a scenario's text consistently: one replacement applied to every string value of every
// object, log (its path included), metric label and the manifest (question, expectations, follow-ups).
// Keys are left alone, so a rewrite can never change an object's shape.
import { type ScenarioContent } from '@foxhound/kube-sim';

export type Rewrite = (text: string) => string;

/** Values that name the API, not an object: `discovery.k8s.io/v1` stays when a namespace is `discovery`. */
const API_KEYS = new Set(['apiVersion', 'kind']);

function walk<T>(value: T, rewrite: Rewrite): T {
  if (typeof value === 'string') return rewrite(value) as T;
  if (Array.isArray(value)) return value.map((v) => walk(v, rewrite) as unknown) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = API_KEYS.has(k) ? v : walk(v, rewrite);
    return out as T;
  }
  return value;
}

export function rewriteContent(content: ScenarioContent, rewrite: Rewrite): ScenarioContent {
  return {
    ...content,
    manifest: walk(content.manifest, rewrite),
    objects: content.objects.map((o) => ({ object: walk(o.object, rewrite), file: o.file })),
    logs: content.logs.map((l) => walk(l, rewrite)),
    metrics: walk(content.metrics, rewrite),
  };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Replaces whole names (not parts of longer words: `cart` is replaced in `cart-7d9f4` and
 * `http://cart:8080`, not in `cartography`), longest first so `orders-db` wins over `orders`,
 * case-insensitively so a log's `Redis` follows the object `redis`.
 */
export function replaceNames(map: ReadonlyMap<string, string>): Rewrite {
  if (map.size === 0) return (t) => t;
  const names = [...map.keys()].sort((a, b) => b.length - a.length);
  const lower = new Map([...map].map(([k, v]) => [k.toLowerCase(), v]));
  const pattern = new RegExp(`(?<![A-Za-z0-9_])(?:${names.map(escape).join('|')})(?![A-Za-z0-9_])`, 'gi');
  return (text) => text.replace(pattern, (m) => lower.get(m.toLowerCase()) ?? m);
}

/** Every string of the content, to check that a new name or address is not taken. */
export function allText(content: ScenarioContent): string {
  return JSON.stringify([content.manifest, content.objects, content.logs, content.metrics]);
}
