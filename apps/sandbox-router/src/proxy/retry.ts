// When a failed upstream attempt may be tried again: only while nothing of the request body has been
// read from the client and no response has arrived, and only for failures that mean "never reached a
// listener" (a new sandbox races its DNS record and its listener) or "the pooled keep-alive socket
// was already closed by the sandbox". Timeouts are not retried: the wait has already been spent.
import { errorCode } from './errors';

/** Backoff before each retry; its length is the number of retries. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [100, 200, 400];

const CONNECT_PHASE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
]);
const STALE_SOCKET = new Set(['ECONNRESET', 'EPIPE']);

export interface AttemptState {
  /** Retries already made. */
  retries: number;
  /** True once any request body byte was handed to the upstream request. */
  bodyStarted: boolean;
  /** The attempt ran on a pooled keep-alive socket (http.ClientRequest#reusedSocket). */
  reusedSocket: boolean;
}

/** Milliseconds to wait before the next attempt, or undefined when the error is final. */
export function retryDelay(
  err: unknown,
  state: AttemptState,
  delaysMs: readonly number[] = DEFAULT_RETRY_DELAYS_MS,
): number | undefined {
  if (state.bodyStarted || state.retries >= delaysMs.length) return undefined;
  const code = errorCode(err);
  if (code === undefined) return undefined;
  // A stale pooled socket says nothing about the sandbox: try a fresh one at once.
  if (state.reusedSocket && STALE_SOCKET.has(code)) return 0;
  return CONNECT_PHASE.has(code) ? delaysMs[state.retries] : undefined;
}
