// The executor's API inside each sandbox (port 8888), IncidentFox-compatible: POST /execute streams
// SSE events, POST /interrupt stops the running turn.
import { z } from 'zod';
import { GenericAlertSchema } from './alerts';
import { ThreadIdSchema } from './ids';

/** Upper bound on a prompt, in characters (IncidentFox allows 500,000; a turn never needs that). */
export const MAX_PROMPT_CHARS = 100_000;

/** One earlier exchange on the thread, handed to a replacement sandbox so it can resume. */
export const HistoryTurnSchema = z.object({
  role: z.enum(['user', 'assistant']),
  text: z.string().max(MAX_PROMPT_CHARS),
});
export type HistoryTurn = z.infer<typeof HistoryTurnSchema>;

export const ExecuteRequestSchema = z.object({
  prompt: z.string().min(1).max(MAX_PROMPT_CHARS),
  thread_id: ThreadIdSchema,
  alert: GenericAlertSchema.optional(),
  /** Free-form hints from the caller: namespaces in scope, service names, links. */
  context: z
    .object({
      namespaces: z.array(z.string().max(63)).max(50).optional(),
      service: z.string().max(253).optional(),
      notes: z.string().max(10_000).optional(),
    })
    .optional(),
  history: z.array(HistoryTurnSchema).max(200).optional(),
});
export type ExecuteRequest = z.infer<typeof ExecuteRequestSchema>;

export const InterruptRequestSchema = z.object({ thread_id: ThreadIdSchema });
export type InterruptRequest = z.infer<typeof InterruptRequestSchema>;
