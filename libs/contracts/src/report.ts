// The final report of an investigation, carried by the `result` event and stored by the gateway.
import { z } from 'zod';
import { EvidenceSchema, FindingSchema } from './findings';
import { ObjectRefSchema } from './ids';
import { ProposalSchema } from './proposals';

export const TimelineEntrySchema = z.object({
  at: z.string(),
  what: z.string(),
  ref: ObjectRefSchema.optional(),
});

/**
 * What the question asked: what is wrong (and why X fails), what changed, whether an action is safe
 * (or what it would do), the logs or events of something, whether something is healthy, why
 * something does not scale or schedule. Each kind has its own plan of reads and its own answer.
 */
export const QuestionKindSchema = z.enum(['diagnose', 'changes', 'safety', 'logs', 'health', 'capacity']);
export type QuestionKind = z.infer<typeof QuestionKindSchema>;

/** What the investigation's own reads did to the leading hypothesis, and why. */
export const HypothesisOutcomeSchema = z.object({
  outcome: z.enum(['confirmed', 'demoted', 'replaced', 'untested']),
  reason: z.string(),
});
export type HypothesisOutcome = z.infer<typeof HypothesisOutcomeSchema>;

/** Where a report's confidence comes from: how often its root-cause class was right when evaluated. */
export const ConfidenceBasisSchema = z.object({
  /** The root-cause class: the root finding's reason code, `Healthy` for "nothing is wrong". */
  class: z.string(),
  level: z.enum(['high', 'medium', 'low']),
  /** Evaluated cases that named this class, and how many of them were right. */
  cases: z.number().int().nonnegative(),
  right: z.number().int().nonnegative(),
  /** right / cases; absent when the class was never evaluated. */
  rate: z.number().min(0).max(1).optional(),
  reason: z.string(),
});
export type ConfidenceBasis = z.infer<typeof ConfidenceBasisSchema>;

export const InvestigationReportSchema = z.object({
  summary: z.string(),
  /** One sentence naming the root cause, or that nothing is wrong. */
  rootCause: z.string(),
  healthy: z.boolean(),
  /** The object at the root of the problem, when there is one. */
  affected: ObjectRefSchema.optional(),
  evidence: z.array(EvidenceSchema),
  timeline: z.array(TimelineEntrySchema),
  impact: z.string(),
  /** Objects that depend on the broken one and suffer with it. */
  blastRadius: z.array(ObjectRefSchema),
  findings: z.array(FindingSchema),
  proposals: z.array(ProposalSchema),
  confidence: z.number().min(0).max(1),
  /** What `confidence` rests on: the measured rate of the root-cause class, or why none exists. */
  confidenceBasis: ConfidenceBasisSchema.optional(),
  /** What the investigation did not look at, so a human knows where the blind spots are. */
  notChecked: z.array(z.string()),
  /** Set when a limit, a refusal or a failure ended the investigation before it concluded. */
  partial: z.boolean().optional(),
  questionKind: QuestionKindSchema.optional(),
  /** The direct answer to the question asked (a follow-up's, a safety check's, a timeline's). */
  answer: z.string().optional(),
  hypothesis: HypothesisOutcomeSchema.optional(),
});
export type InvestigationReport = z.infer<typeof InvestigationReportSchema>;

/** Token and cost figures for one turn, summed over every model call including subagents. */
export const UsageSchema = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cacheReadInputTokens: z.number().int().nonnegative().default(0),
  cacheCreationInputTokens: z.number().int().nonnegative().default(0),
  costUsd: z.number().nonnegative(),
  modelCalls: z.number().int().nonnegative(),
});
export type Usage = z.infer<typeof UsageSchema>;
