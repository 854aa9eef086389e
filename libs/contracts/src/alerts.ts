// Alerts that start investigations: a generic alert (the four-agent design's shape) and the
// Alertmanager webhook v4 payload.
import { z } from 'zod';
import { NamespaceSchema } from './kubernetes';

const labels = z.record(z.string().max(256), z.string().max(4096));

export const AlertSeveritySchema = z.enum(['critical', 'high', 'warning', 'info']);

export const GenericAlertSchema = z.object({
  title: z.string().min(1).max(500),
  severity: AlertSeveritySchema.default('warning'),
  service: z.string().max(253).optional(),
  namespace: NamespaceSchema.optional(),
  description: z.string().max(20_000).optional(),
  labels: labels.default({}),
  source: z.string().max(100).optional(),
  /** Stable identity of the alert, for deduplication while an investigation is open. */
  fingerprint: z.string().max(200).optional(),
  startsAt: z.string().optional(),
});
export type GenericAlert = z.infer<typeof GenericAlertSchema>;

export const AlertmanagerAlertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels,
  annotations: labels.default({}),
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().max(200).optional(),
});
export const AlertmanagerWebhookSchema = z.object({
  version: z.literal('4'),
  groupKey: z.string().max(4096),
  truncatedAlerts: z.number().int().nonnegative().optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: labels,
  commonLabels: labels,
  commonAnnotations: labels,
  externalURL: z.string().optional(),
  alerts: z.array(AlertmanagerAlertSchema).max(1000),
});
export type AlertmanagerWebhook = z.infer<typeof AlertmanagerWebhookSchema>;
