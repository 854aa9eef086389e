// Proposals and their lifecycle. State changes are compare-and-set under a row lock: of two approvers
// racing, exactly one wins, and the loser learns the state it lost to. Every change writes a transition
// row and an audit entry in the same transaction, so history, state and audit cannot disagree.
import { z } from 'zod';
import {
  PROPOSAL_TRANSITIONS,
  ProposalSchema,
  ProposalStateSchema,
  type ProposalState,
  RoleSchema,
  type StoredProposal,
} from '@foxhound/contracts';
import { type Queryable, type Row } from '../db/database';
import { StoreConflictError, StoreInputError } from '../errors';
import { appendAudit } from './audit';
import { compact, iso, json, opt, optIso, param, parseInput } from './rows';
import { type Session } from './session';

export const RecordProposalSchema = z.object({
  investigationId: z.string().min(1),
  proposal: ProposalSchema,
  /** Who reported it, usually `executor:<sandbox>`. */
  actor: z.string().min(1).max(200),
  /** After this instant it can no longer be approved; `expireDue` moves it to `expired`. */
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  requestId: z.string().max(255).optional(),
});
export type RecordProposal = z.input<typeof RecordProposalSchema>;

export const TransitionSchema = z.object({
  id: z.string().min(1),
  /** The states the caller expects it to be in; the move happens only from one of them. */
  from: z.array(ProposalStateSchema).min(1),
  to: ProposalStateSchema,
  actor: z.string().min(1).max(200),
  actorRole: RoleSchema.optional(),
  reason: z.string().max(2000).optional(),
  requestId: z.string().max(255).optional(),
});
export type TransitionRequest = z.input<typeof TransitionSchema>;

export interface TransitionResult {
  /** True for exactly one of several concurrent callers asking for the same move. */
  won: boolean;
  /** The proposal after the attempt (null when there is no such proposal). */
  proposal: StoredProposal | null;
}

const ListSchema = z.object({
  investigationId: z.string().optional(),
  state: ProposalStateSchema.optional(),
  limit: z.number().int().min(1).max(500).default(100),
});
export type ProposalListQuery = z.input<typeof ListSchema>;

const NOW_MS = `date_trunc('milliseconds', now())`;
const SELECT = `SELECT p.id, p.investigation_id, p.state, p.proposal, p.expires_at, p.created_at, p.updated_at,
  (SELECT json_agg(json_build_object('from', t.from_state, 'to', t.to_state, 'actor', t.actor,
     'reason', t.reason, 'at', t.at) ORDER BY t.id)
   FROM proposal_transitions t WHERE t.proposal_id = p.id) AS history
  FROM proposals p`;
const EXPIRE_BATCH = 100;

async function load(q: Queryable, id: string): Promise<StoredProposal | null> {
  const { rows } = await q.query(`${SELECT} WHERE p.id = $1`, [id]);
  return rows[0] ? toStored(rows[0]) : null;
}

async function move(
  tx: Queryable,
  row: { id: string; investigationId: string; from?: ProposalState },
  t: {
    to: ProposalState;
    actor: string;
    actorRole?: z.infer<typeof RoleSchema>;
    reason?: string;
    requestId?: string;
  },
): Promise<void> {
  if (row.from)
    await tx.query(`UPDATE proposals SET state = $2, updated_at = ${NOW_MS} WHERE id = $1`, [row.id, t.to]);
  await tx.query(
    'INSERT INTO proposal_transitions (proposal_id, from_state, to_state, actor, reason) VALUES ($1, $2, $3, $4, $5)',
    [row.id, row.from ?? null, t.to, t.actor, t.reason ?? null],
  );
  await appendAudit(tx, {
    kind: t.to === 'approved' || t.to === 'rejected' ? 'decision' : 'transition',
    actor: t.actor,
    actorRole: t.actorRole,
    action: `proposal.${t.to}`,
    investigationId: row.investigationId,
    target: `proposal/${row.id}`,
    requestId: t.requestId,
    details: compact({ from: row.from, to: t.to, reason: t.reason }),
  });
}

