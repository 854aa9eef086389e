// What the router sends upstream and what it hands back: the request path (forwarded byte for byte,
// never able to change the authority), the forwarded request headers and the filtered response
// headers. Which host and port the request goes to is resolve.ts's job; this file never names one
// from a header.
import { type IncomingHttpHeaders } from 'node:http';
import { SANDBOX_HEADER_PREFIX, TRACEPARENT_HEADER } from '@foxhound/contracts';

/** RFC 9110 §7.6.1 hop-by-hop headers, plus the non-standard ones clients still send. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Never forwarded upstream besides the hop-by-hop ones: the router's own credentials and routing. */
const REQUEST_ONLY = new Set([
  'host',
  'authorization',
  // node answers `Expect: 100-continue` itself before the request reaches us.
  'expect',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  TRACEPARENT_HEADER,
  'tracestate',
]);

// W3C Trace Context level 1: version 00-fe, non-zero trace and parent ids. Anything else is dropped
// rather than passed on, as the spec asks of a participant that cannot parse it.
const TRACEPARENT = /^(?!ff)[\da-f]{2}-(?!0{32})[\da-f]{32}-(?!0{16})[\da-f]{16}-[\da-f]{2}(?:-.*)?$/;

/**
 * The path and query to send upstream, as the client wrote them (no dot-segment or slash
 * normalisation), or undefined when the request target is not usable. An absolute-form target
 * (`GET http://elsewhere/x`) keeps only its path: the authority is always the router's choice.
 */
export function requestPath(url: string): string | undefined {
  if (url.charCodeAt(0) === 0x2f /* '/' */) return url;
  const absolute = /^https?:\/\/[^/?#]*([^#]*)/i.exec(url);
  if (!absolute) return undefined; // `*` (OPTIONS *) and anything stranger
  const rest = absolute[1]!;
  return rest.charCodeAt(0) === 0x2f ? rest : `/${rest}`;
}

const PLAIN_CONNECTION = /^\s*(?:keep-alive|close)\s*$/i;

/** Header names listed in a Connection header: the sender made them hop-by-hop too. */
function connectionTokens(value: string | string[] | undefined): Set<string> | undefined {
  if (value === undefined) return undefined;
  const tokens = new Set<string>();
  for (const token of String(value).split(',')) tokens.add(token.trim().toLowerCase());
  return tokens;
}

export interface ForwardContext {
  /** The Host header upstream: `sb.ns.svc.cluster.local:8888`, `10.0.0.7:8888`. */
  hostHeader: string;
  /** The client's address, appended to X-Forwarded-For. */
  remoteAddress: string | undefined;
  /** True for a WebSocket handshake: keeps `Connection: Upgrade` and `Upgrade: websocket`. */
  upgrade?: boolean;
}

/** Flat `[name, value, ...]` list for http.request: end-to-end headers plus Host and X-Forwarded-*. */
export function forwardRequestHeaders(headers: IncomingHttpHeaders, context: ForwardContext): string[] {
  const dropped = connectionTokens(headers.connection);
  const forward = (name: string) => (dropped?.has(name) ? undefined : headers[name]);
  const out: string[] = ['Host', context.hostHeader];
  for (const name in headers) {
    if (HOP_BY_HOP.has(name) || REQUEST_ONLY.has(name) || dropped?.has(name)) continue;
    if (name.startsWith(SANDBOX_HEADER_PREFIX)) continue;
    const value = headers[name]!;
    if (typeof value === 'string') out.push(name, value);
    else for (const item of value) out.push(name, item);
  }
  // node has already removed the chunked framing; without this a chunked DELETE would go out unframed.
  if (headers['transfer-encoding'] !== undefined) out.push('Transfer-Encoding', 'chunked');
  if (context.upgrade) out.push('Connection', 'Upgrade', 'Upgrade', 'websocket');

  const priorFor = forward('x-forwarded-for');
  const client = context.remoteAddress ?? 'unknown';
  out.push('X-Forwarded-For', priorFor === undefined ? client : `${String(priorFor)}, ${client}`);
  const host = forward('x-forwarded-host') ?? headers.host;
  if (host !== undefined) out.push('X-Forwarded-Host', String(host));
  out.push('X-Forwarded-Proto', String(forward('x-forwarded-proto') ?? (context.upgrade ? 'ws' : 'http')));

  const traceparent = forward(TRACEPARENT_HEADER);
  if (typeof traceparent === 'string' && TRACEPARENT.test(traceparent)) {
    out.push('traceparent', traceparent);
    const tracestate = forward('tracestate');
    if (typeof tracestate === 'string') out.push('tracestate', tracestate);
  }
  return out;
}

/**
 * The upstream's response headers minus hop-by-hop ones, as a flat list for writeHead (duplicates
 * and case kept). A 101 keeps `Connection` and `Upgrade`: they are the switch itself.
 */
export function forwardResponseHeaders(rawHeaders: readonly string[], switching = false): string[] {
  let dropped: Set<string> | undefined;
  if (!switching) {
    for (let i = 0; i < rawHeaders.length; i += 2) {
      if (rawHeaders[i]!.toLowerCase() !== 'connection') continue;
      const value = rawHeaders[i + 1]!;
      // The everyday `keep-alive` / `close` name no other header: skip the parse.
      if (PLAIN_CONNECTION.test(value)) continue;
      for (const token of connectionTokens(value)!) (dropped ??= new Set()).add(token);
    }
  }
  const out: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const lower = name.toLowerCase();
    const hop = switching
      ? lower !== 'connection' && lower !== 'upgrade' && HOP_BY_HOP.has(lower)
      : HOP_BY_HOP.has(lower);
    if (hop || dropped?.has(lower)) continue;
    out.push(name, rawHeaders[i + 1]!);
  }
  return out;
}
