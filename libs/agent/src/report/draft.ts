// The part of the final report the commander writes itself (through submit_report). Findings and
// proposals are not in it: the turn collected those as they were emitted, and assemble.ts joins them.
import {
  EvidenceSchema,
  HypothesisOutcomeSchema,
  ObjectRefSchema,
  QuestionKindSchema,
  TimelineEntrySchema,
} from '@foxhound/contracts';
import { z } from 'zod';

export const ReportDraftSchema = z.object({
  summary: z.string().min(1).max(4000).describe('Two or three sentences an on-call engineer reads first.'),
  rootCause: z
    .string()
    .min(1)
    .max(1000)
    .describe('One sentence: what is broken and why, or that nothing is wrong.'),
  healthy: z.boolean().describe('True only when the investigation found nothing wrong.'),
  affected: ObjectRefSchema.optional().describe('The object at the root of the problem.'),
  evidence: z
    .array(EvidenceSchema)
    .max(30)
    .default([])
    .describe('Quoted events, log lines and fields, each with its object.'),
  timeline: z.array(TimelineEntrySchema).max(30).default([]),
  impact: z.string().max(2000).default('').describe('Who suffers now, in words.'),
  blastRadius: z
    .array(ObjectRefSchema)
    .max(50)
    .default([])
    .describe('Objects that depend on the broken one.'),
  confidence: z.number().min(0).max(1).describe('0..1 that the root cause is right.'),
  notChecked: z
    .array(z.string().max(300))
    .max(30)
    .default([])
    .describe('What was not looked at or could not be read.'),
  questionKind: QuestionKindSchema.optional().describe(
    'What the question asked: diagnose (what is wrong), changes, safety (is an action safe), logs, health, capacity (not scaling or scheduling).',
  ),
  answer: z
    .string()
    .max(6000)
    .optional()
    .describe('The direct answer to the question asked, when it was not only "what is wrong".'),
  hypothesis: HypothesisOutcomeSchema.optional().describe(
    'What your own reads did to the leading hypothesis (confirmed, demoted, replaced, untested) and why.',
  ),
});
export type ReportDraft = z.infer<typeof ReportDraftSchema>;
