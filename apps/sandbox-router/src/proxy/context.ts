// What the HTTP relay and the WebSocket relay share: the per-handler context (rules, resolver, guarded
// lookup, metrics) and the two steps both run before and after the upstream hop, admitting a request
// (auth, X-Sandbox-* headers, request path) and logging a failed one.
import { type Agent, type IncomingMessage } from 'node:http';
import { type LookupFunction } from 'node:net';
import { REQUEST_ID_HEADER, SANDBOX_HEADER_PREFIX } from '@foxhound/contracts';
import { acceptRequestId, HttpError, InputError, type Logger } from '@foxhound/service-kit';
import { type Authorizer } from '../authz/bearer';
import { type RouterMetrics } from '../observability/metrics';
import { parseSandboxHeaders, type HeaderRules, type SandboxTarget } from './headers';
import { type ResolveUpstream, type SandboxLocator, type Upstream } from './resolve';
import { requestPath } from './target';

/** What every exchange shares; built once per handler. */
export interface ProxyContext {
  rules: HeaderRules;
  resolve: ResolveUpstream;
  locator: SandboxLocator | undefined;
  authorizer: Authorizer | undefined;
  logger: Logger;
  metrics: RouterMetrics;
  lookup: LookupFunction;
  /** Keep-alive pool for HTTP; a WebSocket handshake may reuse a pooled socket, which then leaves the pool. */
  agent: Agent;
  connectTimeoutMs: number;
  retryDelaysMs: readonly number[];
}

const INVALID_PATH = 'Invalid request path.';

/** Validates a request up to the point of resolving it; the error to answer with otherwise. */
export function admit(
  context: ProxyContext,
  req: IncomingMessage,
): { target: SandboxTarget; path: string } | HttpError {
  const denied = context.authorizer?.authorize(req.headers);
  if (denied !== undefined) return denied;
  const target = parseSandboxHeaders(req.headers, context.rules);
  if (target instanceof HttpError) return target;
  const path = requestPath(req.url ?? '');
  if (path === undefined) return new InputError(INVALID_PATH);
  return { target, path };
}

/** The X-Sandbox-* values a rejected request carried, cut short: what "why 400?" needs at debug level. */
function sandboxHeaders(req: IncomingMessage): Record<string, string> {
  const seen: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith(SANDBOX_HEADER_PREFIX)) seen[name] = String(value).slice(0, 256);
  }
  return seen;
}

/**
 * One log line for a failed exchange: 5xx at warn (error for the router's own 500) with the cause,
 * 4xx at debug with the offending headers (the client only ever sees one message per class).
 */
export function logFailure(
  context: ProxyContext,
  req: IncomingMessage,
  err: HttpError,
  target?: SandboxTarget,
  upstream?: Upstream,
): void {
  const fields = {
    status: err.status,
    method: req.method,
    sandboxId: target?.id,
    namespace: target?.namespace,
    source: upstream?.source,
    upstream: upstream?.url,
    requestId:
      req.headers[REQUEST_ID_HEADER] === undefined
        ? undefined
        : acceptRequestId(req.headers[REQUEST_ID_HEADER]),
    err: err.status >= 500 ? (err.cause ?? err) : undefined,
    headers: err.status === 400 ? sandboxHeaders(req) : undefined,
  };
  if (err.status === 500) context.logger.error(fields, err.message);
  else if (err.status >= 500) context.logger.warn(fields, err.message);
  else context.logger.debug(fields, err.message);
}
