// What the store persists and the gateway serves: investigations (summary and detail), stored events,
// stored proposals with their lifecycle, API keys without their secret, and the hash-chained audit
// trail, plus the query strings that list them. REST bodies are camelCase; timestamps are ISO 8601 UTC.
import { z } from 'zod';
import { GenericAlertSchema } from './alerts';
import { StreamEventSchema } from './events';
import { ThreadIdSchema } from './ids';
import { ProposalSchema, ProposalStateSchema, type ProposalState } from './proposals';
import { InvestigationReportSchema, UsageSchema } from './report';

const timestamp = z.iso.datetime();
/** Query-string bounds accept any offset; the store compares instants. */
const timestampFilter = z.iso.datetime({ offset: true });
const count = z.number().int().nonnegative();
const limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);
const cursor = z.string().max(256);

// ---------------------------------------------------------------------------------------------------
// Roles and API keys

export const RoleSchema = z.enum(['viewer', 'investigator', 'approver', 'admin']);
export type Role = z.infer<typeof RoleSchema>;

/** An API key as listed: never the secret, only its short public prefix. */
export const ApiKeyInfoSchema = z.object({
  id: z.string(),
  /** The key's first characters (`fh_` + 9), shown so a human can tell keys apart. */
  prefix: z.string(),
  name: z.string(),
  role: RoleSchema,
  createdAt: timestamp,
  createdBy: z.string().optional(),
  lastUsedAt: timestamp.optional(),
  expiresAt: timestamp.optional(),
  revokedAt: timestamp.optional(),
  revokedBy: z.string().optional(),
});
export type ApiKeyInfo = z.infer<typeof ApiKeyInfoSchema>;

export const CreateApiKeyRequestSchema = z.object({
  name: z.string().trim().min(1).max(100),
  role: RoleSchema,
  expiresAt: timestampFilter.optional(),
});
export type CreateApiKeyRequest = z.infer<typeof CreateApiKeyRequestSchema>;

/** The only response that ever carries a key's secret: the one that created it. */
export const CreatedApiKeySchema = z.object({ key: z.string(), apiKey: ApiKeyInfoSchema });
export type CreatedApiKey = z.infer<typeof CreatedApiKeySchema>;

// ---------------------------------------------------------------------------------------------------
// Investigations

export const InvestigationStatusSchema = z.enum(['running', 'completed', 'failed', 'interrupted']);
export type InvestigationStatus = z.infer<typeof InvestigationStatusSchema>;

/** How it started: a person through the API (curl, console, CLI), Alertmanager, or a generic alert webhook. */
export const InvestigationSourceSchema = z.enum(['api', 'alertmanager', 'webhook']);
export type InvestigationSource = z.infer<typeof InvestigationSourceSchema>;

/** Counts of the report's findings by severity, so a list can show them without the report. */
export const FindingsSummarySchema = z.object({
  total: count,
  critical: count,
  high: count,
  medium: count,
  low: count,
  info: count,
});
export type FindingsSummary = z.infer<typeof FindingsSummarySchema>;

export const InvestigationSummarySchema = z.object({
  id: z.string(),
  threadId: z.string(),
  status: InvestigationStatusSchema,
  source: InvestigationSourceSchema,
  /** The alert's title, or the prompt's first line cut to 200 characters. */
  title: z.string(),
  /** Who started it: the API key, user or webhook the gateway authenticated. */
  principal: z.string().optional(),
  alertFingerprint: z.string().optional(),
  sandboxId: z.string().optional(),
  createdAt: timestamp,
  updatedAt: timestamp,
  completedAt: timestamp.optional(),
  rootCause: z.string().optional(),
  healthy: z.boolean().optional(),
  findings: FindingsSummarySchema,
  usage: UsageSchema.optional(),
});
export type InvestigationSummary = z.infer<typeof InvestigationSummarySchema>;

export const InvestigationDetailSchema = InvestigationSummarySchema.extend({
  prompt: z.string(),
  alert: GenericAlertSchema.optional(),
  report: InvestigationReportSchema.optional(),
  /** The `result` event's text. */
  resultText: z.string().optional(),
  error: z.object({ message: z.string(), code: z.string().optional() }).optional(),
  provider: z.string().optional(),
  model: z.string().optional(),
  durationMs: z.number().nonnegative().optional(),
});
export type InvestigationDetail = z.infer<typeof InvestigationDetailSchema>;

export const InvestigationListQuerySchema = z.object({
  status: InvestigationStatusSchema.optional(),
  source: InvestigationSourceSchema.optional(),
  threadId: ThreadIdSchema.optional(),
  /** Who started it, exactly as `principal` reads (`key:<id>`, `user:<sub>`). */
  principal: z.string().max(200).optional(),
  /** Case-insensitive text the title or the root cause contains. */
  q: z.string().trim().min(1).max(200).optional(),
  /** Inclusive lower bound on `createdAt`. */
  createdAfter: timestampFilter.optional(),
  /** Exclusive upper bound on `createdAt`. */
  createdBefore: timestampFilter.optional(),
  limit: limit(100, 20),
  cursor: cursor.optional(),
});
export type InvestigationListQuery = z.input<typeof InvestigationListQuerySchema>;

