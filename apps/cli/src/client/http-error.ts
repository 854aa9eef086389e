// Turns what fetch throws and what the gateway answers into one-line CliErrors with the exit code
// the README documents: unreachable (3), refused credential (4), not found (5), server error (6).
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name did not resolve',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'host unreachable',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_SOCKET: 'the connection was closed',
};

/** A fetch failure (no HTTP answer at all) as "cannot reach ...". */
export function networkError(server: string, err: unknown): CliError {
  if (err instanceof CliError) return err;
  const cause = (err as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const name = (err as { name?: string } | undefined)?.name;
  const why =
    name === 'TimeoutError'
      ? 'no answer in time'
      : (cause?.code && NETWORK_CODES[cause.code]) ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
  return new CliError(`cannot reach the gateway at ${server}: ${why}`, EXIT.unreachable, { cause: err });
}

/** The gateway's `{detail, code}` error body, or the first line of whatever it sent. */
function detailOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { detail?: unknown };
    if (typeof parsed.detail === 'string') return parsed.detail;
  } catch {
    // Not JSON: a proxy's page, say.
  }
  return body.replace(/\s+/g, ' ').trim().slice(0, 200) || 'no detail';
}

/** A non-2xx answer as a CliError; `what` names the request ("approve action a-1"). */
export function httpError(what: string, status: number, body: string): CliError {
  const detail = detailOf(body);
  if (status === 401)
    return new CliError(
      `the gateway refused the credential (HTTP 401: ${detail}); run foxhound login or set FOXHOUND_API_KEY`,
      EXIT.auth,
    );
  if (status === 403) return new CliError(`not allowed to ${what} (HTTP 403: ${detail})`, EXIT.auth);
  if (status === 404) return new CliError(`${detail} (HTTP 404)`, EXIT.notFound);
  if (status === 400 || status === 413) return new CliError(`the gateway rejected the request to ${what}: ${detail}`, EXIT.usage);
  return new CliError(`could not ${what}: HTTP ${status}: ${detail}`, EXIT.server);
}
