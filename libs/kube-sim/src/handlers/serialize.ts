// JSON for stored objects, cached per (frozen, immutable) object so a list of 10,000 pods is a
// string join rather than 10,000 fresh serializations.
import { apiVersionOf, type ResourceType } from '../api/resources';
import { type KubeObject } from '../types';

const cache = new WeakMap<object, string>();

export function objectJson(o: KubeObject): string {
  if (!Object.isFrozen(o)) return JSON.stringify(o);
  let json = cache.get(o);
  if (json === undefined) {
    json = JSON.stringify(o);
    cache.set(o, json);
  }
  return json;
}

const lines: Record<string, WeakMap<object, string>> = {
  ADDED: new WeakMap(),
  MODIFIED: new WeakMap(),
  DELETED: new WeakMap(),
};

/** One watch event line; every watcher of the same change shares the string. */
export function watchLine(type: string, o: KubeObject): string {
  const cache = lines[type];
  let line = cache && Object.isFrozen(o) ? cache.get(o) : undefined;
  if (line === undefined) {
    line = `{"type":"${type}","object":${objectJson(o)}}\n`;
    if (cache && Object.isFrozen(o)) cache.set(o, line);
  }
  return line;
}

export interface ListMeta {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export function listJson(r: ResourceType, items: KubeObject[], meta: ListMeta): string {
  const head = JSON.stringify({ kind: `${r.kind}List`, apiVersion: apiVersionOf(r), metadata: meta });
  return `${head.slice(0, -1)},"items":[${items.map(objectJson).join(',')}]}`;
}
