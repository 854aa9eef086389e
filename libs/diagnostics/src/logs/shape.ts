// One line's shape: which format wrote it and what it states (time, level, message, error, request).
// Tried cheapest-discriminating first: JSON (a `{`), klog (a level letter and MMDD), logfmt (`key=`),
// Spring Boot (`---` between level and logger), uvicorn (`INFO:` prefix), gunicorn (`[time] [pid]
// [LEVEL]`), Ruby's Logger (Rails, Sidekiq: `E, [time #pid] ERROR -- progname: message`), Envoy and
// nginx access logs, Go's log package (`2025/10/21 10:00:00`), then a generic
// `<timestamp> <LEVEL> message` prefix as Python logging, logback and most frameworks write.
import { inlineAccess, parseCombined, parseEnvoy } from './access';
import { normalizeLevel } from './level';
import { fromJson, fromLogfmt, parseLogfmt } from './structured';
import { parseKlogTime, parseTimestamp } from './time';
import { type ParsedLine } from './types';

const KLOG = /^([IWEF])(\d{4}) (\d{2}:\d{2}:\d{2}\.\d{6})\s+\d+ ([^\]]{1,80})\] ?(.*)$/;
const SPRING =
  /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}[.,]\d{1,9}\S*)\s+(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\s+(?:\d+\s+)?---\s+(?:\[[^\]]*\]\s*)+(\S+)\s*:\s?(.*)$/;
const UVICORN = /^(TRACE|DEBUG|INFO|WARNING|ERROR|CRITICAL):\s+(.*)$/;
const GUNICORN = /^\[([^\]]+)\] \[\d+\] \[(DEBUG|INFO|WARNING|ERROR|CRITICAL)\] (.*)$/;
// Ruby's Logger::Formatter: `%.1s, [%Y-%m-%dT%H:%M:%S.%6N #%d] %5s -- %s: %s` (logger/formatter.rb).
const RUBY =
  /^[DIWEFAU], \[(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?) #\d+\]\s+(DEBUG|INFO|WARN|ERROR|FATAL|ANY|UNKNOWN) -- [^:]*: ?(.*)$/;
// nginx's error log: the Go log date, then `[level] pid#tid: *conn message` (ngx_log.c).
const NGINX_ERROR = /^\[(emerg|alert|crit|error|warn|notice|info|debug)\] \d+#\d+: (?:\*\d+ )?(.*)$/;
const GOLOG = /^(\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?) (.*)$/;
// `2025-10-21 10:00:00,123 ERROR …`, `… - app - ERROR - …`, `10:00:00.123 [main] ERROR c.e.Foo - …`, `[ERROR] …`.
const LEVEL_WORD =
  /(?:^|[\s[(|<])(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|SEVERE|CRITICAL|CRIT|FATAL|PANIC|EMERG)(?=[\s\])|:>]|$)/;
/** Only the head of a line can hold its level: `ERROR` later in a message is wording, not a level. */
const LEVEL_HEAD = 60;

function levelPrefix(body: string) {
  const m = LEVEL_WORD.exec(body.slice(0, LEVEL_HEAD));
  return m ? normalizeLevel(m[1]) : undefined;
}
const TIMESTAMP_HEAD = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)\s*/;

export interface ShapeResult {
  line: ParsedLine;
  /** The line was valid JSON but not an object. */
  nonObjectJson?: boolean;
}

function tryJson(text: string): ShapeResult | undefined {
  const c = text.charCodeAt(0);
  // `{`, `[`, `"`: the only openings of JSON worth the parse attempt (a number is just text).
  if (c !== 123 && c !== 91 && c !== 34) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value && typeof value === 'object' && !Array.isArray(value))
    return { line: fromJson(value as Record<string, unknown>) };
  return { line: { format: 'plain', message: text }, nonObjectJson: true };
}

function withAccess(line: ParsedLine): ParsedLine {
  const access = inlineAccess(line.message);
  if (access) line.access = access;
  return line;
}

export function parseLine(text: string, reference?: number): ShapeResult {
  const json = tryJson(text);
  if (json) return json;

  let m = KLOG.exec(text);
  if (m)
    return {
      line: withAccess({
        format: 'klog',
        level: normalizeLevel(m[1]),
        time: parseKlogTime(m[2], m[3], reference),
        message: m[5],
      }),
    };

  const logfmt = parseLogfmt(text);
  if (logfmt) return { line: fromLogfmt(logfmt) };

  m = SPRING.exec(text);
  if (m)
    return {
      line: {
        format: 'spring',
        level: normalizeLevel(m[2]),
        time: parseTimestamp(m[1]),
        message: `${m[3]}: ${m[4]}`,
      },
    };

  m = UVICORN.exec(text);
  if (m) return { line: withAccess({ format: 'uvicorn', level: normalizeLevel(m[1]), message: m[2] }) };

  m = GUNICORN.exec(text);
  if (m)
    return {
      line: { format: 'gunicorn', level: normalizeLevel(m[2]), time: parseTimestamp(m[1]), message: m[3] },
    };

  m = RUBY.exec(text);
  if (m)
    return {
      line: withAccess({
        format: 'ruby',
        level: normalizeLevel(m[2]),
        time: parseTimestamp(m[1]),
        message: m[3],
      }),
    };

  const envoy = parseEnvoy(text);
  if (envoy)
    return {
      line: { format: 'access', time: parseTimestamp(envoy.time), message: text, access: envoy.access },
    };
  const combined = parseCombined(text);
  if (combined)
    return {
      line: { format: 'access', time: parseTimestamp(combined.time), message: text, access: combined.access },
    };

  m = GOLOG.exec(text);
  const nginx = m && NGINX_ERROR.exec(m[2]);
  if (m && nginx)
    return {
      line: {
        format: 'nginx',
        level: normalizeLevel(nginx[1]),
        time: parseTimestamp(m[1]),
        message: nginx[2],
      },
    };
  if (m) {
    const line: ParsedLine = { format: 'golog', time: parseTimestamp(m[1]), message: m[2] };
    const level = levelPrefix(m[2].slice(0, 12));
    if (level) line.level = level;
    return { line: withAccess(line) };
  }

  const ts = TIMESTAMP_HEAD.exec(text);
  const time = ts ? parseTimestamp(ts[1]) : undefined;
  const body = ts ? text.slice(ts[0].length) : text;
  const line: ParsedLine = { format: 'plain', message: body };
  if (time !== undefined) line.time = time;
  const level = levelPrefix(body);
  if (level) line.level = level;
  return { line: withAccess(line) };
}
