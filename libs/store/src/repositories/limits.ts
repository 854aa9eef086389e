// Limits shared by every gateway replica on one database. Rates use GCRA, the token bucket kept as a
// single timestamp per key: one upsert decides and records a request, with the database's clock, so
// replicas neither race nor disagree about time. Concurrency slots are rows: acquiring one counts the
// pool's rows under a per-pool advisory lock, so two replicas cannot both take the last slot; a holder
// renews its slots, and slots nobody renewed for `staleMs` (their replica died) are reclaimed.
import { StoreInputError } from '../errors';
import { newId, num } from './rows';
import { type Session } from './session';

export interface RateDecision {
  allowed: boolean;
  /** Seconds until one more request would be allowed (0 when allowed). */
  retryAfterSeconds: number;
}

export type SlotResult = { acquired: true; slotId: string } | { acquired: false; inUse: number };

const NOW_MS = `(extract(epoch FROM clock_timestamp()) * 1000)::float8`;
const KEY_MAX = 300;
const MAX_IDS = 1000;

function checkKey(key: string, what: string): void {
  if (key.length === 0 || key.length > KEY_MAX)
    throw new StoreInputError(`${what} must be 1..${KEY_MAX} characters`);
}

export function createLimitsRepository(session: Session) {
  return {
    /** Takes one request for `key` from a bucket of `perMinute` that refills continuously. */
    async take(key: string, perMinute: number): Promise<RateDecision> {
      checkKey(key, 'rate limit key');
      if (!Number.isInteger(perMinute) || perMinute < 1)
        throw new StoreInputError('perMinute must be an integer >= 1');
      const interval = 60_000 / perMinute;
      const tolerance = interval * (perMinute - 1);
      // Allowed when tat - tolerance <= now: the row moves to max(tat, now) + interval. Refused: the
      // WHERE fails, nothing changes and nothing is returned.
      const { rows } = await session.query(
        `INSERT INTO rate_limits AS r (key, tat) VALUES ($1, ${NOW_MS} + $2::float8)
         ON CONFLICT (key) DO UPDATE SET tat = GREATEST(r.tat, EXCLUDED.tat - $2::float8) + $2::float8
         WHERE r.tat - $3::float8 <= EXCLUDED.tat - $2::float8
         RETURNING tat`,
        [key, interval, tolerance],
      );
      if (rows.length > 0) return { allowed: true, retryAfterSeconds: 0 };
      const wait = await session.query<{ wait: number }>(
        `SELECT tat - $2::float8 - ${NOW_MS} AS wait FROM rate_limits WHERE key = $1`,
        [key, tolerance],
      );
      return { allowed: false, retryAfterSeconds: Math.max(0, num(wait.rows[0]?.wait ?? 0)) / 1000 };
    },

    /** Forgets keys whose bucket is full again (nothing to remember); returns how many. */
    async pruneRates(): Promise<number> {
      const { rowCount } = await session.query(`DELETE FROM rate_limits WHERE tat < ${NOW_MS}`);
      return rowCount;
    },

    /** A slot in `pool` for `runnerId` when fewer than `max` are held, else how many are. */
    async acquireSlot(request: {
      pool: string;
      max: number;
      runnerId: string;
      staleMs: number;
    }): Promise<SlotResult> {
      checkKey(request.pool, 'pool');
      checkKey(request.runnerId, 'runnerId');
      if (!Number.isInteger(request.max) || request.max < 1)
        throw new StoreInputError('max must be an integer >= 1');
      if (!Number.isInteger(request.staleMs) || request.staleMs < 1000)
        throw new StoreInputError('staleMs must be an integer of at least 1000');
      return session.atomic(async (tx) => {
        // Per schema and pool: advisory locks are database-wide.
        await tx.query(
          `SELECT pg_advisory_xact_lock(hashtext('foxhound:slots:' || current_schema() || ':' || $1))`,
          [request.pool],
        );
        await tx.query(
          `DELETE FROM run_slots WHERE pool = $1 AND heartbeat_at < now() - ($2::int * interval '1 millisecond')`,
          [request.pool, request.staleMs],
        );
        const { rows } = await tx.query<{ held: number }>(
          'SELECT count(*)::int AS held FROM run_slots WHERE pool = $1',
          [request.pool],
        );
        const held = num(rows[0]?.held ?? 0);
        if (held >= request.max) return { acquired: false, inUse: held };
        const slotId = newId('slot');
        await tx.query('INSERT INTO run_slots (id, pool, runner_id) VALUES ($1, $2, $3)', [
          slotId,
          request.pool,
          request.runnerId,
        ]);
        return { acquired: true, slotId };
      });
    },

    /** Frees a slot; false when it was already gone (released, or reclaimed as stale). */
    async releaseSlot(slotId: string): Promise<boolean> {
      const { rowCount } = await session.query('DELETE FROM run_slots WHERE id = $1', [slotId]);
      return rowCount > 0;
    },

    /** Renews the runner's slots among `slotIds`; returns how many still existed. */
    async renewSlots(runnerId: string, slotIds: readonly string[]): Promise<number> {
      if (slotIds.length === 0) return 0;
      if (slotIds.length > MAX_IDS) throw new StoreInputError(`at most ${MAX_IDS} slots per renewal`);
      const { rowCount } = await session.query(
        'UPDATE run_slots SET heartbeat_at = now() WHERE runner_id = $1 AND id = ANY($2::text[])',
        [runnerId, [...slotIds]],
      );
      return rowCount;
    },

    /** Slots held in `pool` now, stale ones included. */
    async slotsInUse(pool: string): Promise<number> {
      const { rows } = await session.query<{ held: number }>(
        'SELECT count(*)::int AS held FROM run_slots WHERE pool = $1',
        [pool],
      );
      return num(rows[0]?.held ?? 0);
    },
  };
}
export type LimitsRepository = ReturnType<typeof createLimitsRepository>;
