// The seam between repositories and a database engine: the same SQL runs on PGlite (pglite.ts) and on
// PostgreSQL through a pg Pool (postgres.ts). Repositories see only `Queryable`.
export type Row = Record<string, unknown>;

export interface QueryResult<R extends Row = Row> {
  rows: R[];
  /** Rows returned by a SELECT or changed by an INSERT/UPDATE/DELETE. */
  rowCount: number;
}

export interface Queryable {
  /** One statement with `$1`-style parameters. Pass JSON as a string and cast it (`$2::json`). */
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** A script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export type Engine = 'pglite' | 'postgres';

export interface ListenHandlers {
  /** A notification's payload on the channel listened to. */
  onNotify(payload: string): void;
  /** The listening connection came back after it was lost: notifications sent meanwhile were missed. */
  onResync(): void;
}

export interface Listener {
  /** Stops listening; idempotent. */
  close(): Promise<void>;
}

export interface Database extends Queryable {
  readonly engine: Engine;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * LISTENs on `channel` (a lower-case identifier). Absent on wrappers that only intercept queries
   * (test faults); the store then listens through the database it opened.
   */
  listen?(channel: string, handlers: ListenHandlers): Promise<Listener>;
  /** Idempotent. Queries after close fail with StoreUnavailableError. */
  close(): Promise<void>;
}

/** A schema name we can splice into SQL as an identifier without quoting surprises. */
/** A channel name we can splice into LISTEN as an identifier. */
export const CHANNEL_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

export const SCHEMA_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;