export function createProposalRepository(session: Session) {
  return {
    /** Stores a proposal as `proposed`. Recording the same id for the same investigation again is a no-op. */
    async record(input: RecordProposal): Promise<StoredProposal> {
      const r = parseInput(RecordProposalSchema, input, 'proposal');
      return session.atomic(async (tx) => {
        const { action } = r.proposal;
        const { rows } = await tx.query(
          `INSERT INTO proposals (id, investigation_id, state, action_type, target_namespace, target_name,
             proposal, expires_at)
           VALUES ($1, $2, 'proposed', $3, $4, $5, $6::json, $7::timestamptz)
           ON CONFLICT (id) DO NOTHING RETURNING id`,
          [
            r.proposal.id,
            r.investigationId,
            action.type,
            action.namespace,
            action.name,
            json({ ...r.proposal, investigationId: r.investigationId }),
            r.expiresAt ?? null,
          ],
        );
        if (rows.length === 1) {
          await move(
            tx,
            { id: r.proposal.id, investigationId: r.investigationId },
            { to: 'proposed', actor: r.actor, requestId: r.requestId },
          );
        }
        const stored = await load(tx, r.proposal.id);
        if (!stored || stored.investigationId !== r.investigationId) {
          throw new StoreConflictError(`proposal ${r.proposal.id} already belongs to another investigation`);
        }
        return stored;
      });
    },

    async get(id: string): Promise<StoredProposal | null> {
      return load(session, id);
    },

    /** Oldest first: an investigation's proposals, or every proposal in a state (the approval inbox). */
    async list(query: ProposalListQuery = {}): Promise<StoredProposal[]> {
      const q = parseInput(ListSchema, query, 'proposal query');
      const params: unknown[] = [];
      const where: string[] = [];
      if (q.investigationId) where.push(`p.investigation_id = ${param(params, q.investigationId)}`);
      if (q.state) where.push(`p.state = ${param(params, q.state)}`);
      const { rows } = await session.query(
        `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY p.created_at, p.id LIMIT ${param(params, q.limit)}`,
        params,
      );
      return rows.map(toStored);
    },

    /**
     * Moves the proposal to `to` if it is in one of `from` (and, for an approval, not past its expiry).
     * Refuses moves the lifecycle does not allow (StoreInputError); losing a race is not an error.
     */
    async transition(request: TransitionRequest): Promise<TransitionResult> {
      const t = parseInput(TransitionSchema, request, 'proposal transition');
      const illegal = t.from.filter((from) => !PROPOSAL_TRANSITIONS[from].includes(t.to));
      if (illegal.length > 0) {
        throw new StoreInputError(`a proposal cannot go from ${illegal.join(' or ')} to ${t.to}`);
      }
      return session.atomic(async (tx) => {
        const { rows } = await tx.query<{ state: ProposalState; investigation_id: string; expired: boolean }>(
          `SELECT state, investigation_id, COALESCE(expires_at <= now(), false) AS expired
           FROM proposals WHERE id = $1 FOR UPDATE`,
          [t.id],
        );
        const current = rows[0];
        if (!current) return { won: false, proposal: null };
        const won = t.from.includes(current.state) && !(t.to === 'approved' && current.expired);
        if (won)
          await move(tx, { id: t.id, investigationId: current.investigation_id, from: current.state }, t);
        return { won, proposal: await load(tx, t.id) };
      });
    },

    /** Moves proposals past their expiry from proposed/approved to expired, at most 100 per call. */
    async expireDue(actor = 'system'): Promise<string[]> {
      return session.atomic(async (tx) => {
        const { rows } = await tx.query<{ id: string; state: ProposalState; investigation_id: string }>(
          `SELECT id, state, investigation_id FROM proposals
           WHERE state IN ('proposed', 'approved') AND expires_at <= now()
           ORDER BY expires_at LIMIT ${EXPIRE_BATCH} FOR UPDATE`,
        );
        for (const r of rows) {
          await move(
            tx,
            { id: r.id, investigationId: r.investigation_id, from: r.state },
            { to: 'expired', actor },
          );
        }
        return rows.map((r) => r.id);
      });
    },
  };
}
export type ProposalRepository = ReturnType<typeof createProposalRepository>;

interface HistoryRow {
  from: ProposalState | null;
  to: ProposalState;
  actor: string;
  reason: string | null;
  at: string;
}

function toStored(r: Row): StoredProposal {
  const history = ((r.history as HistoryRow[] | null) ?? []).map((h) =>
    compact({ from: opt(h.from), to: h.to, actor: h.actor, reason: opt(h.reason), at: iso(h.at) }),
  );
  const decided = history.filter((h) => h.to === 'approved' || h.to === 'rejected').pop();
  return compact({
    proposal: r.proposal as StoredProposal['proposal'],
    investigationId: r.investigation_id as string,
    state: r.state as ProposalState,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    expiresAt: optIso(r.expires_at),
    decision: decided
      ? compact({
          approved: decided.to === 'approved',
          actor: decided.actor,
          reason: decided.reason,
          at: decided.at,
        })
      : undefined,
    history,
  });
}
