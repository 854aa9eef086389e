// PGlite adapter: PostgreSQL compiled to WASM, in this process, data in a directory (or in memory).
// One connection, so PGlite itself serialises queries and transactions; one process per data directory.
import { mkdir } from 'node:fs/promises';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { classifyDriverError } from '../errors';
import { CHANNEL_PATTERN, type Database, type Queryable, type QueryResult, type Row } from './database';

export interface PgliteOptions {
  /** Where the database lives; in memory when absent (tests, throwaway demos). */
  dataDir?: string;
  /** Schema to work in (created by the migrations), for several stores sharing one database. */
  schema?: string;
}

type PgliteLike = Pick<PGlite | Transaction, 'query' | 'exec'>;

function bind(target: PgliteLike, what: string): Queryable {
  return {
    async query<R extends Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      try {
        const result = await target.query<R>(sql, params as unknown[]);
        return { rows: result.rows, rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length };
      } catch (err) {
        throw classifyDriverError(err, what);
      }
    },
    async exec(sql: string): Promise<void> {
      try {
        await target.exec(sql);
      } catch (err) {
        throw classifyDriverError(err, what);
      }
    },
  };
}

export async function openPglite(options: PgliteOptions = {}): Promise<Database> {
  const what = options.dataDir ? `PGlite at ${options.dataDir}` : 'PGlite (in memory)';
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  let pg: PGlite;
  try {
    pg = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {});
  } catch (err) {
    throw classifyDriverError(err, `open ${what}`);
  }
  // Safe to splice: the store validates the name against SCHEMA_NAME_PATTERN.
  if (options.schema) await pg.exec(`SET search_path TO "${options.schema}"`);
  const root = bind(pg, what);
  return {
    engine: 'pglite',
    ...root,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      try {
        return await pg.transaction((tx) => fn(bind(tx, what)));
      } catch (err) {
        throw classifyDriverError(err, what);
      }
    },
    async listen(channel, handlers) {
      if (!CHANNEL_PATTERN.test(channel)) throw new Error(`invalid channel name: ${channel}`);
      // In-process: the connection cannot drop, so there is never a resync to report.
      const unlisten = await pg.listen(channel, (payload) => handlers.onNotify(payload));
      return {
        async close() {
          if (!pg.closed) await unlisten();
        },
      };
    },
    async close(): Promise<void> {
      if (!pg.closed) await pg.close();
    },
  };
}
