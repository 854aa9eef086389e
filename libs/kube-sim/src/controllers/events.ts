// Events as the simulated components record them, in the two shapes a real cluster stores:
// controllers and the kubelet use the old recorder (`count`, `firstTimestamp`/`lastTimestamp`,
// `source`), the scheduler the events.k8s.io one (`eventTime` with microseconds, `action`,
// `series` when repeated). A repeat of the same event (same object, reason, message) bumps the
// stored one instead of adding another, like client-go's EventCorrelator.
import { formatTime } from '../store/meta';
import { type KubeStore } from '../store';
import { type KubeObject, type StoredObject } from '../types';

export type EventType = 'Normal' | 'Warning';

export interface EventSource {
  /** `replicaset-controller`, `deployment-controller`, `kubelet`, `default-scheduler`. */
  component: string;
  /** The node, for the kubelet. */
  host?: string;
  /** events.k8s.io shape (the scheduler's): eventTime, action, series. */
  style?: 'core' | 'events.k8s.io';
  /** The events.k8s.io `reportingInstance`. */
  instance?: string;
}

export interface EventOptions {
  /** `spec.containers{name}` for container events. */
  fieldPath?: string;
  /** events.k8s.io action (`Binding`, `Scheduling`). */
  action?: string;
}

/** RFC 3339 with microseconds, the precision of events.k8s.io `eventTime`. */
function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Repeats are correlated among this many recent events per recorder; older ones start afresh. */
const MAX_CORRELATED = 4096;

export class EventRecorder {
  private readonly seen = new Map<string, { namespace: string; name: string }>();
  private sequence = 0;

  constructor(
    private readonly store: KubeStore,
    private readonly source: EventSource,
    private readonly onError: (error: unknown) => void = (error) =>
      process.emitWarning(`kube-sim ${source.component}: recording an event failed: ${String(error)}`),
  ) {}

  record(
    involved: StoredObject,
    type: EventType,
    reason: string,
    message: string,
    options: EventOptions = {},
  ): void {
    try {
      this.write(involved, type, reason, message, options);
    } catch (error) {
      this.onError(error);
    }
  }

  private write(involved: StoredObject, type: EventType, reason: string, message: string, o: EventOptions) {
    const { store, source } = this;
    const namespace = involved.metadata.namespace ?? 'default';
    const key = [involved.metadata.uid, o.fieldPath ?? '', type, reason, message].join('\0');
    const now = store.now();
    const previous = this.seen.get(key);
    const existing = previous && store.find('events', previous.namespace, previous.name);
    if (existing) {
      const e = structuredClone(existing) as KubeObject & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      if (source.style === 'events.k8s.io') {
        e.series = { count: (e.series?.count ?? 1) + 1, lastObservedTime: microTime(now) };
      } else {
        e.count = (e.count ?? 1) + 1;
        e.lastTimestamp = formatTime(now);
      }
      store.update('events', e);
      return;
    }
    const involvedObject = {
      apiVersion: involved.apiVersion,
      kind: involved.kind,
      name: involved.metadata.name,
      namespace: involved.metadata.namespace,
      uid: involved.metadata.uid,
      resourceVersion: involved.metadata.resourceVersion,
      ...(o.fieldPath ? { fieldPath: o.fieldPath } : {}),
    };
    // client-go names events `<object>.<unix nanoseconds in hex>`.
    const nanos = BigInt(now.getTime()) * 1_000_000n + BigInt(this.sequence++ % 1_000_000);
    const name = `${involved.metadata.name}.${nanos.toString(16)}`;
    const common = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject,
      reason,
      message,
      type,
    };
    const event =
      source.style === 'events.k8s.io'
        ? {
            ...common,
            action: o.action,
            eventTime: microTime(now),
            firstTimestamp: null,
            lastTimestamp: null,
            source: {},
            reportingComponent: source.component,
            reportingInstance: source.instance ?? source.component,
          }
        : {
            ...common,
            count: 1,
            firstTimestamp: formatTime(now),
            lastTimestamp: formatTime(now),
            eventTime: null,
            source: source.host
              ? { component: source.component, host: source.host }
              : { component: source.component },
            reportingComponent: source.component,
            reportingInstance: source.host ?? '',
          };
    store.create('events', event);
    this.seen.set(key, { namespace, name });
    if (this.seen.size > MAX_CORRELATED) this.seen.delete(this.seen.keys().next().value as string);
  }
}
