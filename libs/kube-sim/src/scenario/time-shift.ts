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

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * A line's own timestamp comes first or after a short prefix (a level, a pod name, an access log's
 * client address and identities): at most this many characters and words before it.
 */
const HEAD = 48;
const HEAD_WORDS = 3;

interface LineClock {
  /** Where the timestamp lies in the line. */
  re: RegExp;
  /** The matched text, shifted, written back in its own format. */
  shift(m: RegExpExecArray, offsetMs: number, year: number): string | undefined;
  /** The instant the matched text names, in epoch ms. */
  instant(m: RegExpExecArray, year: number): number | undefined;
}

/** Offsets such as `+02:00`, `+0200` and `Z`, as minutes east of UTC. */
function zoneMinutes(zone: string | undefined): number {
  if (!zone || zone === 'Z') return 0;
  const m = /^([+-])(\d\d):?(\d\d)$/.exec(zone);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** The wall clock of `ms` in a zone `minutes` east of UTC, as a Date read with its UTC getters. */
const wallClock = (ms: number, minutes: number) => new Date(ms + minutes * 60_000);

/**
 * The timestamp formats real software writes at the head of a line (the log model parses the same):
 * RFC 3339 and its space-separated, comma-fraction and zone-less variants (Go, Python, Spring Boot,
 * logback, PostgreSQL), Go's log package, the Common Log Format of nginx and Apache access logs, and
 * klog's year-less header. Each is shifted in place and written back in its own format.
 */
const CLOCKS: LineClock[] = [
  {
    re: /(\d{4})-(\d\d)-(\d\d)([T ])(\d\d):(\d\d):(\d\d)(?:([.,])(\d+))?( ?(?:Z|[+-]\d\d:?\d\d))?/,
    shift(m, offsetMs) {
      const [, y, mo, d, sep, h, mi, sec, fracSep, frac, zone] = m;
      const minutes = zoneMinutes(zone?.trim());
      const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec) - minutes * 60_000;
      if (Number.isNaN(ms)) return undefined;
      const t = wallClock(ms + offsetMs, minutes);
      const date = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
      const time = `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
      return `${date}${sep}${time}${fracSep ? `${fracSep}${frac}` : ''}${zone ?? ''}`;
    },
    instant(m) {
      const [, y, mo, d, , h, mi, sec, , frac, zone] = m;
      const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec, fractionMs(frac));
      return ms - zoneMinutes(zone?.trim()) * 60_000;
    },
  },
  {
    // Go's log package: 2025/12/01 09:18:15(.000000)
    re: /(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)(\.\d+)?/,
    shift(m, offsetMs) {
      const [, y, mo, d, h, mi, sec, frac] = m;
      const t = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec) + offsetMs);
      return `${t.getUTCFullYear()}/${pad(t.getUTCMonth() + 1)}/${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}${frac ?? ''}`;
    },
    instant(m) {
      const [, y, mo, d, h, mi, sec, frac] = m;
      return Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec, fractionMs(frac?.slice(1)));
    },
  },
  {
    // Common Log Format: [01/Dec/2025:09:18:15 +0000]
    re: /(\d\d)\/([A-Z][a-z]{2})\/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-]\d{4})/,
    shift(m, offsetMs) {
      const [, d, mon, y, h, mi, sec, zone] = m;
      const month = MONTHS.indexOf(mon);
      if (month < 0) return undefined;
      const minutes = zoneMinutes(zone);
      const t = wallClock(Date.UTC(+y, month, +d, +h, +mi, +sec) - minutes * 60_000 + offsetMs, minutes);
      return `${pad(t.getUTCDate())}/${MONTHS[t.getUTCMonth()]}/${t.getUTCFullYear()}:${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())} ${zone}`;
    },
    instant(m) {
      const [, d, mon, y, h, mi, sec, zone] = m;
      const month = MONTHS.indexOf(mon);
      return month < 0 ? undefined : Date.UTC(+y, month, +d, +h, +mi, +sec) - zoneMinutes(zone) * 60_000;
    },
  },
  {
    // klog: I1201 09:18:15.123456 (no year: the capture's is assumed)
    re: /^([IWEF])(\d\d)(\d\d) (\d\d):(\d\d):(\d\d)(\.\d+)?/,
    shift(m, offsetMs, year) {
      const [, level, mo, d, h, mi, sec, frac] = m;
      const t = new Date(Date.UTC(year, +mo - 1, +d, +h, +mi, +sec) + offsetMs);
      return `${level}${pad(t.getUTCMonth() + 1)}${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}${frac ?? ''}`;
    },
    instant(m, year) {
      const [, , mo, d, h, mi, sec, frac] = m;
      return Date.UTC(year, +mo - 1, +d, +h, +mi, +sec, fractionMs(frac?.slice(1)));
    },
  },
];

/** Milliseconds of a decimal fraction's digits (`5` → 500, `123456` → 123). */
const fractionMs = (digits: string | undefined) => (digits ? Math.floor(Number(`0.${digits}`) * 1000) : 0);

/** A JSON line's own time field: an RFC 3339 string (handled by the clocks) or epoch seconds or milliseconds. */
const JSON_TIME =
  /"(?:time|ts|timestamp|@timestamp|t|asctime|date)"\s*:\s*(?:"([^"]{8,40})"|(\d{10}(?:\.\d+)?|\d{13}))/;

function shiftEpoch(text: string, offsetMs: number): string {
  if (text.length === 13 && !text.includes('.')) return String(Number(text) + offsetMs);
  const [whole, frac] = text.split('.');
  const seconds = Number(whole) + Math.round(offsetMs / 1000);
  return frac === undefined ? String(seconds) : `${seconds}.${frac}`;
}

interface LineTimestamp {
  at: number;
  length: number;
  clock: LineClock;
  match: RegExpExecArray;
}

/** A plain-text line's own timestamp: the first one in a known format near its head. */
function ownTimestamp(line: string): LineTimestamp | undefined {
  let best: LineTimestamp | undefined;
  for (const clock of CLOCKS) {
    const m = clock.re.exec(line);
    if (!m || m.index > HEAD || (best && best.at <= m.index)) continue;
    if ((line.slice(0, m.index).match(/\s+/g)?.length ?? 0) > HEAD_WORDS) continue;
    best = { at: m.index, length: m[0].length, clock, match: m };
  }
  return best;
}

/** The line with its own timestamp shifted; the rest untouched. */
function shiftLine(line: string, offsetMs: number, year: number): string {
  if (line.startsWith('{')) {
    const m = JSON_TIME.exec(line);
    if (!m) return line;
    const value = m[1] ?? m[2]!;
    const shifted = m[1] !== undefined ? shiftLine(value, offsetMs, year) : shiftEpoch(value, offsetMs);
    const at = m.index + m[0].lastIndexOf(value);
    return `${line.slice(0, at)}${shifted}${line.slice(at + value.length)}`;
  }
  const own = ownTimestamp(line);
  const text = own?.clock.shift(own.match, offsetMs, year);
  return own && text !== undefined
    ? `${line.slice(0, own.at)}${text}${line.slice(own.at + own.length)}`
    : line;
}

/** When the application says it wrote the line (epoch ms), from its own timestamp, if it has one. */
export function lineTime(line: string, year: number): number | undefined {
  if (line.startsWith('{')) {
    const m = JSON_TIME.exec(line);
    if (!m) return undefined;
    if (m[1] !== undefined) return lineTime(m[1], year);
    return m[2]!.length === 13 && !m[2]!.includes('.') ? Number(m[2]) : Math.round(Number(m[2]) * 1000);
  }
  const own = ownTimestamp(line);
  const ms = own?.clock.instant(own.match, year);
  return ms === undefined || Number.isNaN(ms) ? undefined : ms;
}

/**
 * Shifts each log line's own timestamp (`kubectl logs --timestamps` prefixes, and the time the
 * application itself wrote at the head of the line or in its JSON time field), so log times and
 * object times agree after loading. Timestamps quoted later in a message are content and stay.
 */
export function shiftLogTimestamps(log: string, offsetMs: number): string {
  const year = new Date(Date.now() - offsetMs).getUTCFullYear();
  return log
    .split('\n')
    .map((line) => shiftLine(line, offsetMs, year))
    .join('\n');
}
