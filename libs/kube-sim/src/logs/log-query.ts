// The pod log options of the real API (`tailLines`, `limitBytes`, `sinceSeconds`, `sinceTime`,
// `timestamps`) applied to a log text. Pure: the handler resolves pod, container and times.
const LEADING_TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) (.*)$/s;

export interface LogQuery {
  tailLines?: number;
  limitBytes?: number;
  /** Only lines at or after this time (from sinceSeconds or sinceTime). */
  since?: Date;
  timestamps?: boolean;
}

export interface LogLine {
  time: Date;
  text: string;
}

/** Splits a log into lines with their time; lines without a timestamp inherit the last one seen. */
export function parseLogLines(log: string, fallbackTime: Date): LogLine[] {
  const out: LogLine[] = [];
  let last = fallbackTime;
  const lines = log.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    const m = LEADING_TIMESTAMP.exec(line);
    const time = m ? new Date(m[1]) : undefined;
    if (time && !Number.isNaN(time.getTime())) {
      last = time;
      out.push({ time, text: m![2] });
    } else {
      out.push({ time: last, text: line });
    }
  }
  return out;
}

/** RFC 3339 with nanoseconds, the format the kubelet prefixes lines with. */
export function formatLogTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

export function renderLog(lines: LogLine[], q: LogQuery): string {
  let selected = q.since ? lines.filter((l) => l.time.getTime() >= q.since!.getTime()) : lines;
  if (q.tailLines !== undefined) selected = q.tailLines === 0 ? [] : selected.slice(-q.tailLines);
  let text = selected
    .map((l) => (q.timestamps ? `${formatLogTime(l.time)} ${l.text}` : l.text) + '\n')
    .join('');
  if (q.limitBytes !== undefined) {
    const buf = Buffer.from(text, 'utf8');
    if (buf.length > q.limitBytes) text = buf.subarray(0, q.limitBytes).toString('utf8');
  }
  return text;
}
