// HTTP requests in logs: access-log lines (nginx/ingress-nginx combined, Envoy's default format,
// gunicorn's CLF, uvicorn's `"GET /x HTTP/1.1" 200`), request fields of JSON/logfmt lines, and
// per-endpoint statistics (requests, 5xx, slow requests, p95 latency).
import { MAX_ENDPOINTS, SLOW_REQUEST_MS } from './limits';
import { type AccessRecord, type EndpointStats } from './types';

const METHOD = '(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|CONNECT|TRACE)';

// nginx/gunicorn combined: `addr - user [time] "GET /p HTTP/1.1" 200 612 "ref" "ua"` + ingress-nginx's
// `$request_length $request_time [...]` or a custom `rt=`/`request_time=` suffix.
const COMBINED = new RegExp(
  `^\\S+ \\S+ \\S+ \\[([^\\]]+)\\] "${METHOD} (\\S+)[^"]*" (\\d{3}) (?:\\d+|-)(?: "[^"]*" "[^"]*")?(.*)$`,
);
const NGINX_TIME = /^\s+\d+\s+(\d+\.\d+)\s|(?:\brt|request_time)=(\d+(?:\.\d+)?)/;
// Envoy's default: `[time] "GET /p HTTP/1.1" 503 UF 0 91 5001 - "xff" "ua" "id" "authority" "upstream"`.
const ENVOY = new RegExp(`^\\[([^\\]]+)\\] "${METHOD} (\\S+) [^"]*" (\\d{3}) (\\S+) \\d+ \\d+ (\\d+) `);
// Anywhere in a message: `"GET /p HTTP/1.1" 500` (uvicorn), `GET /p 500 12.3ms` (Go, Express, Gin).
const INLINE = new RegExp(
  `\\b${METHOD} (\\/\\S*?)(?: HTTP\\/[\\d.]+)?"?\\s+(?:-\\s+|\\|\\s+)?(\\d{3})\\b(?:[^\\d\\n]{0,12}?(\\d+(?:\\.\\d+)?)\\s?(ms|s|µs|us|ns)\\b)?`,
);

export function durationToMs(value: number, unit: string | undefined): number {
  switch (unit) {
    case 's':
      return value * 1000;
    case 'µs':
    case 'us':
      return value / 1000;
    case 'ns':
      return value / 1e6;
    case 'm':
      return value * 60_000;
    default:
      return value;
  }
}

export function parseCombined(line: string): { access: AccessRecord; time: string } | undefined {
  const m = COMBINED.exec(line);
  if (!m) return undefined;
  const access: AccessRecord = { method: m[2], path: m[3], status: Number(m[4]) };
  const t = NGINX_TIME.exec(m[5]);
  if (t) access.durationMs = Number(t[1] ?? t[2]) * 1000;
  return { access, time: m[1] };
}

export function parseEnvoy(line: string): { access: AccessRecord; time: string } | undefined {
  const m = ENVOY.exec(line);
  if (!m) return undefined;
  return { access: { method: m[2], path: m[3], status: Number(m[4]), durationMs: Number(m[6]) }, time: m[1] };
}

export function inlineAccess(message: string): AccessRecord | undefined {
  if (message.length > 2000) return undefined;
  const m = INLINE.exec(message);
  if (!m) return undefined;
  const access: AccessRecord = { method: m[1], path: m[2], status: Number(m[3]) };
  if (m[4]) access.durationMs = durationToMs(Number(m[4]), m[5]);
  return access;
}

const STATUS_KEYS = [
  'status',
  'status_code',
  'statusCode',
  'http.status_code',
  'http.response.status_code',
  'response.status',
  'res.statusCode',
  'code',
];
const METHOD_KEYS = ['method', 'http.method', 'http.request.method', 'request_method', 'req.method'];
const PATH_KEYS = [
  'path',
  'uri',
  'url',
  'request_uri',
  'http.url',
  'url.path',
  'req.url',
  'route',
  'http.target',
];
const DURATION_KEYS: [string, string | undefined][] = [
  ['duration_ms', 'ms'],
  ['latency_ms', 'ms'],
  ['elapsed_ms', 'ms'],
  ['response_time_ms', 'ms'],
  ['responseTime', 'ms'],
  ['took', 'ms'],
  ['request_time', 's'],
  ['duration', undefined],
  ['latency', undefined],
  ['elapsed', undefined],
  ['response_time', undefined],
  ['event.duration', 'ns'],
];

