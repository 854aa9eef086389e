// The store's typed errors. Callers branch on the class (the gateway maps them to 503, 409 and 400);
// each keeps `cause` so logs show the driver's error underneath.
export abstract class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The database cannot be reached or went away: retry later, report not ready. */
export class StoreUnavailableError extends StoreError {}

/** The write lost to existing data: a duplicate key, an identity that already means something else. */
export class StoreConflictError extends StoreError {}

/** The caller passed something the store refuses: bad id, illegal transition, malformed cursor. */
export class StoreInputError extends StoreError {}

// SQLSTATE classes that mean "the server is not there for us right now" rather than "your SQL is wrong":
// 08 connection exception, 57P01-03 shutdown/crash/starting, 53300 too many connections.
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;
const SQLSTATE = /^[0-9A-Z]{5}$/;
const SOCKET_ERRNO = /^E[A-Z]+$/;
const CONNECTION_MESSAGE = /connection|connect|terminated|timeout|closed/i;

/**
 * Turns a driver error into StoreUnavailableError when it is about reaching the database, and leaves
 * SQL errors (with their SQLSTATE `code`) untouched so repositories can react to 23505 and friends.
 */
export function classifyDriverError(err: unknown, what: string): unknown {
  // Duck-typed, not `instanceof Error`: socket errors come from Node's realm, which under jest differs.
  if (err instanceof StoreError || typeof err !== 'object' || err === null) return err;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof message !== 'string') return err;
  const unavailable =
    typeof code === 'string'
      ? UNAVAILABLE_SQLSTATE.test(code) || (!SQLSTATE.test(code) && SOCKET_ERRNO.test(code))
      : CONNECTION_MESSAGE.test(message);
  return unavailable ? new StoreUnavailableError(`${what}: ${message}`, { cause: err }) : err;
}

/** The SQLSTATE of a database error, if it has one. */
export const sqlState = (err: unknown): string | undefined => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && SQLSTATE.test(code) ? code : undefined;
};
export const UNIQUE_VIOLATION = '23505';
