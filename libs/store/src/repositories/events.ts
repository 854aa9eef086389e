// The event log of each investigation: rows keyed by (investigation, seq), where seq is the SSE `id:`
// the client saw. Reads page forward from a seq for replay; writes are multi-row INSERTs, one statement
// per batch, so a batch lands whole or not at all (the EventWriter relies on that). A row whose seq is
// already stored is skipped: a batch retried after a commit whose answer was lost lands exactly once.
import { type StoredEvent, type StreamEvent } from '@foxhound/contracts';
import { type Queryable } from '../db/database';
import { StoreInputError } from '../errors';
import { num } from './rows';

/** An event already serialised, as the EventWriter keeps it between append and flush. */
export interface SerializedEvent {
  seq: number;
  type: StreamEvent['type'];
  json: string;
}

export const MAX_EVENTS_PER_INSERT = 1000;
const MAX_LIST_LIMIT = 5000;

/** One INSERT for the whole batch (at most MAX_EVENTS_PER_INSERT rows, 4 parameters each). */
export async function insertEvents(q: Queryable, investigationId: string, batch: readonly SerializedEvent[]) {
  if (batch.length === 0) return;
  if (batch.length > MAX_EVENTS_PER_INSERT) {
    throw new StoreInputError(`at most ${MAX_EVENTS_PER_INSERT} events per insert, got ${batch.length}`);
  }
  const params: unknown[] = [];
  const values = batch.map((e) => {
    params.push(investigationId, e.seq, e.type, e.json);
    const n = params.length;
    return `($${n - 3}, $${n - 2}, $${n - 1}, $${n}::json)`;
  });
  await q.query(
    `INSERT INTO events (investigation_id, seq, type, event) VALUES ${values.join(', ')}
     ON CONFLICT (investigation_id, seq) DO NOTHING`,
    params,
  );
}

export function createEventRepository(q: Queryable) {
  return {
    /** Events with seq > afterSeq, oldest first, at most `limit` (default 1000, max 5000) of them. */
    async list(
      investigationId: string,
      { afterSeq = 0, limit = 1000 }: { afterSeq?: number; limit?: number } = {},
    ): Promise<StoredEvent[]> {
      if (!Number.isInteger(afterSeq) || afterSeq < 0)
        throw new StoreInputError('afterSeq must be an integer >= 0');
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
        throw new StoreInputError(`limit must be an integer between 1 and ${MAX_LIST_LIMIT}`);
      }
      const { rows } = await q.query<{ seq: number; event: StreamEvent }>(
        'SELECT seq, event FROM events WHERE investigation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
        [investigationId, afterSeq, limit],
      );
      return rows.map((r) => ({ seq: num(r.seq), event: r.event }));
    },

    /** The highest stored seq, 0 when the investigation has no events. */
    async lastSeq(investigationId: string): Promise<number> {
      const { rows } = await q.query<{ last: number }>(
        'SELECT COALESCE(MAX(seq), 0)::int AS last FROM events WHERE investigation_id = $1',
        [investigationId],
      );
      return num(rows[0]?.last ?? 0);
    },

    /** Writes events whose seq the caller assigned, in one statement. The EventWriter batches for you. */
    async insert(investigationId: string, events: readonly StoredEvent[]): Promise<void> {
      await insertEvents(
        q,
        investigationId,
        events.map((e) => ({ seq: e.seq, type: e.event.type, json: JSON.stringify(e.event) })),
      );
    },
  };
}
export type EventRepository = ReturnType<typeof createEventRepository>;
