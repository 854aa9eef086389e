// events.k8s.io/v1 Event and core v1 Event are one object in two shapes (one storage, like the
// real server). The store keeps the core shape; these functions convert at the boundary.
import { type KubeObject } from '../types';
import { type ResourceType } from './resources';

type Json = Record<string, unknown>;

function compact(o: Json): Json {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

function coreToEventsV1(e: Json): KubeObject {
  return compact({
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: e.metadata,
    eventTime: e.eventTime ?? null,
    series: e.series,
    reportingController: e.reportingComponent ?? (e.source as Json | undefined)?.component,
    reportingInstance: e.reportingInstance ?? (e.source as Json | undefined)?.host,
    action: e.action,
    reason: e.reason,
    regarding: e.involvedObject,
    related: e.related,
    note: e.message,
    type: e.type,
    deprecatedSource: e.source,
    deprecatedFirstTimestamp: e.firstTimestamp,
    deprecatedLastTimestamp: e.lastTimestamp,
    deprecatedCount: e.count,
  }) as KubeObject;
}

function eventsV1ToCore(e: Json): KubeObject {
  return compact({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: e.metadata,
    involvedObject: e.regarding ?? {},
    reason: e.reason,
    message: e.note,
    source: e.deprecatedSource ?? (e.reportingController ? { component: e.reportingController } : undefined),
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
    count: e.deprecatedCount,
    type: e.type,
    eventTime: e.eventTime,
    series: e.series,
    action: e.action,
    related: e.related,
    reportingComponent: e.reportingController ?? '',
    reportingInstance: e.reportingInstance ?? '',
  }) as KubeObject;
}

/** The stored (core) shape of an object written through `r`. */
export function toStorage(r: ResourceType, o: KubeObject): KubeObject {
  return r.storedAs && r.group === 'events.k8s.io' ? eventsV1ToCore(o as Json) : o;
}

/** The shape clients of `r` see. */
export function fromStorage<T extends KubeObject>(r: ResourceType, o: T): T {
  return (r.storedAs && r.group === 'events.k8s.io' ? coreToEventsV1(o as Json) : o) as T;
}
