// The gateway's public request and response bodies (the IncidentFox-compatible routes keep its
// snake_case fields; the versioned REST API is camelCase).
import { z } from 'zod';
import { GenericAlertSchema } from './alerts';
import { MAX_PROMPT_CHARS } from './execute';
import { ThreadIdSchema } from './ids';
import { NamespaceSchema } from './kubernetes';
import { ProposalStateSchema } from './proposals';
import { RoleSchema } from './store';

const namespaces = z.array(NamespaceSchema).max(50);

/** `POST /investigate`: IncidentFox's body; a follow-up passes the returned thread_id. */
export const InvestigateRequestSchema = z.object({
  prompt: z.string().min(1).max(MAX_PROMPT_CHARS),
  thread_id: ThreadIdSchema.optional(),
  namespaces: namespaces.optional(),
  /** An admin continuing another principal's thread says so explicitly; the takeover is audited. */
  takeover: z.boolean().optional(),
});
export type InvestigateRequest = z.infer<typeof InvestigateRequestSchema>;

/** `POST /interrupt`. */
export const InterruptBodySchema = z.object({ thread_id: ThreadIdSchema });

/** `POST /v1/investigations`. */
export const StartInvestigationRequestSchema = z.object({
  prompt: z.string().min(1).max(MAX_PROMPT_CHARS),
  threadId: ThreadIdSchema.optional(),
  namespaces: namespaces.optional(),
  alert: GenericAlertSchema.optional(),
  /** An admin continuing another principal's thread says so explicitly; the takeover is audited. */
  takeover: z.boolean().optional(),
});
export type StartInvestigationRequest = z.infer<typeof StartInvestigationRequestSchema>;

export const InvestigationCreatedSchema = z.object({
  id: z.string(),
  threadId: z.string(),
  status: z.literal('running'),
  /** Follow the events here (SSE; resumable with Last-Event-ID). */
  streamUrl: z.string(),
  sandbox: z.object({ id: z.string(), reused: z.boolean() }),
});
export type InvestigationCreated = z.infer<typeof InvestigationCreatedSchema>;

/** Answer to an alert webhook: the investigation it started or joined, or why none was started. */
export const AlertAcceptedSchema = z.object({
  status: z.enum(['started', 'deduplicated', 'ignored']),
  investigationId: z.string().optional(),
  threadId: z.string().optional(),
  streamUrl: z.string().optional(),
  reason: z.string().optional(),
});
export type AlertAccepted = z.infer<typeof AlertAcceptedSchema>;

/** `POST /v1/actions/:id/approve|reject|rollback`: the decision's reason, kept in the audit trail. */
export const ActionDecisionRequestSchema = z.object({ reason: z.string().trim().min(1).max(2000) });
export type ActionDecisionRequest = z.infer<typeof ActionDecisionRequestSchema>;

/** `GET /v1/actions`: newest first. */
export const ActionListQuerySchema = z.object({
  state: ProposalStateSchema.optional(),
  investigationId: z.string().max(128).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type ActionListQuery = z.input<typeof ActionListQuerySchema>;

/** `GET /v1/whoami`: the caller as the gateway authenticated it, so a client can say what it may do. */
export const WhoAmISchema = z.object({
  /** `key:<id>`, `user:<sub>` or `anonymous` (open mode). */
  id: z.string(),
  role: RoleSchema,
  via: z.enum(['api-key', 'jwt', 'open']),
  permissions: z.array(z.string()),
  /** Whether an approver may approve an action proposed by an investigation they started. */
  selfApproval: z.boolean(),
});
export type WhoAmI = z.infer<typeof WhoAmISchema>;
