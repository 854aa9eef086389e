// The store: opens PGlite or PostgreSQL, applies migrations, and hands out repositories bound to the
// database or to one transaction. It also owns the event writers it opened, so close() flushes them
// before the connection goes.
import { type Database, type Listener } from './db/database';
import { listenForEvents, type EventFeedHandlers } from './event-feed';
import { openPglite } from './db/pglite';
import { openPostgres } from './db/postgres';
import { StoreConflictError, StoreInputError, StoreUnavailableError } from './errors';
import { StoreOptionsSchema, type StoreOptions } from './config';
import { migrate } from './migrations/migrate';
import { createApiKeyRepository } from './repositories/api-keys';
import { createAuditRepository } from './repositories/audit';
import { EventWriter, type EventWriterOptions } from './repositories/event-writer';
import { createEventRepository } from './repositories/events';
import { createInvestigationRepository } from './repositories/investigations';
import { createLimitsRepository } from './repositories/limits';
import { createLivenessRepository } from './repositories/liveness';
import { createProposalRepository } from './repositories/proposals';
import { databaseSession, type Session, transactionSession } from './repositories/session';

export interface Repositories {
  investigations: ReturnType<typeof createInvestigationRepository>;
  events: ReturnType<typeof createEventRepository>;
  proposals: ReturnType<typeof createProposalRepository>;
  apiKeys: ReturnType<typeof createApiKeyRepository>;
  audit: ReturnType<typeof createAuditRepository>;
  liveness: ReturnType<typeof createLivenessRepository>;
  limits: ReturnType<typeof createLimitsRepository>;
}

export interface Store extends Repositories {
  readonly engine: Database['engine'];
  /** The raw database, for tests and tools; services go through the repositories. */
  readonly db: Database;
  /** Runs `fn` with repositories bound to one transaction: all of its writes commit, or none. */
  transaction<T>(fn: (repos: Repositories) => Promise<T>): Promise<T>;
  /**
   * Opens the batching writer of an investigation's events, continuing after its last stored seq.
   * One writer per investigation per store: a second open is a StoreConflictError.
   */
  openEventWriter(investigationId: string, options?: EventWriterOptions): Promise<EventWriter>;
  /**
   * Calls `onEvents` whenever any process stores events of an investigation (a commit on this
   * database, in this schema), and `onResync` when notices may have been missed. Closed by close().
   */
  listenEvents(handlers: EventFeedHandlers): Promise<Listener>;
  /** Resolves when the database answers within `timeoutMs` (default 2000); StoreUnavailableError if not. */
  ping(timeoutMs?: number): Promise<void>;
  /** Flushes open event writers, then closes the database. Idempotent. */
  close(): Promise<void>;
}

export interface StoreHooks {
  /** Errors nobody awaits: idle PostgreSQL connections dropping, background event writes failing. */
  onError?: (err: Error, context: string) => void;
  /**
   * Wraps the opened database before the store uses it, after migrations: instrumentation, or a
   * fault at the network edge in tests (a connection that fails while "unplugged").
   */
  wrapDatabase?: (db: Database) => Database;
}

const repositories = (session: Session): Repositories => ({
  investigations: createInvestigationRepository(session),
  events: createEventRepository(session),
  proposals: createProposalRepository(session),
  apiKeys: createApiKeyRepository(session),
  audit: createAuditRepository(session),
  liveness: createLivenessRepository(session),
  limits: createLimitsRepository(session),
});

export async function createStore(options: StoreOptions = {}, hooks: StoreHooks = {}): Promise<Store> {
  const parsed = StoreOptionsSchema.safeParse(options);
  if (!parsed.success)
    throw new StoreInputError(`Invalid store options: ${parsed.error.issues.map(describeIssue).join('; ')}`);
  const o = parsed.data;
  const onError = hooks.onError ?? (() => undefined);
  const db = o.databaseUrl
    ? openPostgres({
        url: o.databaseUrl,
        schema: o.schema,
        poolMax: o.poolMax,
        connectTimeoutMs: o.connectTimeoutMs,
        statementTimeoutMs: o.statementTimeoutMs,
        onError,
      })
    : await openPglite({ dataDir: o.dataDir, schema: o.schema });
  try {
    if (o.migrate) await migrate(db, { schema: o.schema });
  } catch (err) {
    await db.close();
    throw err;
  }
  return assembleStore(hooks.wrapDatabase?.(db) ?? db, db, onError);
}

/** `db` serves every query; `opened` is the database before any wrapper, which listens. */
function assembleStore(
  db: Database,
  opened: Database,
  onError: (err: Error, context: string) => void,
): Store {
  const writers = new Map<string, EventWriter | 'opening'>();
  const listeners = new Set<Listener>();
  const root = repositories(databaseSession(db));
  let closing: Promise<void> | undefined;

  return {
    ...root,
    engine: db.engine,
    db,
    transaction: (fn) => db.transaction((tx) => fn(repositories(transactionSession(tx)))),

    async openEventWriter(investigationId, writerOptions = {}) {
      if (closing) throw new StoreUnavailableError('the store is closing');
      if (writers.has(investigationId)) {
        throw new StoreConflictError(`an event writer for ${investigationId} is already open`);
      }
      // Reserve the slot before the await, so two concurrent opens cannot both pass the check.
      writers.set(investigationId, 'opening');
      try {
        const startSeq = await root.events.lastSeq(investigationId);
        const writer = new EventWriter(
          db,
          investigationId,
          startSeq,
          {
            ...writerOptions,
            onError: (err, info) => {
              onError(
                err,
                `persist events of ${investigationId} (${info.pending} pending, fatal: ${info.fatal})`,
              );
              writerOptions.onError?.(err, info);
            },
          },
          () => writers.delete(investigationId),
        );
        writers.set(investigationId, writer);
        return writer;
      } catch (err) {
        writers.delete(investigationId);
        throw err;
      }
    },

    async listenEvents(handlers) {
      if (closing) throw new StoreUnavailableError('the store is closing');
      const listener = await listenForEvents(db.listen ? db : opened, handlers);
      const tracked: Listener = {
        close: () => {
          listeners.delete(tracked);
          return listener.close();
        },
      };
      listeners.add(tracked);
      return tracked;
    },

    async ping(timeoutMs = 2_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new StoreUnavailableError(`the database did not answer within ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      try {
        await Promise.race([db.query('SELECT 1'), timeout]);
      } catch (err) {
        throw err instanceof StoreUnavailableError
          ? err
          : new StoreUnavailableError('ping failed', { cause: err });
      } finally {
        clearTimeout(timer);
      }
    },

    close() {
      closing ??= (async () => {
        const open = [...writers.values()].filter((w): w is EventWriter => w instanceof EventWriter);
        const results = await Promise.allSettled(open.map((w) => w.close()));
        for (const r of results) {
          if (r.status === 'rejected') onError(r.reason as Error, 'flush events on close');
        }
        await Promise.all([...listeners].map((l) => l.close()));
        await db.close();
      })();
      return closing;
    },
  };
}

function describeIssue(issue: { path: PropertyKey[]; message: string }): string {
  return `${issue.path.map(String).join('.') || 'options'}: ${issue.message}`;
}
