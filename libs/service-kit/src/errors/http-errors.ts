// Typed errors thrown by handlers; the error-handler middleware maps each class to its status and
// writes `{"detail", "code"}`. Each keeps `cause` so logs show the chain.
import { type ErrorCode } from '@foxhound/contracts';

export abstract class HttpError extends Error {
  abstract readonly status: number;
  abstract readonly code: ErrorCode;
  /** Extra response headers, e.g. Retry-After on 429. */
  readonly headers: Record<string, string> = {};
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class InputError extends HttpError {
  readonly status = 400;
  readonly code = 'bad_request' as const;
}
export class AuthenticationError extends HttpError {
  readonly status = 401;
  readonly code = 'unauthenticated' as const;
  override readonly headers = { 'www-authenticate': 'Bearer' };
}
export class NotAllowedError extends HttpError {
  readonly status = 403;
  readonly code = 'forbidden' as const;
}
export class NotFoundError extends HttpError {
  readonly status = 404;
  readonly code = 'not_found' as const;
}
export class ConflictError extends HttpError {
  readonly status = 409;
  readonly code = 'conflict' as const;
}
export class PayloadTooLargeError extends HttpError {
  readonly status = 413;
  readonly code = 'payload_too_large' as const;
}
export class RateLimitedError extends HttpError {
  readonly status = 429;
  readonly code = 'rate_limited' as const;
  override readonly headers: Record<string, string>;
  constructor(message: string, retryAfterSeconds: number, options?: { cause?: unknown }) {
    super(message, options);
    this.headers = { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) };
  }
}
export class UpstreamError extends HttpError {
  readonly status = 502;
  readonly code = 'bad_gateway' as const;
}
export class ServiceUnavailableError extends HttpError {
  readonly status = 503;
  readonly code = 'service_unavailable' as const;
}
export class GatewayTimeoutError extends HttpError {
  readonly status = 504;
  readonly code = 'gateway_timeout' as const;
}

/** Maps any thrown value to a status and body; unknown errors become an opaque 500. */
export function toErrorResponse(err: unknown): {
  status: number;
  body: { detail: string; code: ErrorCode };
  headers: Record<string, string>;
} {
  if (err instanceof HttpError) {
    return { status: err.status, body: { detail: err.message, code: err.code }, headers: err.headers };
  }
  const bodyParserError = asBodyParserError(err);
  if (bodyParserError) return bodyParserError;
  return { status: 500, body: { detail: 'Internal server error.', code: 'internal' }, headers: {} };
}

// express.json() (body-parser) throws errors with `status` and `type`; translate the ones a client causes.
function asBodyParserError(err: unknown): ReturnType<typeof toErrorResponse> | undefined {
  if (typeof err !== 'object' || err === null || !('type' in err)) return undefined;
  const type = (err as { type?: unknown }).type;
  if (type === 'entity.too.large') {
    return {
      status: 413,
      body: { detail: 'Request body is too large.', code: 'payload_too_large' },
      headers: {},
    };
  }
  if (type === 'entity.parse.failed') {
    return {
      status: 400,
      body: { detail: 'Request body is not valid JSON.', code: 'bad_request' },
      headers: {},
    };
  }
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return {
      status: 415,
      body: { detail: 'Unsupported request encoding.', code: 'bad_request' },
      headers: {},
    };
  }
  return undefined;
}
