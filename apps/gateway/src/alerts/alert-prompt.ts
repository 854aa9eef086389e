// Turns alerts into investigation requests: a prompt a human would write, the namespaces in scope,
// and a fingerprint that deduplicates repeats while an investigation is open. Everything is built
// within the limits the store and the executor accept: a prompt over MAX_PROMPT_CHARS keeps its head
// and ends with a note of what was dropped, and fields taken from labels are clipped to their bounds.
import { createHash } from 'node:crypto';
import {
  MAX_PROMPT_CHARS,
  NamespaceSchema,
  type AlertmanagerWebhook,
  type GenericAlert,
} from '@foxhound/contracts';

export interface AlertInvestigation {
  title: string;
  prompt: string;
  alert: GenericAlert;
  namespaces: string[];
  fingerprint: string;
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/** Bounds of the GenericAlert fields filled from Alertmanager labels (contracts' GenericAlertSchema). */
const MAX_TITLE = 500;
const MAX_SERVICE = 253;
const MAX_DESCRIPTION = 20_000;
/** Room kept for the note that says what was dropped. */
const NOTE_ROOM = 300;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The prompt for an alert, at most `limit` characters: labels are dropped last-first, then the description is cut. */
export function describeAlert(alert: GenericAlert, limit = MAX_PROMPT_CHARS): string {
  const head = [`Alert: ${alert.title} (severity ${alert.severity}).`];
  if (alert.service) head.push(`Service: ${alert.service}.`);
  if (alert.namespace) head.push(`Namespace: ${alert.namespace}.`);
  const ask = 'Find the root cause, with evidence, and propose a fix.';
  const labels = Object.entries(alert.labels).map(([k, v]) => `${k}=${v}`);
  const description = alert.description ?? '';
  const whole = [
    ...head,
    ...(description ? [description] : []),
    ...(labels.length ? [`Labels: ${labels.join(', ')}.`] : []),
    ask,
  ];
  const text = whole.join('\n');
  if (text.length <= limit) return text;

  let budget = limit - [...head, ask].join('\n').length - NOTE_ROOM;
  const keptDescription = description.slice(0, Math.max(0, budget));
  budget -= keptDescription.length + 1;
  const keptLabels: string[] = [];
  for (const label of labels) {
    if (label.length + 2 > budget - 'Labels: .'.length) break;
    keptLabels.push(label);
    budget -= label.length + 2;
  }
  const dropped = [
    description.length > keptDescription.length
      ? `${description.length - keptDescription.length} of ${description.length} characters of the description`
      : '',
    labels.length > keptLabels.length
      ? `${labels.length - keptLabels.length} of ${labels.length} labels`
      : '',
  ].filter(Boolean);
  return [
    ...head,
    ...(keptDescription ? [keptDescription] : []),
    ...(keptLabels.length ? [`Labels: ${keptLabels.join(', ')}.`] : []),
    `[Alert shortened to fit the ${limit}-character prompt limit: ${dropped.join(' and ')} left out.]`,
    ask,
  ].join('\n');
}

export function fromGenericAlert(alert: GenericAlert): AlertInvestigation {
  return {
    title: alert.title,
    prompt: describeAlert(alert),
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
    title: clip(summary ? `${name}: ${summary}` : name, MAX_TITLE),
    severity: severity ?? 'warning',
    service: clipOptional(
      payload.commonLabels.service ?? payload.commonLabels.app ?? payload.commonLabels.job,
      MAX_SERVICE,
    ),
    namespace: namespaces.length === 1 ? namespaces[0] : undefined,
    description: `${firing.length} firing alert(s) in group ${payload.groupKey}${
      payload.truncatedAlerts ? ` (${payload.truncatedAlerts} more truncated)` : ''
    }:\n${details}`.slice(0, MAX_DESCRIPTION),
    labels: payload.commonLabels,
    source: 'alertmanager',
    fingerprint: sha(['alertmanager', payload.receiver, payload.groupKey].join('\0')),
  };
  return { ...fromGenericAlert(alert), namespaces };
}

const clipOptional = (text: string | undefined, max: number) =>
  text === undefined ? undefined : clip(text, max);
