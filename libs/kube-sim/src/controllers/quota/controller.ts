// The quota side of the control plane as one Controller: LimitRanger (defaults, then bounds) and
// ResourceQuota admission on every create, and the resource-quota controller keeping each
// quota's `status.hard` and `status.used` current as objects in its namespace change through the API. Quotas loaded from a
// scenario keep their captured status until something in their namespace changes.
import { type ResourceType } from '../../api/resources';
import { type KubeStore, type StoreEvent } from '../../store';
import { type KubeObject } from '../../types';
import { ApiWriteTracker } from '../api-writes';
import { type Controller } from '../controller';
import { WorkQueue } from '../work-queue';
import { checkQuotas } from './admission';
import { checkLimitRanges } from './limit-range-bounds';
import { applyLimitRanges } from './limit-ranger';
import { formatQuantity, formatResourceList, parseResourceList } from './quantity';
import { namespaceUsage, objectUsage } from './usage';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface QuotaControllerOptions {
  onError?: (error: unknown, key: string) => void;
}

/** Writes `status.hard` (spec.hard, canonical) and `status.used` of every quota in a namespace. */
function syncNamespace(store: KubeStore, namespace: string): void {
  for (const quota of store.list('resourcequotas', { namespace }).items) {
    const hard = parseResourceList((quota as Json).spec?.hard);
    const used = namespaceUsage(store, namespace, quota, [...hard.keys()]);
    const previous: Json = (quota as Json).status ?? {};
    const status = {
      hard: Object.fromEntries([...hard].map(([k, v]) => [k, formatQuantity(v)])),
      // Keys no evaluator knows keep what they said.
      used: { ...pick(previous.used ?? {}, [...hard.keys()]), ...formatResourceList(used) },
    };
    if (JSON.stringify(sortKeys(status)) === JSON.stringify(sortKeys(previous))) continue;
    store.update('resourcequotas', { ...quota, status } as KubeObject, { subresource: 'status' });
  }
}

function pick(o: Json, keys: string[]): Json {
  return Object.fromEntries(Object.entries(o).filter(([k]) => keys.includes(k)));
}

function sortKeys(status: Json): Json {
  const sorted = (m: Json | undefined) =>
    Object.fromEntries(Object.entries(m ?? {}).sort(([a], [b]) => a.localeCompare(b)));
  return { hard: sorted(status.hard), used: sorted(status.used) };
}

/** Whether a change can move any quota's usage: created or deleted objects, pods changing phase. */
function affectsUsage(event: StoreEvent): boolean {
  const r: ResourceType = event.resource;
  if (r.group === '' && r.plural === 'resourcequotas') {
    return (
      event.type !== 'DELETED' &&
      JSON.stringify((event.object as Json).spec) !==
        JSON.stringify((event.oldObject as Json | undefined)?.spec)
    );
  }
  if (event.type !== 'MODIFIED') return true;
  const before = event.oldObject ? objectUsage(r, event.oldObject) : new Map();
  const after = objectUsage(r, event.object);
  return JSON.stringify(formatResourceList(before)) !== JSON.stringify(formatResourceList(after));
}

export function quotaController(options: QuotaControllerOptions = {}): Controller {
  const tracker = new ApiWriteTracker();
  const cleanups: (() => void)[] = [];
  let queue: WorkQueue | undefined;
  return {
    name: 'resourcequota-controller',
    start({ store }) {
      tracker.attach(store);
      queue = new WorkQueue({
        name: 'resourcequota-controller',
        reconcile: (namespace) => syncNamespace(store, namespace),
        onError: options.onError,
      });
      const q = queue;
      cleanups.push(
        store.addAdmissionHook({
          name: 'LimitRanger',
          resources: ['pods'],
          operations: ['CREATE'],
          mutate: (request) => applyLimitRanges(store, request),
          validate: (request) => checkLimitRanges(store, request),
        }),
        store.addAdmissionHook({
          name: 'ResourceQuota',
          operations: ['CREATE'],
          validate: (request) => checkQuotas(store, request),
        }),
        store.subscribe((event) => {
          const namespace = event.object.metadata.namespace;
          if (!namespace || !event.resource.namespaced || !tracker.isApiChange(event)) return;
          if (event.resource.group === '' && event.resource.plural === 'events') return;
          if (!affectsUsage(event)) return;
          if (store.list('resourcequotas', { namespace, limit: 1 }).items.length) q.add(namespace);
        }),
      );
    },
    stop() {
      for (const c of cleanups.splice(0)) c();
      queue?.stop();
      tracker.stop();
    },
  };
}
