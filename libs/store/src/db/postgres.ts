// PostgreSQL adapter: a pg Pool with bounded waits. Every connection gets the store's search_path and a
// statement timeout from the startup `options`, so no query can hang a request forever.
import { Pool, type PoolClient } from 'pg';
import { classifyDriverError, StoreUnavailableError } from '../errors';
import { type Database, type Queryable, type QueryResult, type Row } from './database';
import { listenPostgres } from './pg-listener';

export interface PostgresOptions {
  url: string;
  schema?: string;
  poolMax: number;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  /** Errors on idle connections (the server restarted): reported here instead of crashing the process. */
  onError: (err: Error, context: string) => void;
}

type PgTarget = Pick<Pool | PoolClient, 'query'>;

/** The URL without its password, for error messages and logs. */
function describe(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return `PostgreSQL at ${u.host}${u.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

function bind(target: PgTarget, what: string, isClosed: () => boolean): Queryable {
  const check = () => {
    if (isClosed()) throw new StoreUnavailableError(`${what}: the store is closed`);
  };
  return {
    async query<R extends Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      check();
      try {
        const result = await target.query<R>(sql, params as unknown[]);
        return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
      } catch (err) {
        throw classifyDriverError(err, what);
      }
    },
    async exec(sql: string): Promise<void> {
      check();
      try {
        // Without parameters pg uses the simple query protocol, which accepts several statements.
        await target.query(sql);
      } catch (err) {
        throw classifyDriverError(err, what);
      }
    },
  };
}

export function openPostgres(options: PostgresOptions): Database {
  const what = describe(options.url);
  const startup = [`-c statement_timeout=${options.statementTimeoutMs}`];
  // Safe to splice: the store validates the name against SCHEMA_NAME_PATTERN.
  if (options.schema) startup.push(`-c search_path=${options.schema}`);
  const pool = new Pool({
    connectionString: options.url,
    max: options.poolMax,
    connectionTimeoutMillis: options.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    application_name: 'foxhound',
    options: startup.join(' '),
  });
  pool.on('error', (err) => options.onError(err, `idle connection to ${what}`));
  let closed: Promise<void> | undefined;
  const isClosed = () => closed !== undefined;

  return {
    engine: 'postgres',
    ...bind(pool, what, isClosed),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      let client: PoolClient;
      if (isClosed()) throw new StoreUnavailableError(`${what}: the store is closed`);
      try {
        client = await pool.connect();
      } catch (err) {
        throw classifyDriverError(err, what);
      }
      const tx = bind(client, what, isClosed);
      let broken: unknown;
      // A connection that drops while checked out (between two statements of this transaction) is
      // reported as an 'error' event, which would crash the process without a listener; the next
      // statement fails with it, and release() below destroys the client.
      const onError = (err: Error) => {
        broken = err;
        options.onError(err, `connection to ${what} in a transaction`);
      };
      client.on('error', onError);
      try {
        await tx.query('BEGIN');
        const result = await fn(tx);
        await tx.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackErr) {
          // The connection is unusable; release(err) below destroys it instead of pooling it.
          broken = rollbackErr;
        }
        throw err;
      } finally {
        client.off('error', onError);
        client.release(broken instanceof Error ? broken : undefined);
      }
    },
    listen: (channel, handlers) =>
      listenPostgres(
        { url: options.url, connectTimeoutMs: options.connectTimeoutMs, what, onError: options.onError },
        channel,
        handlers,
      ),
    close(): Promise<void> {
      closed ??= pool.end();
      return closed;
    },
  };
}