/** Newest first; pass `nextCursor` back as `cursor` for the next page, null on the last one. */
export const InvestigationPageSchema = z.object({
  items: z.array(InvestigationSummarySchema),
  nextCursor: z.string().nullable(),
});
export type InvestigationPage = z.infer<typeof InvestigationPageSchema>;

/** One persisted stream event; `seq` is its SSE `id:` and orders replay within the investigation. */
export const StoredEventSchema = z.object({ seq: z.number().int().positive(), event: StreamEventSchema });
export type StoredEvent = z.infer<typeof StoredEventSchema>;

// ---------------------------------------------------------------------------------------------------
// Proposals and their lifecycle

/**
 * The legal moves of a proposal: Proposed → Approved | Rejected | Expired; Approved → Applying (or
 * Expired if never applied); Applying → Applied | Failed; Applied → Recovered | Failed; a late
 * recovery Failed → Recovered. The store refuses any other move.
 */
export const PROPOSAL_TRANSITIONS: Readonly<Record<ProposalState, readonly ProposalState[]>> = {
  proposed: ['approved', 'rejected', 'expired'],
  approved: ['applying', 'expired'],
  applying: ['applied', 'failed'],
  applied: ['recovered', 'failed'],
  failed: ['recovered'],
  rejected: [],
  expired: [],
  recovered: [],
};

export const ProposalTransitionSchema = z.object({
  /** Absent for the entry that recorded the proposal. */
  from: ProposalStateSchema.optional(),
  to: ProposalStateSchema,
  actor: z.string(),
  reason: z.string().optional(),
  at: timestamp,
});
export type ProposalTransition = z.infer<typeof ProposalTransitionSchema>;

export const StoredProposalSchema = z.object({
  proposal: ProposalSchema,
  investigationId: z.string(),
  state: ProposalStateSchema,
  createdAt: timestamp,
  updatedAt: timestamp,
  expiresAt: timestamp.optional(),
  /** The human decision, once there is one. */
  decision: z
    .object({ approved: z.boolean(), actor: z.string(), reason: z.string().optional(), at: timestamp })
    .optional(),
  /** Every transition, oldest first. */
  history: z.array(ProposalTransitionSchema),
});
export type StoredProposal = z.infer<typeof StoredProposalSchema>;

// ---------------------------------------------------------------------------------------------------
// Audit trail

export const AuditKindSchema = z.enum(['request', 'tool_call', 'decision', 'transition', 'system']);
export type AuditKind = z.infer<typeof AuditKindSchema>;
export const AuditOutcomeSchema = z.enum(['success', 'failure', 'denied']);
export type AuditOutcome = z.infer<typeof AuditOutcomeSchema>;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * One link of the audit chain: `hash = sha256(prevHash || canonical JSON of the entry without hash)`,
 * so changing, removing or reordering an entry breaks every hash after it.
 */
export const AuditEntrySchema = z.object({
  /** Position in the chain, from 1, without gaps. */
  seq: z.number().int().positive(),
  at: timestamp,
  kind: AuditKindSchema,
  /** Who did it: `key:<id>`, `user:<name>`, `executor:<sandbox>`, `system`. */
  actor: z.string(),
  actorRole: RoleSchema.optional(),
  /** What was done: `POST /v1/investigations`, `proposal.approve`, a tool name. */
  action: z.string(),
  outcome: AuditOutcomeSchema,
  investigationId: z.string().optional(),
  /** The object acted on: `proposal/<id>`, `apikey/<id>`. */
  target: z.string().optional(),
  requestId: z.string().optional(),
  details: z.record(z.string(), z.unknown()),
  prevHash: sha256Hex,
  hash: sha256Hex,
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditListQuerySchema = z.object({
  kind: AuditKindSchema.optional(),
  actor: z.string().max(200).optional(),
  action: z.string().max(200).optional(),
  investigationId: z.string().max(100).optional(),
  /** Inclusive lower bound on `at`. */
  after: timestampFilter.optional(),
  /** Exclusive upper bound on `at`. */
  before: timestampFilter.optional(),
  limit: limit(500, 100),
  cursor: cursor.optional(),
});
export type AuditListQuery = z.input<typeof AuditListQuerySchema>;

/** Newest first; pass `nextCursor` back as `cursor` for the next page, null on the last one. */
export const AuditPageSchema = z.object({
  items: z.array(AuditEntrySchema),
  nextCursor: z.string().nullable(),
});
export type AuditPage = z.infer<typeof AuditPageSchema>;

export const AuditBreakReasonSchema = z.enum([
  /** The entry's content no longer hashes to its stored hash: it was edited. */
  'hash_mismatch',
  /** The entry does not point at the previous entry's hash: something was inserted or replaced. */
  'prev_hash_mismatch',
  /** A sequence number is missing: an entry was deleted. */
  'sequence_gap',
  /** The chain ends before the recorded head: its newest entries were deleted. */
  'head_mismatch',
]);
export type AuditBreakReason = z.infer<typeof AuditBreakReasonSchema>;

export const AuditVerifyResultSchema = z.object({
  ok: z.boolean(),
  /** Entries walked. */
  checked: count,
  head: z.object({ seq: count, hash: sha256Hex }),
  /** The first entry where the chain breaks, when it does. */
  broken: z.object({ seq: count, reason: AuditBreakReasonSchema, detail: z.string() }).optional(),
});
export type AuditVerifyResult = z.infer<typeof AuditVerifyResultSchema>;
