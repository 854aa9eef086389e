// Investigations: one row per turn of a thread, from `running` to `completed | failed | interrupted`,
// with the report, findings counts, token and cost figures once it ends. Alert fingerprints dedupe: a
// partial unique index allows one running investigation per fingerprint, so duplicates cannot race.
import { z } from 'zod';
import {
  type FindingsSummary,
  GenericAlertSchema,
  type InvestigationDetail,
  InvestigationListQuerySchema,
  type InvestigationListQuery,
  type InvestigationPage,
  InvestigationReportSchema,
  InvestigationSourceSchema,
  type InvestigationSummary,
  ThreadIdSchema,
  UsageSchema,
} from '@foxhound/contracts';
import { type Row } from '../db/database';
import { StoreConflictError, sqlState, UNIQUE_VIOLATION } from '../errors';
import { decodeCursor, encodeCursor } from './cursor';
import { compact, ID_PATTERN, iso, json, newId, num, opt, optIso, param, parseInput } from './rows';
import { type Session } from './session';

export const NewInvestigationSchema = z.object({
  /** Chosen by the caller when it must know the id before the row exists; generated otherwise. */
  id: z.string().regex(ID_PATTERN).optional(),
  threadId: ThreadIdSchema,
  source: InvestigationSourceSchema,
  prompt: z.string().min(1).max(100_000),
  title: z.string().min(1).max(500).optional(),
  principal: z.string().max(200).optional(),
  alert: GenericAlertSchema.optional(),
  alertFingerprint: z.string().min(1).max(200).optional(),
  sandboxId: z.string().max(253).optional(),
});
export type NewInvestigation = z.input<typeof NewInvestigationSchema>;

export const InvestigationOutcomeSchema = z.object({
  status: z.enum(['completed', 'failed', 'interrupted']),
  report: InvestigationReportSchema.optional(),
  resultText: z.string().optional(),
  usage: UsageSchema.optional(),
  error: z.object({ message: z.string(), code: z.string().optional() }).optional(),
  provider: z.string().max(100).optional(),
  model: z.string().max(200).optional(),
  durationMs: z.number().nonnegative().optional(),
});
export type InvestigationOutcome = z.input<typeof InvestigationOutcomeSchema>;

export interface CreatedInvestigation {
  investigation: InvestigationDetail;
  /** False when an investigation for the same alert fingerprint was already running: that one is returned. */
  created: boolean;
}

const SUMMARY_COLUMNS = `id, thread_id, status, source, title, principal, alert_fingerprint, sandbox_id,
  created_at, updated_at, completed_at, root_cause, healthy, findings_summary, input_tokens, output_tokens,
  cache_read_tokens, cache_creation_tokens, cost_usd, model_calls`;
const DETAIL_COLUMNS = `${SUMMARY_COLUMNS}, prompt, alert, report, result_text, error_message, error_code,
  provider, model, duration_ms`;
const NOW_MS = `date_trunc('milliseconds', now())`;
const OPEN_FINGERPRINT = `(alert_fingerprint) WHERE status = 'running' AND alert_fingerprint IS NOT NULL`;
const CursorShape = z.tuple([z.iso.datetime(), z.string()]);
const EMPTY_FINDINGS: FindingsSummary = { total: 0, critical: 0, high: 0, medium: 0, low: 0, info: 0 };

