// The audit trail: append-only, one chain. An append locks the chain head row, so concurrent appends
// (from any number of gateway replicas) queue and each links to the one before. `verify` walks the
// chain from the start and names the first entry that no longer fits.
import { z } from 'zod';
import {
  type AuditEntry,
  AuditKindSchema,
  AuditListQuerySchema,
  type AuditListQuery,
  AuditOutcomeSchema,
  type AuditPage,
  type AuditVerifyResult,
  RoleSchema,
} from '@foxhound/contracts';
import { type Queryable, type Row } from '../db/database';
import { StoreInputError } from '../errors';
import { canonicalJson, GENESIS_HASH, hashEntry, normaliseDetails, type UnhashedEntry } from './audit-chain';
import { decodeCursor, encodeCursor } from './cursor';
import { compact, iso, num, opt, param, parseInput } from './rows';
import { type Session } from './session';

export const AuditInputSchema = z.object({
  kind: AuditKindSchema,
  actor: z.string().min(1).max(200),
  actorRole: RoleSchema.optional(),
  action: z.string().min(1).max(200),
  outcome: AuditOutcomeSchema.default('success'),
  investigationId: z.string().max(128).optional(),
  target: z.string().max(300).optional(),
  requestId: z.string().max(255).optional(),
  details: z.record(z.string(), z.unknown()).default({}),
  /**
   * Makes the append idempotent: an entry whose key is already in the chain is skipped, so a batch
   * retried after a commit whose answer was lost lands once. Bookkeeping only, not part of the hash.
   */
  dedupKey: z.string().min(1).max(300).optional(),
});
export type AuditInput = z.input<typeof AuditInputSchema>;

const COLUMNS = `seq, at, kind, actor, actor_role, action, outcome, investigation_id, target, request_id,
  details, prev_hash, hash`;
const VERIFY_PAGE = 1000;
const CursorShape = z.tuple([z.number().int().positive()]);

/** Appends inside an open transaction: the caller's writes and their audit entry commit together. */
export async function appendAudit(tx: Queryable, input: AuditInput, now = new Date()): Promise<AuditEntry> {
  const [entry] = await appendAuditBatch(tx, [input], now);
  if (entry) return entry;
  // Skipped as a duplicate: the entry the chain already holds under that key.
  const { rows } = await tx.query(`SELECT ${COLUMNS} FROM audit_log WHERE dedup_key = $1`, [input.dedupKey]);
  return toEntry(rows[0]!);
}

/**
 * Appends several entries in order inside an open transaction: the head is read and locked once,
 * each entry is chained to the one before it, and all are written in one INSERT.
 */
