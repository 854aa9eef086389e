// Structured lines: JSON objects with any of the common keys for time, level, message and error
// (zap, logrus, pino, bunyan, structlog, logstash/ECS, Serilog, Docker's json-file), and logfmt
// (`ts=… level=error msg="…" err="…"`, as Go kit and logrus's text formatter write it).
import { accessOfFields } from './access';
import { normalizeLevel } from './level';
import { jsonTime, parseTimestamp } from './time';
import { type ParsedLine } from './types';

const LEVEL_KEYS = [
  'level',
  'lvl',
  'severity',
  'levelname',
  'loglevel',
  'log.level',
  '@l',
  'level_name',
  'log_level',
];
const MESSAGE_KEYS = ['msg', 'message', '@m', '@mt', 'event', 'text', 'log', 'MESSAGE', 'error.message'];
const ERROR_KEYS = [
  'error',
  'err',
  'exception',
  'exc_info',
  'stack_trace',
  'stacktrace',
  'stack',
  '@x',
  'error.stack_trace',
];
const TIME_KEYS = ['time', 'timestamp', 'ts', '@timestamp', 't', '@t', 'datetime', 'asctime', 'date'];

type Fields = Record<string, unknown>;

/** `a.b` reads nested objects (ECS `log.level`) as well as flat dotted keys. */
export function field(obj: Fields, key: string): unknown {
  if (key in obj) return obj[key];
  const dot = key.indexOf('.');
  if (dot < 0) return undefined;
  const inner = obj[key.slice(0, dot)];
  return inner && typeof inner === 'object' ? field(inner as Fields, key.slice(dot + 1)) : undefined;
}

function first(obj: Fields, keys: string[]): unknown {
  for (const k of keys) {
    const v = field(obj, k);
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'object') {
    const o = value as Fields;
    // An error object (pino's `err`, ECS `error`): its message and type say more than its JSON.
    const message = typeof o.message === 'string' ? o.message : undefined;
    const type = typeof o.type === 'string' ? o.type : typeof o.name === 'string' ? o.name : undefined;
    if (message) return type ? `${type}: ${message}` : message;
    if (typeof o.stack === 'string') return o.stack;
  }
  return JSON.stringify(value);
}

export function fromJson(obj: Fields): ParsedLine {
  const level = normalizeLevel(first(obj, LEVEL_KEYS));
  const time = jsonTime(first(obj, TIME_KEYS));
  const error = text(first(obj, ERROR_KEYS));
  const message = text(first(obj, MESSAGE_KEYS)) ?? error ?? JSON.stringify(obj);
  const line: ParsedLine = { format: 'json', message };
  if (level) line.level = level;
  if (time !== undefined) line.time = time;
  if (error && error !== message) line.error = error;
  const access = accessOfFields(obj);
  if (access) line.access = access;
  return line;
}

const LOGFMT_PAIR = /([\w.@-]+)=("(?:[^"\\]|\\.)*"|\S*)/g;

/** logfmt pairs, or undefined when the line does not look like logfmt (fewer than two pairs, no level/msg/ts). */
export function parseLogfmt(line: string): Fields | undefined {
  if (!/^[\w.@-]+=/.test(line)) return undefined;
  const out: Fields = {};
  let pairs = 0;
  LOGFMT_PAIR.lastIndex = 0;
  for (let m = LOGFMT_PAIR.exec(line); m; m = LOGFMT_PAIR.exec(line)) {
    const raw = m[2];
    out[m[1]] = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
    pairs++;
  }
  if (pairs < 2 || !('level' in out || 'msg' in out || 'ts' in out || 'time' in out || 'lvl' in out))
    return undefined;
  return out;
}

export function fromLogfmt(fields: Fields): ParsedLine {
  const parsed = fromJson(fields);
  parsed.format = 'logfmt';
  if (parsed.time === undefined) {
    const t = first(fields, TIME_KEYS);
    if (typeof t === 'string') {
      const ms = parseTimestamp(t);
      if (ms !== undefined) parsed.time = ms;
    }
  }
  return parsed;
}
