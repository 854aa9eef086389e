// Failures of the upstream hop and how they answer: the SIG router's 502/504/500 messages in
// service-kit's `{"detail","code"}` body, written to a response or, for a WebSocket handshake, to the
// raw socket. After the first response byte no JSON can follow; proxy.ts cuts the connection instead.
import { type ServerResponse, STATUS_CODES } from 'node:http';
import { type Socket } from 'node:net';
import { GatewayTimeoutError, HttpError, toErrorResponse } from '@foxhound/service-kit';
import { unreachable } from './resolve';

/** Codes of the errors the router raises itself on the upstream hop. */
export const RouterErrorCode = {
  connectTimeout: 'ROUTER_CONNECT_TIMEOUT',
  idleTimeout: 'ROUTER_IDLE_TIMEOUT',
  blockedAddress: 'ROUTER_BLOCKED_ADDRESS',
} as const;

export class UpstreamHopError extends Error {
  override readonly name = 'UpstreamHopError';
  constructor(
    readonly code: (typeof RouterErrorCode)[keyof typeof RouterErrorCode],
    message: string,
  ) {
    super(message);
  }
}

/** 500 with the SIG router's wording, for failures that are the router's own. */
export class ProxyInternalError extends HttpError {
  readonly status = 500;
  readonly code = 'internal' as const;
  constructor(cause: unknown) {
    super('An internal error occurred in the proxy.', { cause });
  }
}

export const errorCode = (err: unknown): string | undefined =>
  typeof err === 'object' && err !== null && 'code' in err
    ? String((err as { code: unknown }).code)
    : undefined;

// Everything node reports when the sandbox cannot be reached or hung up before answering.
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ETIMEDOUT', // the kernel's own connect timeout
  'ERR_SOCKET_CONNECTION_TIMEOUT', // autoSelectFamily gave up on every address
  RouterErrorCode.blockedAddress,
]);

/** Maps an upstream-hop failure to the HttpError the client sees. */
export function toHopError(err: unknown, sandboxId: string): HttpError {
  if (err instanceof HttpError) return err;
  const code = errorCode(err);
  if (code === RouterErrorCode.connectTimeout || code === RouterErrorCode.idleTimeout) {
    return new GatewayTimeoutError(`Timed out waiting for the backend sandbox: ${sandboxId}`, { cause: err });
  }
  if (code !== undefined && UNREACHABLE.has(code)) return unreachable(sandboxId, err);
  return new ProxyInternalError(err);
}

function errorBody(err: HttpError): { status: number; body: string; headers: Record<string, string> } {
  const { status, body, headers } = toErrorResponse(err);
  return { status, body: JSON.stringify(body), headers };
}

/** Writes the JSON error response; the caller has checked that no header was sent yet. */
export function sendError(res: ServerResponse, err: HttpError): void {
  const { status, body, headers } = errorBody(err);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** The same answer on a socket that asked to upgrade (no ServerResponse exists there). */
export function sendRawError(socket: Socket, err: HttpError): void {
  if (socket.destroyed) return;
  const { status, body, headers } = errorBody(err);
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  lines.push(
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
  );
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}
