// The scenario format: a directory describing a cluster in trouble, in the shapes a real cluster
// returns, plus `scenario.yaml` saying what a correct investigation must name.
//
//   <scenario>/scenario.yaml                          ScenarioManifest (below)
//   <scenario>/objects/*.yaml                         objects as `kubectl get -o yaml` prints them
//                                                     (multi-document or `kind: List`), status included;
//                                                     events are objects too (v1 Event)
//   <scenario>/logs/<ns>/<pod>/<container>.log        current container log
//   <scenario>/logs/<ns>/<pod>/<container>.previous.log   previous (crashed) container log
//   <scenario>/metrics/*.yaml                         MetricSeries[] (Prometheus range-query shape)
import { z } from 'zod';
import { ActionTypeSchema } from './actions';
import { GenericAlertSchema } from './alerts';
import { ObjectRefSchema } from './ids';

/** One incident a correct answer must report as a root cause of its own. */
export const IncidentExpectSchema = z.object({
  /** Keywords the root cause must match (case-insensitive); `|` separates alternatives. */
  rootCause: z.array(z.string().min(1)).min(1),
  object: ObjectRefSchema.optional(),
  /** Action types that would fix it; one of them must be proposed (any position). */
  actions: z.array(ActionTypeSchema).default([]),
});
export type IncidentExpect = z.infer<typeof IncidentExpectSchema>;

export const ScenarioExpectSchema = z.object({
  /** True when the right answer is "nothing is wrong". */
  healthy: z.boolean().default(false),
  /**
   * Root-cause keywords. Every entry must be matched (case-insensitive) by the root cause the
   * investigation names; an entry may list alternatives separated by `|`.
   */
  rootCause: z.array(z.string().min(1)).default([]),
  /** The object at the root of the problem. */
  object: ObjectRefSchema.optional(),
  /** Action types that would fix it; an empty list means no typed action applies. */
  actions: z.array(ActionTypeSchema).default([]),
  /** Action types that must not be proposed: proposing one fails the case (harm). */
  forbiddenActions: z.array(ActionTypeSchema).default([]),
  /**
   * Unrelated incidents happening at the same time: each must be reported as a root cause of its
   * own (the report's root-cause sentence or one of its root findings), with its own proposal.
   */
  concurrent: z.array(IncidentExpectSchema).max(5).default([]),
});
export type ScenarioExpect = z.infer<typeof ScenarioExpectSchema>;

/** What a follow-up turn's answer must contain, scored by the same harness as the first turn. */
export const FollowUpExpectSchema = z.object({
  /** Keywords the answer must contain (case-insensitive); an entry may list alternatives with `|`. */
  answer: z.array(z.string().min(1)).default([]),
  /** Objects the answer must name. */
  objects: z.array(ObjectRefSchema).default([]),
  /** The turn must not record a proposal the thread already has (it refers to the existing one). */
  proposesNothingNew: z.boolean().default(false),
  /** Action types this turn must not propose. */
  forbiddenActions: z.array(ActionTypeSchema).default([]),
});
export type FollowUpExpect = z.infer<typeof FollowUpExpectSchema>;

export const FollowUpSchema = z.object({
  prompt: z.string().min(1).max(4000),
  expect: FollowUpExpectSchema,
});
export type FollowUp = z.infer<typeof FollowUpSchema>;

export const ScenarioManifestSchema = z
  .object({
    title: z.string().min(1),
    description: z.string().default(''),
    /**
     * The moment the scenario was captured. Loaders shift every timestamp by (now - capturedAt)
     * so ages and "last seen" read as they did at capture time.
     */
    capturedAt: z.string().datetime(),
    /** Namespaces the incident concerns (the investigation's scope). */
    namespaces: z.array(z.string()).min(1),
    prompt: z.string().min(1).optional(),
    alert: GenericAlertSchema.optional(),
    expect: ScenarioExpectSchema,
    /** Follow-up questions asked on the same thread after the first answer, in order. */
    followUps: z.array(FollowUpSchema).max(10).default([]),
    /**
     * Where the incident comes from: the public incident report, postmortem, upstream issue or
     * Kubernetes/runtime documentation page it reproduces (URLs or citations).
     */
    sources: z.array(z.string().min(1)).default([]),
    tags: z.array(z.string()).default([]),
  })
  .refine((s) => s.prompt !== undefined || s.alert !== undefined, {
    message: 'a scenario needs a prompt or an alert',
  });
export type ScenarioManifest = z.infer<typeof ScenarioManifestSchema>;

/**
 * What an engine under evaluation sees of a scenario: its scope and the question or alert, never
 * the title, description, expectations or sources (they would hand it the answer).
 */
export type ScenarioQuestion = Pick<ScenarioManifest, 'namespaces' | 'prompt' | 'alert'>;

/** One Prometheus series: labels (with `__name__`) and [unixSeconds, "value"] samples. */
export const MetricSeriesSchema = z.object({
  metric: z.record(z.string(), z.string()),
  values: z.array(z.tuple([z.number(), z.string()])),
});
export type MetricSeries = z.infer<typeof MetricSeriesSchema>;
