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
});
export type ScenarioExpect = z.infer<typeof ScenarioExpectSchema>;

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
    tags: z.array(z.string()).default([]),
  })
  .refine((s) => s.prompt !== undefined || s.alert !== undefined, {
    message: 'a scenario needs a prompt or an alert',
  });
export type ScenarioManifest = z.infer<typeof ScenarioManifestSchema>;

/** One Prometheus series: labels (with `__name__`) and [unixSeconds, "value"] samples. */
export const MetricSeriesSchema = z.object({
  metric: z.record(z.string(), z.string()),
  values: z.array(z.tuple([z.number(), z.string()])),
});
export type MetricSeries = z.infer<typeof MetricSeriesSchema>;
