// What diagnostics and the agent conclude: a finding names an object, what is wrong with it (the
// symptom), why (the cause), the evidence a human can check, and what would fix it.
import { z } from 'zod';
import { SuggestedActionSchema } from './actions';
import { ObjectRefSchema } from './ids';

export const SeveritySchema = z.enum(['critical', 'high', 'medium', 'low', 'info']);
export type Severity = z.infer<typeof SeveritySchema>;

export const EvidenceSchema = z.object({
  /** Where the excerpt comes from. */
  source: z.enum(['event', 'log', 'previous-log', 'field', 'metric', 'analysis']),
  /** The object the excerpt was read from, when not the finding's own object. */
  ref: ObjectRefSchema.optional(),
  /** For `field`: the JSON path, e.g. `spec.containers[0].resources.limits.memory`. */
  path: z.string().optional(),
  /** The quoted event message, log line, field value or computed fact. */
  excerpt: z.string(),
  timestamp: z.string().optional(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const FindingSchema = z.object({
  /** Stable within one analysis: `<analyzer>:<reason>:<namespace>/<name>`. */
  id: z.string(),
  analyzer: z.string(),
  /** Stable machine code, e.g. `CrashLoopBackOff`, `QuotaExceeded`, `SelectorMatchesNothing`. */
  reason: z.string(),
  severity: SeveritySchema,
  object: ObjectRefSchema,
  /** The object that owns `object`, e.g. the Deployment of a crashing pod. */
  parent: ObjectRefSchema.optional(),
  /** What is observably wrong. */
  symptom: z.string(),
  /** Why, as far as the evidence shows. */
  cause: z.string(),
  evidence: z.array(EvidenceSchema),
  /** 0..1: how sure the analyzer is that `cause` is right. */
  confidence: z.number().min(0).max(1),
  /** The id of the finding this one is a symptom of, when ranking grouped it under a root cause. */
  causedBy: z.string().optional(),
  suggestion: SuggestedActionSchema.optional(),
  /** A link to documentation about this failure mode. */
  docs: z.string().optional(),
  /** True when evidence may carry secret material and must be masked before leaving the cluster. */
  sensitive: z.boolean().optional(),
});
export type Finding = z.infer<typeof FindingSchema>;
