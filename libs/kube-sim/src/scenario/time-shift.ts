// Moves a captured scenario to the present: every RFC 3339 timestamp in an object (creation,
// conditions, container states, events, annotations) shifts by the same offset, so ages and
// "last seen" read as they did at capture time. The precision of each timestamp is kept.
const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

export function shiftTimestamp(text: string, offsetMs: number): string {
  const m = TIMESTAMP.exec(text);
  if (!m) return text;
  const parsed = Date.parse(text);
  if (Number.isNaN(parsed)) return text;
  const iso = new Date(parsed + offsetMs).toISOString(); // 2026-01-02T03:04:05.678Z
  const fraction = m[2];
  if (!fraction) return iso.replace(/\.\d{3}Z$/, 'Z');
  const digits = fraction.length - 1;
  const ms = iso.slice(20, 23);
  const kept = digits <= 3 ? ms.slice(0, digits) : ms + fraction.slice(4);
  return `${iso.slice(0, 19)}.${kept}Z`;
}

/** A deep copy of `value` with every timestamp string shifted. */
export function shiftTimestamps<T>(value: T, offsetMs: number): T {
  if (typeof value === 'string') return shiftTimestamp(value, offsetMs) as T;
  if (Array.isArray(value)) return value.map((v) => shiftTimestamps(v, offsetMs)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = shiftTimestamps(v, offsetMs);
    return out as T;
  }
  return value;
}

/** Shifts the leading timestamp of each log line (`2026-01-02T03:04:05.123456789Z message`). */
export function shiftLogTimestamps(log: string, offsetMs: number): string {
  return log.replace(/^(\S+)(?= )/gm, (ts) => shiftTimestamp(ts, offsetMs));
}
