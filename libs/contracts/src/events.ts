// The SSE event stream: IncidentFox-compatible envelope `{type, data, thread_id, timestamp}`, one
// JSON object per `data:` line, with an `id:` line for resumption. A stream ends with exactly one
// `result` or `error`; heartbeats are `:` comments and carry no event.
import { z } from 'zod';
import { FindingSchema } from './findings';
import { ProposalSchema, ProposalStateSchema } from './proposals';
import { InvestigationReportSchema, UsageSchema } from './report';

/** Set on events produced inside a subagent: the commander's tool_use id that started it. */
const subagent = {
  parent_tool_use_id: z.string().optional(),
  /** The role that produced the event: commander, investigator, log_analyst, remediator. */
  role: z.string().optional(),
};

export const SessionDataSchema = z.object({
  thread_id: z.string(),
  sandbox_id: z.string(),
  reused: z.boolean(),
  investigation_id: z.string().optional(),
  backend: z.string().optional(),
});
export const ThoughtDataSchema = z.object({ text: z.string(), ...subagent });
export const ToolStartDataSchema = z.object({
  name: z.string(),
  tool_use_id: z.string(),
  input: z.record(z.string(), z.unknown()),
  /** One human line: "Reading logs of shop/checkout-7d9 (previous container)". */
  summary: z.string().optional(),
  ...subagent,
});
export const ToolStatusSchema = z.enum(['success', 'error', 'no_data', 'refused']);
export const ToolEndDataSchema = z.object({
  name: z.string(),
  tool_use_id: z.string(),
  success: z.boolean(),
  status: ToolStatusSchema,
  summary: z.string().optional(),
  output: z.string().optional(),
  error: z.string().optional(),
  /** Set when output was cut to the tool budget: what was removed. */
  truncated: z.string().optional(),
  ...subagent,
});
export const ResultSubtypeSchema = z.enum([
  'success',
  'interrupted',
  'error_max_turns',
  'error_max_tokens',
  'error_timeout',
  'error_provider',
  /** The model declined to continue (stop_reason `refusal`). */
  'error_refusal',
  /** The model's answer was cut at max_tokens even after one continuation. */
  'error_truncated',
  /** The conversation no longer fits the model's context window. */
  'error_context_window',
  /** The API kept pausing the turn (stop_reason `pause_turn`) past the continuation limit. */
  'error_paused',
]);
export const ResultDataSchema = z.object({
  text: z.string(),
  success: z.boolean(),
  subtype: ResultSubtypeSchema,
  report: InvestigationReportSchema.optional(),
  usage: UsageSchema.optional(),
  provider: z.string().optional(),
  model: z.string().optional(),
  duration_ms: z.number().nonnegative().optional(),
});
export const ErrorDataSchema = z.object({
  message: z.string(),
  recoverable: z.boolean(),
  code: z.string().optional(),
});
/** A remediation proposal changed state (approved, applied, recovered, ...). */
export const ActionUpdateDataSchema = z.object({
  proposal_id: z.string(),
  state: ProposalStateSchema,
  actor: z.string().optional(),
  reason: z.string().optional(),
  evidence: z.array(z.string()).optional(),
});

const envelope = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({ type: z.literal(type), data, thread_id: z.string(), timestamp: z.string() });

export const StreamEventSchema = z.discriminatedUnion('type', [
  envelope('session', SessionDataSchema),
  envelope('thought', ThoughtDataSchema),
  envelope('tool_start', ToolStartDataSchema),
  envelope('tool_end', ToolEndDataSchema),
  envelope('finding', FindingSchema),
  envelope('proposal', ProposalSchema),
  envelope('action_update', ActionUpdateDataSchema),
  envelope('result', ResultDataSchema),
  envelope('error', ErrorDataSchema),
]);
export type StreamEvent = z.infer<typeof StreamEventSchema>;
export type StreamEventType = StreamEvent['type'];
export type StreamEventData<T extends StreamEventType> = Extract<StreamEvent, { type: T }>['data'];

/** The event types that end a stream. */
export const TERMINAL_EVENT_TYPES: readonly StreamEventType[] = ['result', 'error'];
export const isTerminalEvent = (e: Pick<StreamEvent, 'type'>): boolean =>
  TERMINAL_EVENT_TYPES.includes(e.type);

/** Builds an envelope with the current time; the single place event timestamps are made. */
export function makeEvent<T extends StreamEventType>(
  type: T,
  data: StreamEventData<T>,
  threadId: string,
  now: Date = new Date(),
): Extract<StreamEvent, { type: T }> {
  return { type, data, thread_id: threadId, timestamp: now.toISOString() } as Extract<
    StreamEvent,
    { type: T }
  >;
}