export function createInvestigationRepository(session: Session) {
  async function insert(input: z.output<typeof NewInvestigationSchema>): Promise<Row | undefined> {
    const title = input.title ?? input.alert?.title ?? firstLine(input.prompt);
    try {
      const { rows } = await session.query(
        `INSERT INTO investigations
           (id, thread_id, source, title, prompt, principal, alert, alert_fingerprint, sandbox_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7::json, $8, $9)
         ON CONFLICT ${OPEN_FINGERPRINT} DO NOTHING
         RETURNING ${DETAIL_COLUMNS}`,
        [
          input.id ?? newId('inv'),
          input.threadId,
          input.source,
          title,
          input.prompt,
          input.principal ?? null,
          json(input.alert),
          input.alertFingerprint ?? null,
          input.sandboxId ?? null,
        ],
      );
      return rows[0];
    } catch (err) {
      if (sqlState(err) === UNIQUE_VIOLATION) {
        throw new StoreConflictError(`investigation ${input.id} already exists`, { cause: err });
      }
      throw err;
    }
  }

  async function findOpenByFingerprint(fingerprint: string): Promise<InvestigationDetail | null> {
    const { rows } = await session.query(
      `SELECT ${DETAIL_COLUMNS} FROM investigations WHERE alert_fingerprint = $1 AND status = 'running'`,
      [fingerprint],
    );
    return rows[0] ? toDetail(rows[0]) : null;
  }

  return {
    /**
     * Starts an investigation. With an alert fingerprint that already has a running investigation,
     * returns that one with `created: false` instead (alert deduplication).
     */
    async create(newInvestigation: NewInvestigation): Promise<CreatedInvestigation> {
      const input = parseInput(NewInvestigationSchema, newInvestigation, 'investigation');
      // Bounded: between a lost insert and the lookup the open one may finish; then insert again.
      for (let attempt = 0; attempt < 3; attempt++) {
        const row = await insert(input);
        if (row) return { investigation: toDetail(row), created: true };
        // Only the open-fingerprint index makes the insert do nothing, so there is a fingerprint here.
        const open = input.alertFingerprint ? await findOpenByFingerprint(input.alertFingerprint) : null;
        if (open) return { investigation: open, created: false };
      }
      throw new StoreConflictError(
        `alert ${input.alertFingerprint} keeps starting and finishing investigations`,
      );
    },

    async get(id: string): Promise<InvestigationDetail | null> {
      const { rows } = await session.query(`SELECT ${DETAIL_COLUMNS} FROM investigations WHERE id = $1`, [
        id,
      ]);
      return rows[0] ? toDetail(rows[0]) : null;
    },

    findOpenByFingerprint,

    /** Newest first, filtered, keyset-paginated on (createdAt, id). */
    async list(query: InvestigationListQuery = {}): Promise<InvestigationPage> {
      const q = parseInput(InvestigationListQuerySchema, query, 'investigation query');
      const params: unknown[] = [];
      const where: string[] = [];
      if (q.status) where.push(`status = ${param(params, q.status)}`);
      if (q.source) where.push(`source = ${param(params, q.source)}`);
      if (q.threadId) where.push(`thread_id = ${param(params, q.threadId)}`);
      if (q.principal) where.push(`principal = ${param(params, q.principal)}`);
      if (q.q) {
        // A substring, not a pattern: the caller's % _ and \ match themselves.
        const text = param(params, `%${q.q.replace(/[\\%_]/g, '\\$&')}%`);
        where.push(`(title ILIKE ${text} ESCAPE '\\' OR root_cause ILIKE ${text} ESCAPE '\\')`);
      }
      if (q.createdAfter) where.push(`created_at >= ${param(params, q.createdAfter)}::timestamptz`);
      if (q.createdBefore) where.push(`created_at < ${param(params, q.createdBefore)}::timestamptz`);
      if (q.cursor) {
        const [createdAt, id] = decodeCursor(q.cursor, CursorShape);
        where.push(`(created_at, id) < (${param(params, createdAt)}::timestamptz, ${param(params, id)})`);
      }
      const { rows } = await session.query(
        `SELECT ${SUMMARY_COLUMNS} FROM investigations
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY created_at DESC, id DESC LIMIT ${param(params, q.limit + 1)}`,
        params,
      );
      const items = rows.slice(0, q.limit).map(toSummary);
      const last = items[items.length - 1];
      const nextCursor = rows.length > q.limit && last ? encodeCursor([last.createdAt, last.id]) : null;
      return { items, nextCursor };
    },

    /** Records the sandbox serving the investigation. False when there is no such investigation. */
    async setSandbox(id: string, sandboxId: string): Promise<boolean> {
      const { rowCount } = await session.query(
        `UPDATE investigations SET sandbox_id = $2, updated_at = ${NOW_MS} WHERE id = $1`,
        [id, sandboxId],
      );
      return rowCount === 1;
    },

    /**
     * Ends a running investigation (compare-and-set on `running`). False when it is unknown or already
     * ended, so two finishers cannot both write an outcome.
     */
    async finish(id: string, outcome: InvestigationOutcome): Promise<boolean> {
      const o = parseInput(InvestigationOutcomeSchema, outcome, 'investigation outcome');
      const { rowCount } = await session.query(
        `UPDATE investigations SET
           status = $2, report = $3::json, result_text = $4, error_message = $5, error_code = $6,
           root_cause = $7, healthy = $8, findings_summary = $9::json,
           input_tokens = $10, output_tokens = $11, cache_read_tokens = $12, cache_creation_tokens = $13,
           cost_usd = $14, model_calls = $15, provider = $16, model = $17, duration_ms = $18,
           updated_at = ${NOW_MS}, completed_at = ${NOW_MS}
         WHERE id = $1 AND status = 'running'`,
        [
          id,
          o.status,
          json(o.report),
          o.resultText ?? null,
          o.error?.message ?? null,
          o.error?.code ?? null,
          o.report?.rootCause ?? null,
          o.report?.healthy ?? null,
          json(o.report ? summariseFindings(o.report.findings) : undefined),
          o.usage?.inputTokens ?? null,
          o.usage?.outputTokens ?? null,
          o.usage?.cacheReadInputTokens ?? null,
          o.usage?.cacheCreationInputTokens ?? null,
          o.usage?.costUsd ?? null,
          o.usage?.modelCalls ?? null,
          o.provider ?? null,
          o.model ?? null,
          o.durationMs ?? null,
        ],
      );
      return rowCount === 1;
    },
  };
}
export type InvestigationRepository = ReturnType<typeof createInvestigationRepository>;

