// Timestamps as loggers print them, to epoch ms: RFC 3339 / ISO 8601 (JSON, logfmt, Spring Boot),
// Go's log package (`2025/10/21 10:00:00`), nginx's `[21/Oct/2025:10:00:00 +0000]`, klog's
// `I1021 10:00:00.123456` (no year: the year of `reference`), and epoch seconds or ms in JSON.

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s?(Z|[+-]\d{2}:?\d{2})?/;
const GO = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?/;
const CLF = /^(\d{2})\/(\w{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-]\d{4})/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, frac?: string): number {
  return Date.UTC(y, mo, d, h, mi, s, frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0);
}

function offsetMs(zone: string | undefined): number {
  if (!zone || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
}

/** A timestamp at the start of `text`, or undefined. Zone-less times are read as UTC. */
export function parseTimestamp(text: string): number | undefined {
  let m = ISO.exec(text);
  if (m) return utc(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], m[7]) - offsetMs(m[8]);
  m = GO.exec(text);
  if (m) return utc(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], m[7]);
  m = CLF.exec(text);
  if (m) {
    const month = MONTHS.indexOf(m[2]);
    if (month >= 0) return utc(+m[3], month, +m[1], +m[4], +m[5], +m[6]) - offsetMs(m[7]);
  }
  return undefined;
}

/** klog's `MMDD hh:mm:ss.uuuuuu`, in the year of the reference time. */
export function parseKlogTime(mmdd: string, clock: string, reference: number | undefined): number {
  const year = new Date(reference ?? Date.now()).getUTCFullYear();
  const [h, mi, rest] = clock.split(':');
  const [s, frac] = rest.split('.');
  return utc(year, Number(mmdd.slice(0, 2)) - 1, Number(mmdd.slice(2, 4)), +h, +mi, +s, frac);
}

/** A JSON time field: ISO string, epoch seconds (float) or epoch ms. */
export function jsonTime(value: unknown): number | undefined {
  if (typeof value === 'string') return parseTimestamp(value);
  if (typeof value === 'number' && Number.isFinite(value)) return value > 1e12 ? value : value * 1000;
  return undefined;
}
