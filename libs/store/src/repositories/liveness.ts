// Which running investigations still have a gateway process behind them. A runner renews a lease on
// the investigations it runs (`heartbeat`); `sweep` finishes those whose lease lapsed, because the
// process that ran them died or lost the store for longer than the lease: each becomes `interrupted`
// with the reason, its stream gets a terminal `error` event, and the chain gets an audit entry, all in
// one transaction, so a replay never waits forever on an investigation nobody runs.
import { makeEvent } from '@foxhound/contracts';
import { type Queryable } from '../db/database';
import { StoreInputError } from '../errors';
import { appendAudit } from './audit';
import { insertEvents } from './events';
import { num, param } from './rows';
import { type Session } from './session';

export interface SweepRequest {
  /** A running investigation whose lease is older than this is orphaned. */
  staleMs: number;
  /** Investigations the caller runs itself, never swept whatever their lease says. */
  exclude?: readonly string[];
  /** Who sweeps, for the audit entry: `gateway:<runner id>`. */
  actor: string;
}

export interface SweptInvestigation {
  id: string;
  threadId: string;
}

export const SWEEP_ERROR_CODE = 'executor_gone';
const SWEEP_BATCH = 100;
const MAX_EXCLUDED = 1000;

export function createLivenessRepository(session: Session) {
  return {
    /** Renews the lease of these running investigations for `runnerId`; returns how many it renewed. */
    async heartbeat(runnerId: string, ids: readonly string[]): Promise<number> {
      if (ids.length === 0) return 0;
      if (ids.length > MAX_EXCLUDED) throw new StoreInputError(`at most ${MAX_EXCLUDED} ids per heartbeat`);
      const params: unknown[] = [runnerId];
      const list = ids.map((id) => param(params, id)).join(', ');
      const { rowCount } = await session.query(
        `UPDATE investigations SET runner_id = $1, heartbeat_at = now()
         WHERE status = 'running' AND id IN (${list})`,
        params,
      );
      return rowCount;
    },

    /** Finishes up to 100 orphaned investigations (see the file comment); returns them. */
    async sweep(request: SweepRequest): Promise<SweptInvestigation[]> {
      const exclude = request.exclude ?? [];
      if (!Number.isInteger(request.staleMs) || request.staleMs < 1000)
        throw new StoreInputError('staleMs must be an integer of at least 1000');
      if (exclude.length > MAX_EXCLUDED) throw new StoreInputError(`at most ${MAX_EXCLUDED} excluded ids`);
      return session.atomic(async (tx) => {
        const params: unknown[] = [request.staleMs];
        const excluded = exclude.length
          ? `AND id NOT IN (${exclude.map((id) => param(params, id)).join(', ')})`
          : '';
        // SKIP LOCKED: two replicas sweeping at once take disjoint rows instead of queueing.
        const { rows } = await tx.query<{ id: string; thread_id: string; runner_id: string | null }>(
          `SELECT id, thread_id, runner_id FROM investigations
           WHERE status = 'running'
             AND COALESCE(heartbeat_at, created_at) < now() - ($1::int * interval '1 millisecond')
             ${excluded}
           ORDER BY created_at LIMIT ${SWEEP_BATCH} FOR UPDATE SKIP LOCKED`,
          params,
        );
        for (const row of rows) await finishOrphan(tx, row, request.actor);
        return rows.map((r) => ({ id: r.id, threadId: r.thread_id }));
      });
    },
  };
}
export type LivenessRepository = ReturnType<typeof createLivenessRepository>;

async function finishOrphan(
  tx: Queryable,
  row: { id: string; thread_id: string; runner_id: string | null },
  actor: string,
): Promise<void> {
  const message =
    'The gateway running this investigation stopped vouching for it (it exited or lost the store), so it was ended. Ask again on this thread to continue.';
  await tx.query(
    `UPDATE investigations SET status = 'interrupted', error_message = $2, error_code = $3,
       updated_at = date_trunc('milliseconds', now()), completed_at = date_trunc('milliseconds', now())
     WHERE id = $1`,
    [row.id, message, SWEEP_ERROR_CODE],
  );
  const { rows } = await tx.query<{ seq: number; type: string }>(
    'SELECT seq, type FROM events WHERE investigation_id = $1 ORDER BY seq DESC LIMIT 1',
    [row.id],
  );
  const last = rows[0];
  // A stream that already ended keeps its end; otherwise it gets one, after its last stored event.
  if (last?.type !== 'result' && last?.type !== 'error') {
    const event = makeEvent('error', { message, recoverable: true, code: SWEEP_ERROR_CODE }, row.thread_id);
    await insertEvents(tx, row.id, [
      { seq: num(last?.seq ?? 0) + 1, type: 'error', json: JSON.stringify(event) },
    ]);
  }
  await appendAudit(tx, {
    kind: 'system',
    actor,
    action: 'investigation.swept',
    outcome: 'failure',
    investigationId: row.id,
    details: { reason: SWEEP_ERROR_CODE, ...(row.runner_id ? { runner: row.runner_id } : {}) },
  });
}
