// The endpoints and EndpointSlice controllers as one kube-sim Controller: a Service with a
// selector gets its Endpoints (endpoints.ts) and EndpointSlices (slices.ts), recomputed whenever
// the Service or a pod it selects (before or after the change) changes through the API, from
// one work queue keyed by `namespace/service`. Deleting the Service deletes its Endpoints; its
// slices go with it by ownerReference. A Service without a selector is left alone, as both real
// controllers do (its Endpoints are the user's). Objects loaded from a scenario stay as captured
// until something they depend on changes through the API (see ../api-writes.ts).
import { formatTime } from '../../store/meta';
import { type KubeStore, type StoreEvent } from '../../store';
import { type KubeObject, type StoredObject } from '../../types';
import { ApiWriteTracker } from '../api-writes';
import { type Controller } from '../controller';
import { WorkQueue } from '../work-queue';
import { canonicalJson } from '../workloads/objects';
import { selects, serviceSelector } from './backends';
import { endpointsFor } from './endpoints';
import {
  MANAGED_BY,
  MANAGED_BY_LABEL,
  SERVICE_NAME_LABEL,
  sliceContents,
  sliceObject,
  type SliceContent,
} from './slices';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface EndpointsControllerOptions {
  onError?: (error: unknown, key: string) => void;
}

const ZONE_LABEL = 'topology.kubernetes.io/zone';
const SLICES = 'endpointslices.discovery.k8s.io';

function syncEndpoints(store: KubeStore, service: StoredObject, pods: KubeObject[], now: string): void {
  const { namespace, name } = service.metadata;
  const desired = endpointsFor(service, pods, now);
  const existing = store.find('endpoints', namespace, name);
  if (!existing) {
    store.create('endpoints', desired);
    return;
  }
  const same =
    canonicalJson((existing as Json).subsets ?? []) === canonicalJson((desired as Json).subsets ?? []) &&
    canonicalJson(existing.metadata.labels ?? {}) === canonicalJson(desired.metadata.labels);
  if (same) return;
  const next: Json = {
    ...existing,
    metadata: {
      ...existing.metadata,
      labels: desired.metadata.labels,
      annotations: { ...(existing.metadata.annotations ?? {}), ...desired.metadata.annotations },
    },
  };
  if ((desired as Json).subsets) next.subsets = (desired as Json).subsets;
  else delete next.subsets;
  store.update('endpoints', next as KubeObject);
}

const contentOf = (slice: KubeObject): SliceContent => ({
  ports: (slice as Json).ports ?? null,
  endpoints: (slice as Json).endpoints ?? null,
});

function syncSlices(store: KubeStore, service: StoredObject, pods: KubeObject[], now: string): void {
  const { namespace, name } = service.metadata;
  const zoneOf = (node: string) => store.find('nodes', undefined, node)?.metadata.labels?.[ZONE_LABEL];
  const wanted = sliceContents(service, pods, zoneOf);
  const existing = store
    .list(SLICES, { namespace, labelSelector: `${SERVICE_NAME_LABEL}=${name}` })
    .items.filter((s) => s.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY);
  // Slices already holding exactly what is wanted stay untouched; the others are rewritten in
  // place before any is created or deleted, so a watcher sees as few changes as possible.
  const unchanged = new Set<StoredObject>();
  const todo: SliceContent[] = [];
  for (const content of wanted) {
    const key = canonicalJson(content);
    const match = existing.find((s) => !unchanged.has(s) && canonicalJson(contentOf(s)) === key);
    if (match) unchanged.add(match);
    else todo.push(content);
  }
  const reusable = existing.filter((s) => !unchanged.has(s));
  for (const content of todo) {
    const fresh = sliceObject(service, content, now);
    const old = reusable.shift();
    if (!old) {
      store.create(SLICES, fresh);
      continue;
    }
    store.update(SLICES, {
      ...old,
      metadata: {
        ...old.metadata,
        labels: fresh.metadata.labels,
        annotations: { ...(old.metadata.annotations ?? {}), ...fresh.metadata.annotations },
      },
      endpoints: content.endpoints,
      ports: content.ports,
    } as KubeObject);
  }
  for (const extra of reusable) store.delete(SLICES, namespace, extra.metadata.name);
}

function sync(store: KubeStore, namespace: string, name: string): void {
  const service = store.find('services', namespace, name);
  if (!service || service.metadata.deletionTimestamp) {
    if (store.find('endpoints', namespace, name)) store.delete('endpoints', namespace, name);
    return;
  }
  if (!serviceSelector(service)) return;
  const pods = store.list('pods', { namespace }).items;
  const now = formatTime(store.now());
  syncEndpoints(store, service, pods, now);
  syncSlices(store, service, pods, now);
}

/** `namespace/name` of every service in the pod's namespace that selects it before or after the change. */
function servicesOf(store: KubeStore, e: StoreEvent): string[] {
  const namespace = e.object.metadata.namespace;
  return store
    .list('services', { namespace })
    .items.filter((s) => selects(s, e.object.metadata.labels) || selects(s, e.oldObject?.metadata.labels))
    .map((s) => `${namespace}/${s.metadata.name}`);
}

export function endpointsController(options: EndpointsControllerOptions = {}): Controller {
  const tracker = new ApiWriteTracker();
  let queue: WorkQueue | undefined;
  let unsubscribe: (() => void) | undefined;
  return {
    name: 'endpoints-controller',
    start({ store }) {
      tracker.attach(store);
      const q = (queue = new WorkQueue({
        name: 'endpoints-controller',
        onError: options.onError,
        reconcile: (key) => {
          const slash = key.indexOf('/');
          sync(store, key.slice(0, slash), key.slice(slash + 1));
        },
      }));
      unsubscribe = store.subscribe((e) => {
        if (e.resource.group !== '' || !tracker.isApiChange(e)) return;
        const { namespace, name } = e.object.metadata;
        if (e.resource.plural === 'services') q.add(`${namespace}/${name}`);
        if (e.resource.plural === 'pods') for (const key of servicesOf(store, e)) q.add(key);
      });
    },
    stop() {
      unsubscribe?.();
      queue?.stop();
      tracker.stop();
    },
  };
}
