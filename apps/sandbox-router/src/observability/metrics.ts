// The router's Prometheus collectors, registered on service-kit's private registry under
// `foxhound_sandbox_router_`. Labels come from fixed sets (method, status class, upstream source,
// stream kind, direction, lookup result), never a sandbox id, namespace, address or error text.
// Bytes are read from the client sockets' own counters at scrape time and when a socket closes, so
// the hot path pays nothing for them and a long stream shows up while it is still open.
import { type Socket } from 'node:net';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type CodeClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx' | 'aborted';
export type SourceLabel = 'pod-ip' | 'manager' | 'dns' | 'none';
export type StreamKind = 'sse' | 'websocket';
export type ManagerLookupResult = 'hit' | 'miss' | 'not_found' | 'error';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE']);
const CLASSES: readonly CodeClass[] = ['1xx', '2xx', '3xx', '4xx', '5xx'];

export interface RouterMetrics {
  /** Counts one finished request. */
  request(method: string, status: number | 'aborted', source: SourceLabel): void;
  /** Time from dispatch upstream to the response head, in seconds. */
  upstreamLatency(source: SourceLabel, seconds: number): void;
  inFlight: Gauge;
  streams: Gauge<'kind'>;
  retries: Counter;
  managerLookups: Counter<'result'>;
  /** Follows a client connection's bytes until it closes. */
  trackConnection(socket: Socket): void;
}

export function createRouterMetrics(registry: Registry, prefix: string): RouterMetrics {
  const requests = new Counter({
    name: `${prefix}requests_total`,
    help: 'Proxied requests by method, status class (or aborted by the client) and upstream source.',
    labelNames: ['method', 'code', 'source'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: `${prefix}upstream_latency_seconds`,
    help: 'Time from sending a request upstream to its response head, by upstream source.',
    labelNames: ['source'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 180],
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: `${prefix}requests_in_flight`,
    help: 'Proxied HTTP requests not yet finished, streams included.',
    registers: [registry],
  });
  const streams = new Gauge({
    name: `${prefix}active_streams`,
    help: 'Open server-sent event streams and WebSocket tunnels.',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const retries = new Counter({
    name: `${prefix}upstream_retries_total`,
    help: 'Upstream attempts repeated after a connect-phase failure or a stale pooled socket.',
    registers: [registry],
  });
  const managerLookups = new Counter({
    name: `${prefix}manager_lookups_total`,
    help: 'Sandbox lookups against the sandbox-manager resolver, by result (hit = answered from cache).',
    labelNames: ['result'] as const,
    registers: [registry],
  });

  const sockets = new Map<Socket, { read: number; written: number }>();
  const bytes = new Counter({
    name: `${prefix}bytes_total`,
    help: 'Bytes on client connections, headers included: received from clients, sent to clients.',
    labelNames: ['direction'] as const,
    registers: [registry],
    collect() {
      for (const socket of sockets.keys()) account(socket);
    },
  });
  new Gauge({
    name: `${prefix}client_connections`,
    help: 'Open client connections, upgraded WebSocket connections included.',
    registers: [registry],
    collect() {
      this.set(sockets.size);
    },
  });
  for (const direction of ['received', 'sent']) bytes.inc({ direction }, 0);
  for (const kind of ['sse', 'websocket']) streams.set({ kind }, 0);

  function account(socket: Socket): void {
    const seen = sockets.get(socket);
    if (seen === undefined) return;
    const read = socket.bytesRead;
    const written = socket.bytesWritten;
    if (read > seen.read) bytes.inc({ direction: 'received' }, read - seen.read);
    if (written > seen.written) bytes.inc({ direction: 'sent' }, written - seen.written);
    seen.read = read;
    seen.written = written;
  }

  // Children bound once per label combination: the hot path then skips prom-client's label hashing.
  const requestChildren = new Map<string, Counter.Internal>();
  const latencyChildren = new Map<string, Histogram.Internal<'source'>>();

  return {
    request(method, status, source) {
      const m = METHODS.has(method) ? method : 'OTHER';
      const code = status === 'aborted' ? status : (CLASSES[Math.floor(status / 100) - 1] ?? '5xx');
      const key = `${m} ${code} ${source}`;
      let child = requestChildren.get(key);
      if (child === undefined) {
        child = requests.labels({ method: m, code, source });
        requestChildren.set(key, child);
      }
      child.inc();
    },
    upstreamLatency(source, seconds) {
      let child = latencyChildren.get(source);
      if (child === undefined) {
        child = latency.labels({ source });
        latencyChildren.set(source, child);
      }
      child.observe(seconds);
    },
    inFlight,
    streams,
    retries,
    managerLookups,
    trackConnection(socket) {
      sockets.set(socket, { read: 0, written: 0 });
      socket.once('close', () => {
        account(socket);
        sockets.delete(socket);
      });
    },
  };
}
