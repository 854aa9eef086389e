// Builders for findings and their evidence, so every analyzer produces the same shape: a stable id,
// excerpts bounded in length, and field evidence that names its JSON path.
import { type Evidence, type Finding, type ObjectRef } from '@foxhound/contracts';
import { type KubeEvent } from '../snapshot';

/** Longest excerpt kept from one log line or message; the rest is cut behind an ellipsis. */
export const MAX_EXCERPT = 400;

function clip(text: string, max = MAX_EXCERPT): string {
  const oneLine = text.replace(/\s+$/, '');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

export function findingId(analyzer: string, reason: string, object: ObjectRef): string {
  return `${analyzer}:${reason}:${object.namespace ? `${object.namespace}/` : ''}${object.name}`;
}

type FindingFields = Omit<Finding, 'id' | 'analyzer' | 'reason' | 'object'>;

export function makeFinding(
  analyzer: string,
  reason: string,
  object: ObjectRef,
  fields: FindingFields,
): Finding {
  const finding: Finding = { id: findingId(analyzer, reason, object), analyzer, reason, object, ...fields };
  for (const key of Object.keys(finding) as (keyof Finding)[]) {
    if (finding[key] === undefined) delete finding[key];
  }
  return finding;
}

/** The newest timestamp an event carries, as printed. */
export function eventTime(event: KubeEvent): string | undefined {
  return (
    event.lastTimestamp ??
    event.eventTime ??
    event.firstTimestamp ??
    event.metadata.creationTimestamp ??
    undefined
  );
}

export const evidence = {
  event(event: KubeEvent, ref?: ObjectRef): Evidence {
    const count = event.count && event.count > 1 ? ` (x${event.count})` : '';
    const e: Evidence = {
      source: 'event',
      excerpt: clip(`${event.reason ?? 'Event'}: ${event.message ?? ''}${count}`),
    };
    const at = eventTime(event);
    if (at) e.timestamp = at;
    if (ref) e.ref = ref;
    return e;
  },
  field(path: string, value: unknown, ref?: ObjectRef): Evidence {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    const e: Evidence = { source: 'field', path, excerpt: clip(`${path}: ${text}`) };
    if (ref) e.ref = ref;
    return e;
  },
  log(line: string, previous: boolean, ref?: ObjectRef): Evidence {
    const e: Evidence = { source: previous ? 'previous-log' : 'log', excerpt: clip(line.trim()) };
    if (ref) e.ref = ref;
    return e;
  },
  analysis(text: string, ref?: ObjectRef): Evidence {
    const e: Evidence = { source: 'analysis', excerpt: clip(text, 600) };
    if (ref) e.ref = ref;
    return e;
  },
  metric(text: string, ref?: ObjectRef): Evidence {
    const e: Evidence = { source: 'metric', excerpt: clip(text) };
    if (ref) e.ref = ref;
    return e;
  },
};
