// The investigation's events, collapsed: consecutive events of one role form a group that names its
// tools and opens on demand; a tool's start and end are one line. Session, result, error and action
// updates stand on their own.
import { type StreamEvent } from '@foxhound/contracts';
import { type StreamedEvent } from '../api/events';
import { refText } from './format';

interface Group {
  role: string;
  events: StreamedEvent[];
}

const STANDALONE = new Set(['session', 'result', 'error', 'action_update']);
const roleOf = (e: StreamEvent): string =>
  ('role' in e.data && typeof e.data.role === 'string' && e.data.role) || 'commander';

export function groupEvents(events: StreamedEvent[]): Array<Group | StreamedEvent> {
  const out: Array<Group | StreamedEvent> = [];
  for (const streamed of events) {
    const { event } = streamed;
    if (STANDALONE.has(event.type)) {
      out.push(streamed);
      continue;
    }
    const last = out[out.length - 1];
    const role = roleOf(event);
    if (last && 'role' in last && last.role === role) last.events.push(streamed);
    else out.push({ role, events: [streamed] });
  }
  return out;
}

export function describe(event: StreamEvent): string {
  switch (event.type) {
    case 'session':
      return `Sandbox ${event.data.sandbox_id}${event.data.reused ? ' (reused)' : ''} on thread ${event.data.thread_id}`;
    case 'thought':
      return event.data.text;
    case 'tool_start':
      return `→ ${event.data.name} ${event.data.summary ?? ''}`;
    case 'tool_end':
      return `${event.data.success ? '✓' : '✗'} ${event.data.name} ${event.data.error ?? event.data.summary ?? ''}`;
    case 'finding':
      return `${event.data.severity} ${refText(event.data.object)}: ${event.data.symptom} — ${event.data.cause}`;
    case 'proposal':
      return `Proposed ${event.data.action.type} ${event.data.action.namespace}/${event.data.action.name} (risk ${event.data.risk})`;
    case 'action_update':
      return `Action ${event.data.proposal_id} ${event.data.state}${event.data.reason ? `: ${event.data.reason}` : ''}`;
    case 'result':
      return `Finished: ${event.data.subtype}${event.data.provider ? ` (${event.data.provider})` : ''}`;
    case 'error':
      return `Error: ${event.data.message}`;
  }
}

/** tool_end lines replace their tool_start: one line per tool call. */
function lines(events: StreamedEvent[]): StreamedEvent[] {
  const ended = new Set(
    events.flatMap((e) => (e.event.type === 'tool_end' ? [e.event.data.tool_use_id] : [])),
  );
  return events.filter((e) => !(e.event.type === 'tool_start' && ended.has(e.event.data.tool_use_id)));
}

function toolNames(events: StreamedEvent[]): string {
  const counts = new Map<string, number>();
  for (const { event } of events)
    if (event.type === 'tool_start') counts.set(event.data.name, (counts.get(event.data.name) ?? 0) + 1);
  return [...counts].map(([name, n]) => (n > 1 ? `${name} ×${n}` : name)).join(', ');
}

function Line({ streamed }: { streamed: StreamedEvent }) {
  const { event } = streamed;
  return (
    <li class={`event ev-${event.type}`} data-seq={streamed.seq}>
      <span class="kind">{event.type.replace('_', ' ')}</span> <span class="text">{describe(event)}</span>
    </li>
  );
}

export function Timeline({ events }: { events: StreamedEvent[] }) {
  if (!events.length) return <p class="dim">No events yet.</p>;
  return (
    <ol class="timeline">
      {groupEvents(events).map((item) =>
        'role' in item ? (
          <li key={`g${item.events[0]?.seq}`} class="group">
            <details>
              <summary>
                <strong>{item.role}</strong> · {lines(item.events).length} step
                {lines(item.events).length === 1 ? '' : 's'}
                {toolNames(item.events) && <span class="dim"> · {toolNames(item.events)}</span>}
              </summary>
              <ol>
                {lines(item.events).map((e) => (
                  <Line key={e.seq} streamed={e} />
                ))}
              </ol>
            </details>
          </li>
        ) : (
          <Line key={item.seq} streamed={item} />
        ),
      )}
    </ol>
  );
}
