// One error shape for every Kubernetes call: whatever client-node threw (an ApiException from the
// generated APIs, a watch's HTTP error, a network error) becomes a KubeApiError with the status
// code, the Status reason and the server's own message, wrapped with what was being done.
import { KubeApiError } from './client';

interface StatusLike {
  message?: unknown;
  reason?: unknown;
  code?: unknown;
}

/** The HTTP status of an error from any client-node call, or undefined for network errors. */
export function statusCodeOf(err: unknown): number | undefined {
  if (err instanceof KubeApiError) return err.status === 0 ? undefined : err.status;
  if (typeof err !== 'object' || err === null) return undefined;
  const candidate =
    (err as { code?: unknown; statusCode?: unknown }).statusCode ?? (err as { code?: unknown }).code;
  return typeof candidate === 'number' ? candidate : undefined;
}

export const isNotFound = (err: unknown): boolean => statusCodeOf(err) === 404;
/** 409: AlreadyExists on create, Conflict on a stale resourceVersion or a failed precondition. */
export const isConflict = (err: unknown): boolean => statusCodeOf(err) === 409;
/** 410: the resourceVersion is older than the server's history; relist. */
export const isGone = (err: unknown): boolean => statusCodeOf(err) === 410;

/** The Status reason (`AlreadyExists`, `Conflict`, `NotFound`, ...) when the server sent one. */
export function reasonOf(err: unknown): string | undefined {
  if (err instanceof KubeApiError) return err.reason;
  return parseStatus((err as { body?: unknown } | null)?.body)?.reason;
}

/** Wraps any client-node failure as `KubeApiError("<doing>: <code> <server message>")`. */
export function toKubeApiError(err: unknown, doing: string, path = ''): KubeApiError {
  if (err instanceof KubeApiError) return err;
  const code = statusCodeOf(err) ?? 0;
  const status = parseStatus((err as { body?: unknown } | null)?.body);
  const detail = status?.message ?? (code === 0 && err instanceof Error ? err.message : undefined);
  const message = `${doing}: ${code === 0 ? 'request failed' : code}${detail ? ` ${detail}` : ''}`;
  return new KubeApiError(code, path, message, status?.reason, { cause: err });
}

function parseStatus(body: unknown): { message?: string; reason?: string } | undefined {
  let value: unknown = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return body.length > 0 ? { message: body.slice(0, 300) } : undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const status = value as StatusLike;
  return {
    message: typeof status.message === 'string' ? status.message : undefined,
    reason: typeof status.reason === 'string' ? status.reason : undefined,
  };
}
