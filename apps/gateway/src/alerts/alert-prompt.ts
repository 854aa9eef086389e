// Turns alerts into investigation requests: a prompt a human would write, the namespaces in scope,
// and a fingerprint that deduplicates repeats while an investigation is open.
import { createHash } from 'node:crypto';
import { NamespaceSchema, type AlertmanagerWebhook, type GenericAlert } from '@foxhound/contracts';

export interface AlertInvestigation {
  title: string;
  prompt: string;
  alert: GenericAlert;
  namespaces: string[];
  fingerprint: string;
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

function describe(alert: GenericAlert): string {
  const lines = [`Alert: ${alert.title} (severity ${alert.severity}).`];
  if (alert.service) lines.push(`Service: ${alert.service}.`);
  if (alert.namespace) lines.push(`Namespace: ${alert.namespace}.`);
  if (alert.description) lines.push(alert.description);
  const labels = Object.entries(alert.labels).map(([k, v]) => `${k}=${v}`);
  if (labels.length > 0) lines.push(`Labels: ${labels.join(', ')}.`);
  lines.push('Find the root cause, with evidence, and propose a fix.');
  return lines.join('\n');
}

export function fromGenericAlert(alert: GenericAlert): AlertInvestigation {
  return {
    title: alert.title,
    prompt: describe(alert),
    alert,
    namespaces: alert.namespace ? [alert.namespace] : [],
    fingerprint:
      alert.fingerprint ??
      sha(['generic', alert.title, alert.service ?? '', alert.namespace ?? ''].join('\0')),
  };
}

const SEVERITIES = {
  critical: 'critical',
  error: 'high',
  high: 'high',
  warning: 'warning',
  info: 'info',
} as const;

/** One investigation per Alertmanager group: the group's firing alerts summarised in one prompt. */
export function fromAlertmanagerGroup(payload: AlertmanagerWebhook): AlertInvestigation | undefined {
  const firing = payload.alerts.filter((a) => a.status === 'firing');
  if (payload.status !== 'firing' || firing.length === 0) return undefined;
  const first = firing[0]!;
  const name = payload.commonLabels.alertname ?? first.labels.alertname ?? 'Alertmanager alert';
  const namespaces = [
    ...new Set(
      firing
        .map((a) => a.labels.namespace)
        .filter((ns): ns is string => NamespaceSchema.safeParse(ns).success),
    ),
  ];
  const severity =
    SEVERITIES[
      (payload.commonLabels.severity ?? first.labels.severity ?? 'warning') as keyof typeof SEVERITIES
    ];
  const summary = payload.commonAnnotations.summary ?? first.annotations.summary;
  const details = firing
    .slice(0, 20)
    .map((a) => {
      const labels = Object.entries(a.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      const text = a.annotations.description ?? a.annotations.summary ?? '';
      return `- ${labels}${text ? `: ${text}` : ''}${a.startsAt ? ` (since ${a.startsAt})` : ''}`;
    })
    .join('\n');
  const alert: GenericAlert = {
    title: summary ? `${name}: ${summary}` : name,
    severity: severity ?? 'warning',
    service: payload.commonLabels.service ?? payload.commonLabels.app ?? payload.commonLabels.job,
    namespace: namespaces.length === 1 ? namespaces[0] : undefined,
    description: `${firing.length} firing alert(s) in group ${payload.groupKey}${
      payload.truncatedAlerts ? ` (${payload.truncatedAlerts} more truncated)` : ''
    }:\n${details}`.slice(0, 19_000),
    labels: payload.commonLabels,
    source: 'alertmanager',
    fingerprint: sha(['alertmanager', payload.receiver, payload.groupKey].join('\0')),
  };
  return { ...fromGenericAlert(alert), namespaces };
}
