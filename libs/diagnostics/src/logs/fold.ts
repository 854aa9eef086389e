// Multi-line folding: a stack trace or traceback is one event, not forty lines. Recognised shapes:
// Python tracebacks (through chained "During handling…" sections, ending at the exception line),
// Java traces (`\tat` frames, "Caused by:", "... N more", "Suppressed:"), Go panics and fatal runtime
// errors with their goroutine dumps, and Node.js errors (`    at` frames). Any indented line also
// continues the event before it; a structured (JSON, timestamped) line always starts a new one.
import { MAX_EVENT_LINES } from './limits';
import { maxSeverity, severityOf } from './severity';
import { type LogEvent, type ParsedLine } from './types';

const PY_START = /^Traceback \(most recent call last\):/;
const PY_CHAIN = /^(?:During handling of the above exception|The above exception was the direct cause)/;
const PY_END =
  /^[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning|Violation|Timeout|NotFound|Refused)?(?::.*)?$/;
const JAVA_EXCEPTION = /^(?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error|Throwable|Failure)\b/;
const JAVA_CONT = /^(?:Caused by: |Suppressed: |\.\.\. \d+ more|\s+at |\s+\.\.\. \d+ (?:more|common frames))/;
const GO_START = /^(?:panic: |fatal error: )/;
const GO_CONT = /^(?:$|\[signal |goroutine \d+ \[|created by |exit status \d+|\t|[\w./*()-]+\(.*\)$|\s)/;

type Mode = 'plain' | 'python' | 'go';

export interface RawLine {
  index: number;
  text: string;
  parsed: ParsedLine;
  /** The line is structured (JSON, logfmt, klog) or opens with a timestamp: it always starts an event. */
  anchored: boolean;
}

/** Folds sanitized, parsed lines into events; each event's severity is the strongest of its parts. */
export function foldEvents(lines: readonly RawLine[]): LogEvent[] {
  const events: LogEvent[] = [];
  let current: LogEvent | undefined;
  let mode = 'plain' as Mode;
  // A level the line states is final: a DEBUG line's stack trace stays debug.
  let explicit = false;
  // The traceback that just ended: a chained one ("During handling…") continues it.
  let tracebackEnded: LogEvent | undefined;

  const open = (l: RawLine, next: Mode): void => {
    mode = next;
    explicit = l.parsed.level !== undefined;
    current = {
      index: l.index,
      lineCount: 1,
      format: l.parsed.format,
      severity: severityOf(l.parsed.level, l.parsed.access, l.parsed.message),
      message: l.parsed.error ? `${l.parsed.message}: ${l.parsed.error}` : l.parsed.message,
      lines: [l.text],
      summary: l.parsed.error ?? l.parsed.message,
    };
    if (explicit) current.stated = true;
    if (l.parsed.time !== undefined) current.time = l.parsed.time;
    if (l.parsed.access) current.access = l.parsed.access;
    if (!explicit && next === 'python') current.severity = maxSeverity(current.severity, 'error');
    if (!explicit && next === 'go') current.severity = 'fatal';
    events.push(current);
  };
  const append = (l: RawLine): void => {
    const e = current!;
    e.lineCount++;
    if (e.lines.length < MAX_EVENT_LINES) e.lines.push(l.text);
  };

  for (const l of lines) {
    const t = l.text;
    if (mode === 'plain' && t.trim() === '') continue;
    if (!current || l.anchored) {
      open(l, PY_START.test(t) ? 'python' : GO_START.test(t) ? 'go' : 'plain');
      continue;
    }
    if (mode === 'python') {
      append(l);
      if (PY_START.test(t) || PY_CHAIN.test(t) || t === '' || /^\s/.test(t)) continue;
      if (PY_END.test(t)) {
        current.summary = t;
        if (!explicit) current.severity = maxSeverity('error', severityOf(undefined, undefined, t));
        mode = 'plain';
        tracebackEnded = current;
      }
      continue;
    }
    if (mode === 'go') {
      if (GO_CONT.test(t)) {
        append(l);
        continue;
      }
      open(l, 'plain');
      continue;
    }
    if (PY_CHAIN.test(t) && tracebackEnded === current) {
      append(l);
      mode = 'python';
      continue;
    }
    if (PY_START.test(t)) {
      // A logger's "Exception on /x" line followed by the traceback it logs: one event.
      if (current.lineCount === 1 && current.severity !== 'info' && !current.access) {
        append(l);
        mode = 'python';
      } else open(l, 'python');
      continue;
    }
    if (GO_START.test(t)) {
      open(l, 'go');
      continue;
    }
    if (JAVA_CONT.test(t) || (/^\s/.test(t) && t.trim() !== '')) {
      append(l);
      if (t.startsWith('Caused by: ')) current.summary = t.slice('Caused by: '.length);
      continue;
    }
    if (JAVA_EXCEPTION.test(t) && current.lineCount === 1 && current.severity !== 'info') {
      // "ERROR Failed to …" then the exception it logs: the exception is the event's summary.
      append(l);
      current.summary = t;
      continue;
    }
    open(l, 'plain');
  }
  for (const e of events) if (e.summary.length > 2000) e.summary = e.summary.slice(0, 2000);
  return events;
}