export async function appendAuditBatch(
  tx: Queryable,
  inputs: readonly AuditInput[],
  now = new Date(),
): Promise<AuditEntry[]> {
  if (inputs.length === 0) return [];
  const all = inputs.map((input) => parseInput(AuditInputSchema, input, 'audit entry'));
  const { rows } = await tx.query<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM audit_head FOR UPDATE',
  );
  // Read under the head's lock: no concurrent append can add one of these keys in between.
  const present = await presentKeys(tx, all);
  const parsed = all.filter((a) => !a.dedupKey || !present.has(a.dedupKey));
  if (parsed.length === 0) return [];
  const head = rows[0];
  if (!head) throw new Error('audit_head row is missing: the schema was altered outside migrations');
  let seq = num(head.seq);
  let prevHash = head.hash;
  const entries = parsed.map((a) => {
    const unhashed: UnhashedEntry = compact({
      seq: ++seq,
      at: now.toISOString(),
      kind: a.kind,
      actor: a.actor,
      actorRole: a.actorRole,
      action: a.action,
      outcome: a.outcome,
      investigationId: a.investigationId,
      target: a.target,
      requestId: a.requestId,
      details: normaliseDetails(a.details),
      prevHash,
    });
    const entry: AuditEntry = { ...unhashed, hash: hashEntry(unhashed) };
    prevHash = entry.hash;
    return entry;
  });
  const params: unknown[] = [];
  const values = entries.map((entry, i) => {
    const base = params.length;
    params.push(
      entry.seq,
      entry.at,
      entry.kind,
      entry.actor,
      entry.actorRole ?? null,
      entry.action,
      entry.outcome,
      entry.investigationId ?? null,
      entry.target ?? null,
      entry.requestId ?? null,
      canonicalJson(entry.details),
      entry.prevHash,
      entry.hash,
      parsed[i]?.dedupKey ?? null,
    );
    const p = (n: number) => `$${base + n}`;
    return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}, ${p(9)}, ${p(10)}, ${p(11)}::json, ${p(12)}, ${p(13)}, ${p(14)})`;
  });
  await tx.query(`INSERT INTO audit_log (${COLUMNS}, dedup_key) VALUES ${values.join(', ')}`, params);
  const last = entries[entries.length - 1]!;
  await tx.query('UPDATE audit_head SET seq = $1, hash = $2', [last.seq, last.hash]);
  return entries;
}

/** The dedup keys among `entries` that the chain already holds. */
async function presentKeys(tx: Queryable, entries: readonly { dedupKey?: string }[]): Promise<Set<string>> {
  const keys = entries.flatMap((e) => (e.dedupKey ? [e.dedupKey] : []));
  if (keys.length === 0) return new Set();
  const params: unknown[] = [];
  const list = keys.map((k) => param(params, k)).join(', ');
  const { rows } = await tx.query<{ dedup_key: string }>(
    `SELECT dedup_key FROM audit_log WHERE dedup_key IN (${list})`,
    params,
  );
  return new Set(rows.map((r) => r.dedup_key));
}

export function createAuditRepository(session: Session) {
  async function head(): Promise<{ seq: number; hash: string }> {
    const { rows } = await session.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_head');
    return { seq: num(rows[0]?.seq ?? 0), hash: rows[0]?.hash ?? GENESIS_HASH };
  }

  return {
    async append(input: AuditInput): Promise<AuditEntry> {
      return session.atomic((tx) => appendAudit(tx, input));
    },

    /** Appends entries in order in one transaction (at most 500 at a time). */
    async appendMany(inputs: readonly AuditInput[]): Promise<AuditEntry[]> {
      if (inputs.length > 500) throw new StoreInputError('at most 500 audit entries per batch');
      return session.atomic((tx) => appendAuditBatch(tx, inputs));
    },

    /** The newest entry's seq and hash: worth exporting elsewhere, since a chain can only prove what it was anchored to. */
    head,

    /** Newest first, filtered, keyset-paginated on seq. */
    async list(query: AuditListQuery = {}): Promise<AuditPage> {
      const q = parseInput(AuditListQuerySchema, query, 'audit query');
      const params: unknown[] = [];
      const where: string[] = [];
      if (q.kind) where.push(`kind = ${param(params, q.kind)}`);
      if (q.actor) where.push(`actor = ${param(params, q.actor)}`);
      if (q.action) where.push(`action = ${param(params, q.action)}`);
      if (q.investigationId) where.push(`investigation_id = ${param(params, q.investigationId)}`);
      if (q.after) where.push(`at >= ${param(params, q.after)}::timestamptz`);
      if (q.before) where.push(`at < ${param(params, q.before)}::timestamptz`);
      if (q.cursor) where.push(`seq < ${param(params, decodeCursor(q.cursor, CursorShape)[0])}`);
      const { rows } = await session.query(
        `SELECT ${COLUMNS} FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY seq DESC LIMIT ${param(params, q.limit + 1)}`,
        params,
      );
      const items = rows.slice(0, q.limit).map(toEntry);
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > q.limit && last ? encodeCursor([last.seq]) : null };
    },

    /**
     * Walks the chain up to the head as it was when the walk started (entries appended meanwhile are
     * left for the next run) and reports the first entry that breaks it.
     */
    async verify(): Promise<AuditVerifyResult> {
      const anchor = await head();
      let expectedSeq = 1;
      let prevHash = GENESIS_HASH;
      let checked = 0;
      const broken = (
        seq: number,
        reason: NonNullable<AuditVerifyResult['broken']>['reason'],
        detail: string,
      ) => ({
        ok: false,
        checked,
        head: anchor,
        broken: { seq, reason, detail },
      });
      while (expectedSeq <= anchor.seq) {
        const { rows } = await session.query(
          `SELECT ${COLUMNS} FROM audit_log WHERE seq >= $1 AND seq <= $2 ORDER BY seq LIMIT ${VERIFY_PAGE}`,
          [expectedSeq, anchor.seq],
        );
        if (rows.length === 0) break;
        for (const row of rows) {
          const entry = toEntry(row);
          if (entry.seq !== expectedSeq) {
            return broken(expectedSeq, 'sequence_gap', `entry ${expectedSeq} is missing: it was deleted`);
          }
          if (entry.prevHash !== prevHash) {
            return broken(
              entry.seq,
              'prev_hash_mismatch',
              `entry ${entry.seq} does not point at entry ${entry.seq - 1}'s hash: one of them was replaced`,
            );
          }
          const { hash, ...unhashed } = entry;
          if (hashEntry(unhashed) !== hash) {
            return broken(entry.seq, 'hash_mismatch', `entry ${entry.seq} was changed after it was written`);
          }
          prevHash = hash;
          expectedSeq += 1;
          checked += 1;
        }
      }
      if (expectedSeq <= anchor.seq || prevHash !== anchor.hash) {
        return broken(
          expectedSeq,
          'head_mismatch',
          `the chain ends at entry ${expectedSeq - 1} but its head records entry ${anchor.seq}: newer entries were deleted or replaced`,
        );
      }
      return { ok: true, checked, head: anchor };
    },
  };
}
export type AuditRepository = ReturnType<typeof createAuditRepository>;

function toEntry(r: Row): AuditEntry {
  return compact({
    seq: num(r.seq),
    at: iso(r.at),
    kind: r.kind as AuditEntry['kind'],
    actor: r.actor as string,
    actorRole: opt(r.actor_role as AuditEntry['actorRole'] | null),
    action: r.action as string,
    outcome: r.outcome as AuditEntry['outcome'],
    investigationId: opt(r.investigation_id as string | null),
    target: opt(r.target as string | null),
    requestId: opt(r.request_id as string | null),
    details: r.details as Record<string, unknown>,
    prevHash: r.prev_hash as string,
    hash: r.hash as string,
  });
}
