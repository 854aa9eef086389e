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

/** Characters of one answer a thread's history keeps: enough for a report, bounded for the prompt. */
export const MAX_HISTORY_ANSWER_CHARS = 20_000;

/**
 * One finished exchange as a thread's history records it, question then answer: the one shape the
 * gateway (rebuilding a thread for a new sandbox), the executor (its in-memory threads) and the eval
 * harness (multi-turn scenarios) append, so a follow-up sees the same history wherever it runs.
 */
export function historyExchange(prompt: string, answer: string): HistoryTurn[] {
  return [
    { role: 'user', text: prompt.slice(0, MAX_PROMPT_CHARS) },
    { role: 'assistant', text: answer.slice(0, MAX_HISTORY_ANSWER_CHARS) },
  ];
}

/**
 * What became of one proposal of an earlier turn, as a line of that turn's answer in the history a
 * new sandbox is given: the same `- **Type** namespace/name: summary` line the report's markdown
 * lists proposals with, plus its state, so a follow-up can refer to it instead of proposing it again.
 */
export function proposalStateLine(
  action: { type: string; namespace: string; name: string },
  summary: string,
  state: string,
): string {
  return `- **${action.type}** ${action.namespace}/${action.name}: ${summary.replace(/\s+/g, ' ').slice(0, 300)} (state: ${state})`;
}

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