function firstLine(prompt: string): string {
  const line = prompt.trim().split('\n', 1)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 199)}…` : line || 'Investigation';
}

function summariseFindings(
  findings: readonly { severity: keyof Omit<FindingsSummary, 'total'> }[],
): FindingsSummary {
  const summary = { ...EMPTY_FINDINGS, total: findings.length };
  for (const f of findings) summary[f.severity] += 1;
  return summary;
}

function toSummary(r: Row): InvestigationSummary {
  return compact({
    id: r.id as string,
    threadId: r.thread_id as string,
    status: r.status as InvestigationSummary['status'],
    source: r.source as InvestigationSummary['source'],
    title: r.title as string,
    principal: opt(r.principal as string | null),
    alertFingerprint: opt(r.alert_fingerprint as string | null),
    sandboxId: opt(r.sandbox_id as string | null),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    completedAt: optIso(r.completed_at),
    rootCause: opt(r.root_cause as string | null),
    healthy: opt(r.healthy as boolean | null),
    findings: (r.findings_summary as FindingsSummary | null) ?? { ...EMPTY_FINDINGS },
    usage:
      r.input_tokens == null
        ? undefined
        : {
            inputTokens: num(r.input_tokens),
            outputTokens: num(r.output_tokens),
            cacheReadInputTokens: num(r.cache_read_tokens),
            cacheCreationInputTokens: num(r.cache_creation_tokens),
            costUsd: num(r.cost_usd),
            modelCalls: num(r.model_calls),
          },
  });
}

function toDetail(r: Row): InvestigationDetail {
  return compact({
    ...toSummary(r),
    prompt: r.prompt as string,
    alert: opt(r.alert as InvestigationDetail['alert'] | null),
    report: opt(r.report as InvestigationDetail['report'] | null),
    resultText: opt(r.result_text as string | null),
    error:
      r.error_message == null
        ? undefined
        : compact({ message: r.error_message as string, code: opt(r.error_code as string | null) }),
    provider: opt(r.provider as string | null),
    model: opt(r.model as string | null),
    durationMs: r.duration_ms == null ? undefined : num(r.duration_ms),
  });
}
