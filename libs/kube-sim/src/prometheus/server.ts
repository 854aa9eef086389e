// The Prometheus HTTP API over the metric store: /api/v1/query, /api/v1/query_range (GET or
// form POST), /api/v1/series, /api/v1/labels, /api/v1/label/<name>/values, build info and the
// readiness probes, with Prometheus's JSON envelope and `bad_data` errors.
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type MetricStore } from '../metrics/metric-store';
import { readBody } from '../server/http';
import { evaluate, selectSeries } from './evaluate';
import { PromQLError, parseDuration, parsePromQL, type Matcher } from './promql';

const MAX_POINTS = 11_000;
const MAX_FORM_BYTES = 1024 * 1024;

function send(res: ServerResponse, code: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(json) });
  res.end(json);
}

const fail = (res: ServerResponse, code: number, errorType: string, error: string) =>
  send(res, code, { status: 'error', errorType, error });

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function parseTime(text: string | null, fallback: number, name: string): number {
  if (text === null || text === '') return fallback;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  const t = Date.parse(text);
  if (Number.isNaN(t))
    throw new PromQLError(`invalid parameter "${name}": cannot parse "${text}" to a valid timestamp`);
  return t / 1000;
}

async function params(req: IncomingMessage, url: URL): Promise<URLSearchParams> {
  const p = new URLSearchParams(url.searchParams);
  if (
    req.method === 'POST' &&
    (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
  ) {
    for (const [k, v] of new URLSearchParams((await readBody(req, MAX_FORM_BYTES)).toString('utf8')))
      p.append(k, v);
  }
  return p;
}

function seriesMatchers(p: URLSearchParams): Matcher[][] {
  return p.getAll('match[]').map((m) => {
    const e = parsePromQL(m);
    if (e.type !== 'selector') throw new PromQLError(`match[] must be a series selector: ${m}`);
    return e.matchers;
  });
}

export function createPrometheusHandler(store: MetricStore, now: () => Date = () => new Date()) {
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://prometheus');
    try {
      const p = await params(req, url);
      const nowSeconds = now().getTime() / 1000;
      switch (url.pathname) {
        case '/-/healthy':
        case '/-/ready':
          res.writeHead(200, { 'Content-Type': 'text/plain' }).end('Prometheus Server is Ready.\n');
          return;
        case '/api/v1/status/buildinfo':
          return send(res, 200, {
            status: 'success',
            data: { version: '2.53.0', revision: 'kube-sim', branch: 'kube-sim' },
          });
        case '/api/v1/query': {
          const expr = parsePromQL(p.get('query') ?? '');
          const t = parseTime(p.get('time'), nowSeconds, 'time');
          const v = evaluate(expr, store, t);
          const data =
            typeof v === 'number'
              ? { resultType: 'scalar', result: [t, formatValue(v)] }
              : {
                  resultType: 'vector',
                  result: v.map((s) => ({ metric: s.metric, value: [t, formatValue(s.value)] })),
                };
          return send(res, 200, { status: 'success', data });
        }
        case '/api/v1/query_range': {
          const expr = parsePromQL(p.get('query') ?? '');
          const start = parseTime(p.get('start'), NaN, 'start');
          const end = parseTime(p.get('end'), NaN, 'end');
          const step = parseDuration(p.get('step') ?? '');
          if (Number.isNaN(start) || Number.isNaN(end))
            throw new PromQLError('invalid parameter "start"/"end": both are required');
          if (end < start)
            throw new PromQLError('invalid parameter "end": end timestamp must not be before start time');
          if (!(step > 0))
            throw new PromQLError(
              'invalid parameter "step": zero or negative query resolution step widths are not accepted',
            );
          if ((end - start) / step > MAX_POINTS) {
            throw new PromQLError(
              'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
            );
          }
          const series = new Map<string, { metric: Record<string, string>; values: [number, string][] }>();
          for (let t = start; t <= end; t += step) {
            const v = evaluate(expr, store, t);
            const samples = typeof v === 'number' ? [{ metric: {}, value: v }] : v;
            for (const s of samples) {
              const key = JSON.stringify(Object.entries(s.metric).sort());
              const entry = series.get(key) ?? { metric: s.metric, values: [] };
              entry.values.push([t, formatValue(s.value)]);
              series.set(key, entry);
            }
          }
          return send(res, 200, {
            status: 'success',
            data: { resultType: 'matrix', result: [...series.values()] },
          });
        }
        case '/api/v1/series': {
          const sets = seriesMatchers(p);
          if (sets.length === 0) throw new PromQLError('no match[] parameter provided');
          const found = new Map<string, Record<string, string>>();
          for (const m of sets)
            for (const s of selectSeries(store, m)) found.set(JSON.stringify(s.labels), s.labels);
          return send(res, 200, { status: 'success', data: [...found.values()] });
        }
        case '/api/v1/labels': {
          const names = new Set<string>();
          for (const s of store.all()) for (const k of Object.keys(s.labels)) names.add(k);
          return send(res, 200, { status: 'success', data: [...names].sort() });
        }
        default: {
          const m = /^\/api\/v1\/label\/([A-Za-z_][A-Za-z0-9_]*)\/values$/.exec(url.pathname);
          if (m) {
            const values = new Set<string>();
            for (const s of store.all()) if (s.labels[m[1]] !== undefined) values.add(s.labels[m[1]]);
            return send(res, 200, { status: 'success', data: [...values].sort() });
          }
          return fail(res, 404, 'not_found', `no endpoint ${url.pathname}`);
        }
      }
    } catch (err) {
      if (err instanceof PromQLError) return fail(res, 400, 'bad_data', err.message);
      return fail(res, 500, 'internal', (err as Error).message);
    }
  };
}
