// Watch registration over the store's change feed: replay from a resourceVersion (410 Gone when
// the history no longer reaches back), or start with synthetic ADDED events for the current state,
// then follow live changes. Label and field selectors turn a MODIFIED that enters or leaves the
// selection into ADDED or DELETED, as the real watch cache does.
import { type ResourceType } from '../api/resources';
import { errors } from '../api/status';
import { fromStorage } from '../api/views';
import { type KubeObject, type StoredObject } from '../types';
import { type HistoryEvent } from './history';
import { listBucket, selection, selects, type ListOptions } from './list';
import { type ObjectStore } from './object-store';

export interface WatchOptions extends Omit<ListOptions, 'limit' | 'continue'> {
  /** Resume after this version; unset or "0" starts with the current objects as ADDED. */
  resourceVersion?: string;
  /** With a resourceVersion, still send the current objects first, then an initial-events-end BOOKMARK. */
  sendInitialEvents?: boolean;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
  object: KubeObject;
}

export interface StoreWatch {
  stop(): void;
  /** The version every event sent so far is consistent with (what a BOOKMARK carries). */
  readonly resourceVersion: number;
}

export function bookmark(r: ResourceType, resourceVersion: number, initialEventsEnd = false): KubeObject {
  const metadata: KubeObject['metadata'] = { resourceVersion: String(resourceVersion) };
  if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
  return { kind: r.kind, apiVersion: r.group ? `${r.group}/${r.version}` : r.version, metadata };
}

function parseVersion(text: string | undefined): number | undefined {
  if (text === undefined || text === '' || text === '0') return undefined;
  if (!/^\d+$/.test(text)) throw errors.badRequest(`invalid resource version: ${text}`);
  return Number(text);
}

export function watchStore(
  store: ObjectStore,
  r: ResourceType,
  options: WatchOptions,
  onEvent: (event: WatchEvent) => void,
): StoreWatch {
  const bucket = store.bucket(r);
  const s = selection(r, options);
  const from = parseVersion(options.resourceVersion);
  const initial = from === undefined || options.sendInitialEvents === true;
  const replay = initial || from === undefined ? [] : bucket.history.since(from);
  let delivered = from ?? store.resourceVersion;

  const translate = (e: HistoryEvent): WatchEvent | undefined => {
    const now = selects(s, e.object);
    if (e.type !== 'MODIFIED') return now ? { type: e.type, object: fromStorage(r, e.object) } : undefined;
    const before = e.oldObject !== undefined && selects(s, e.oldObject);
    if (now) return { type: before ? 'MODIFIED' : 'ADDED', object: fromStorage(r, e.object) };
    return before ? { type: 'DELETED', object: fromStorage(r, e.object) } : undefined;
  };
  const deliver = (e: HistoryEvent) => {
    if (e.resourceVersion <= delivered) return;
    delivered = e.resourceVersion;
    const out = translate(e);
    if (out) onEvent(out);
  };

  if (initial) {
    const current = listBucket(r, bucket, store.resourceVersion, options).items as StoredObject[];
    for (const object of current) onEvent({ type: 'ADDED', object });
    delivered = store.resourceVersion;
    if (options.sendInitialEvents) onEvent({ type: 'BOOKMARK', object: bookmark(r, delivered, true) });
  } else {
    for (const e of replay) deliver(e);
  }
  const unsubscribe = store.subscribe((e) => {
    if (e.resource === bucket.resource) deliver(e);
  });
  return {
    stop: unsubscribe,
    get resourceVersion() {
      return Math.max(delivered, store.resourceVersion);
    },
  };
}