type Fields = Record<string, unknown>;

function get(obj: Fields, key: string): unknown {
  if (key in obj) return obj[key];
  const dot = key.indexOf('.');
  if (dot < 0) return undefined;
  const inner = obj[key.slice(0, dot)];
  return inner && typeof inner === 'object' ? get(inner as Fields, key.slice(dot + 1)) : undefined;
}

function firstString(obj: Fields, keys: readonly string[]): string | undefined {
  for (const k of keys) {
    const v = get(obj, k);
    if (typeof v === 'string') return v;
  }
  return undefined;
}

/** `"123ms"`, `"1.5s"`, `0.25` (a fraction: seconds, as zap writes durations), `250` (an integer: ms). */
function durationOf(value: unknown, unit: string | undefined): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value))
    return durationToMs(value, unit ?? (Number.isInteger(value) ? 'ms' : 's'));
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)\s?(ms|s|µs|us|ns|m)?$/.exec(value.trim());
  return m ? durationToMs(Number(m[1]), m[2] ?? unit ?? 'ms') : undefined;
}

/** A request in the fields of a JSON or logfmt line: a 3-digit status plus a method or path. */
export function accessOfFields(obj: Fields): AccessRecord | undefined {
  let status: number | undefined;
  for (const k of STATUS_KEYS) {
    const v = Number(get(obj, k));
    if (Number.isInteger(v) && v >= 100 && v <= 599) {
      status = v;
      break;
    }
  }
  if (status === undefined) return undefined;
  const method = firstString(obj, METHOD_KEYS);
  const path = firstString(obj, PATH_KEYS);
  if (!method && !path) return undefined;
  const access: AccessRecord = { status };
  if (method) access.method = method.toUpperCase();
  if (path) access.path = path.replace(/^https?:\/\/[^/]+/, '') || '/';
  for (const [k, unit] of DURATION_KEYS) {
    const ms = durationOf(get(obj, k), unit);
    if (ms !== undefined) {
      access.durationMs = ms;
      break;
    }
  }
  return access;
}

const ID_SEGMENT = /\/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+|[0-9a-f]{16,})(?=\/|$)/gi;

/** An endpoint's key: the path without its query, ids and numbers folded so /orders/42 and /orders/43 are one. */
export function endpointOf(path: string | undefined): string {
  if (!path) return '(unknown)';
  const q = path.indexOf('?');
  return (q >= 0 ? path.slice(0, q) : path).replace(ID_SEGMENT, '/{id}').slice(0, 120) || '/';
}

function p95(values: number[]): number | undefined {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(0.95 * sorted.length))];
}

/** Requests per endpoint, busiest first; endpoints beyond the bound fold into `(other)`. */
export function endpointStats(records: readonly AccessRecord[]): EndpointStats[] {
  const byKey = new Map<string, { stats: EndpointStats; durations: number[] }>();
  // Busy logs repeat a handful of paths: fold each distinct one once.
  const folded = new Map<string | undefined, string>();
  for (const r of records) {
    let endpoint = folded.get(r.path);
    if (endpoint === undefined) {
      endpoint = endpointOf(r.path);
      if (folded.size < 10_000) folded.set(r.path, endpoint);
    }
    let key = `${r.method ?? ''} ${endpoint}`;
    if (!byKey.has(key) && byKey.size >= MAX_ENDPOINTS) key = ' (other)';
    let entry = byKey.get(key);
    if (!entry) {
      const path = key === ' (other)' ? '(other)' : endpoint;
      entry = { stats: { path, requests: 0, serverErrors: 0, slow: 0 }, durations: [] };
      if (r.method && key !== ' (other)') entry.stats.method = r.method;
      byKey.set(key, entry);
    }
    entry.stats.requests++;
    if (r.status >= 500) entry.stats.serverErrors++;
    if (r.durationMs !== undefined) {
      entry.durations.push(r.durationMs);
      if (r.durationMs > SLOW_REQUEST_MS) entry.stats.slow++;
    }
  }
  return [...byKey.values()]
    .map(({ stats, durations }) => {
      const p = p95(durations);
      if (p !== undefined) {
        stats.p95Ms = p;
        stats.maxMs = Math.max(...durations);
      }
      return stats;
    })
    .sort((a, b) => b.requests - a.requests);
}
