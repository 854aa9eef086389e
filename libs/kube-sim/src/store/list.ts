// List with label and field selectors and limit/continue pagination, in etcd key order
// (namespace, then name). Continue tokens carry the last key returned; the next page starts after it.
import { type ResourceType } from '../api/resources';
import { errors } from '../api/status';
import { fromStorage } from '../api/views';
import { matchesFields, parseFieldSelector, pinnedName, type FieldSelector } from '../selectors/fields';
import { matchesLabels, parseLabelSelector, type LabelSelector } from '../selectors/labels';
import { type StoredObject } from '../types';
import { objectKey, type Bucket } from './storage';

export interface ListOptions {
  namespace?: string;
  labelSelector?: string | LabelSelector;
  fieldSelector?: string | FieldSelector;
  limit?: number;
  continue?: string;
}

export interface ListResult {
  items: StoredObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface Selection {
  namespace?: string;
  labels: LabelSelector;
  fields: FieldSelector;
}

export function selection(r: ResourceType, options: ListOptions): Selection {
  return {
    namespace: r.namespaced ? options.namespace || undefined : undefined,
    labels:
      typeof options.labelSelector === 'string' || options.labelSelector === undefined
        ? parseLabelSelector(options.labelSelector)
        : options.labelSelector,
    fields:
      typeof options.fieldSelector === 'string' || options.fieldSelector === undefined
        ? parseFieldSelector(options.fieldSelector, r)
        : options.fieldSelector,
  };
}

/** Whether a stored object (storage shape) is inside a selection. */
export function selects(s: Selection, o: StoredObject): boolean {
  if (s.namespace !== undefined && o.metadata.namespace !== s.namespace) return false;
  return matchesLabels(s.labels, o.metadata.labels) && matchesFields(s.fields, o);
}

interface ContinueToken {
  rv: number;
  start: string;
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeContinue(text: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as ContinueToken;
    if (typeof t.rv === 'number' && typeof t.start === 'string') return t;
  } catch {
    // fall through to the 400 below
  }
  throw errors.badRequest(
    'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
  );
}

function sortedKeys(bucket: Bucket, namespace: string | undefined): string[] {
  if (namespace !== undefined) {
    return [...(bucket.byNamespace.get(namespace)?.keys() ?? [])].sort().map((n) => objectKey(namespace, n));
  }
  bucket.sortedKeys ??= [...bucket.items.keys()].sort();
  return bucket.sortedKeys;
}

/** Index of the first key greater than `after` (binary search over sorted keys). */
function firstAfter(keys: string[], after: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function listBucket(
  r: ResourceType,
  bucket: Bucket,
  revision: number,
  options: ListOptions,
): ListResult {
  const s = selection(r, options);
  const resourceVersion = String(revision);
  const name = pinnedName(s.fields);
  if (name !== undefined && !options.continue) {
    const hit = bucket.items.get(objectKey(s.namespace, name));
    const items = hit && (s.namespace !== undefined || !r.namespaced) && selects(s, hit) ? [hit] : [];
    // Without a namespace the name alone does not identify one object: fall back to the scan.
    if (s.namespace !== undefined || !r.namespaced)
      return { items: items.map((o) => fromStorage(r, o)), resourceVersion };
  }
  const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
  const keys = sortedKeys(bucket, s.namespace);
  let i = options.continue ? firstAfter(keys, decodeContinue(options.continue).start) : 0;
  const items: StoredObject[] = [];
  const unfiltered = s.labels.length === 0 && s.fields.length === 0;
  for (; i < keys.length && items.length < limit; i++) {
    const o = bucket.items.get(keys[i]);
    if (o && (unfiltered || selects(s, o))) items.push(fromStorage(r, o));
  }
  const result: ListResult = { items, resourceVersion };
  if (items.length === limit) {
    let more = false;
    for (let j = i; j < keys.length && !more; j++) {
      const o = bucket.items.get(keys[j]);
      more = o !== undefined && (unfiltered || selects(s, o));
    }
    if (more) {
      const last = items[items.length - 1].metadata;
      result.continue = encodeContinue({ rv: revision, start: objectKey(last.namespace, last.name) });
      if (unfiltered) result.remainingItemCount = keys.length - i;
    }
  }
  return result;
}
