// The console's HTTP client: one `request` that adds the credential, turns every failure into an
// ApiError with a sentence a person can act on, and reports a refused credential (401) so the app
// can sign out instead of showing "HTTP 401" forever.
import { authHeaders } from '../state/session';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
}

export interface Api {
  request<T>(path: string, options?: RequestOptions): Promise<T>;
  /** The credential, for the event stream (which reads its own response body). */
  readonly credential: string;
}

/** Bodies the gateway never sends bigger than this; anything larger is refused, not parsed. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export function describeStatus(status: number, detail?: string): string {
  if (status === 401) return detail ?? 'The gateway refused the credential.';
  if (status === 429) return `Too many requests; ${detail ?? 'try again in a moment.'}`;
  if (status >= 500 && !detail) return `The gateway failed (HTTP ${status}); try again shortly.`;
  return detail ?? `The gateway answered HTTP ${status}.`;
}

export function createApi(credential: string, onUnauthorized: (message: string) => void): Api {
  return {
    credential,
    async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
      let response: Response;
      try {
        response = await fetch(path, {
          method: options.method ?? 'GET',
          headers: {
            ...authHeaders(credential),
            ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: options.signal,
        });
      } catch (err) {
        if (err instanceof DOMException && err.name === 'AbortError') throw err;
        throw new ApiError('Cannot reach the gateway; check the network and that it is running.', 0);
      }
      if (response.status === 204) return undefined as T;
      const length = Number(response.headers.get('content-length') ?? 0);
      if (length > MAX_BODY_BYTES) throw new ApiError('The answer is too large to show.', response.status);
      const body = (await response.json().catch(() => undefined)) as
        { detail?: string; code?: string } | undefined;
      if (!response.ok) {
        const error = new ApiError(
          describeStatus(response.status, body?.detail),
          response.status,
          body?.code,
        );
        if (response.status === 401) onUnauthorized(error.message);
        throw error;
      }
      return body as T;
    },
  };
}
