// Which investigations got new stored events, as PostgreSQL tells every listener (migration 003's
// trigger notifies `foxhound_events` with `<schema> <investigation id> <last seq>` at each commit).
// Several stores may share one database in different schemas, so a listener keeps only its own.
import { type Database, type Listener } from './db/database';

export const EVENTS_CHANNEL = 'foxhound_events';

export interface StoredEventsNotice {
  investigationId: string;
  /** The highest seq the notifying statement stored. */
  lastSeq: number;
}

export interface EventFeedHandlers {
  onEvents(notice: StoredEventsNotice): void;
  /** Notices may have been missed (the listening connection was lost and is back): read again. */
  onResync(): void;
}

/** The notice in a payload for `schema`, or undefined when it is another schema's or malformed. */
export function parseEventsPayload(payload: string, schema: string): StoredEventsNotice | undefined {
  const [from, investigationId, seq, ...rest] = payload.split(' ');
  if (from !== schema || !investigationId || rest.length > 0) return undefined;
  const lastSeq = Number(seq);
  return Number.isInteger(lastSeq) && lastSeq > 0 ? { investigationId, lastSeq } : undefined;
}

export async function listenForEvents(db: Database, handlers: EventFeedHandlers): Promise<Listener> {
  if (!db.listen) throw new Error(`the ${db.engine} database cannot listen`);
  const { rows } = await db.query<{ schema: string }>('SELECT current_schema() AS schema');
  const schema = rows[0]?.schema ?? 'public';
  return db.listen(EVENTS_CHANNEL, {
    onNotify: (payload) => {
      const notice = parseEventsPayload(payload, schema);
      if (notice) handlers.onEvents(notice);
    },
    onResync: () => handlers.onResync(),
  });
}
