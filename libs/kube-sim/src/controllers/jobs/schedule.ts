// The API server's check of a CronJob schedule, with the errors of the cron parser Kubernetes uses
// (github.com/robfig/cron/v3 ParseStandard): five fields (minute, hour, day of month, month, day of
// week) or a descriptor (@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly,
// @every <duration>), each field a list of `*`, `?`, values and ranges with an optional `/step`.

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS = Object.fromEntries(
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, i) => [
    m,
    i + 1,
  ]),
);
const DAYS = Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d, i) => [d, i]));
const FIELDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS },
  { min: 0, max: 6, names: DAYS },
];
const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/** robfig's mustParseInt: Go's strconv.Atoi error, or a negative number refused. */
function parseInt(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) {
    throw new Error(`failed to parse int from ${text}: strconv.Atoi: parsing "${text}": invalid syntax`);
  }
  const n = Number(text);
  if (n < 0) throw new Error(`negative number (${n}) not allowed: ${text}`);
  return n;
}

function value(text: string, b: Bounds): number {
  return b.names?.[text.toLowerCase()] ?? parseInt(text);
}

/** robfig's getRange: `*`, `?`, `v`, `a-b`, each with an optional `/step`. */
function checkRange(expr: string, b: Bounds): void {
  const [range, step, extra] = expr.split('/');
  if (extra !== undefined) throw new Error(`too many slashes: ${expr}`);
  let start: number;
  let end: number;
  if (range === '*' || range === '?') {
    start = b.min;
    end = b.max;
  } else {
    const [low, high, more] = range.split('-');
    if (more !== undefined) throw new Error(`too many hyphens: ${expr}`);
    start = value(low, b);
    end = high === undefined ? (step === undefined ? start : b.max) : value(high, b);
  }
  const every = step === undefined ? 1 : parseInt(step);
  if (start < b.min) throw new Error(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new Error(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (every === 0) throw new Error(`step of range should be a positive number: ${expr}`);
}

/** Throws the parser's error for a schedule Kubernetes refuses (the schedule must not be empty). */
export function checkSchedule(schedule: string): void {
  // A leading TZ=/CRON_TZ= names the zone; the parser reads the fields after it.
  const spec = schedule.trim().replace(/^(CRON_TZ|TZ)=\S+\s*/, '');
  if (!spec) throw new Error('empty spec string');
  if (spec.startsWith('@')) {
    if (DESCRIPTORS.includes(spec) || spec.startsWith('@every ')) return;
    throw new Error(`unrecognized descriptor: ${spec}`);
  }
  const fields = spec.split(/\s+/);
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: ${spec}`);
  fields.forEach((f, i) => f.split(',').forEach((expr) => checkRange(expr, FIELDS[i])));
}
