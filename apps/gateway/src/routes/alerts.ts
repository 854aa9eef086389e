// Alert webhooks: Alertmanager (v4, one investigation per firing group) and a generic alert. A
// repeat of an alert whose investigation is still open joins it instead of starting another.
import { type Express } from 'express';
import { AlertmanagerWebhookSchema, GenericAlertSchema, type AlertAccepted } from '@foxhound/contracts';
import { parseInput } from '@foxhound/service-kit';
import { fromAlertmanagerGroup, fromGenericAlert, type AlertInvestigation } from '../alerts/alert-prompt';
import { principalOf, requirePermission } from '../auth/authenticate';
import { type Principal } from '../auth/principal';
import { jsonInput } from '../input/storable';
import { type RouteDeps } from './deps';
import { streamUrlOf } from './investigations';

export function alertRoutes(app: Express, deps: RouteDeps): void {
  const mayAlert = requirePermission('alerts:write', deps.audit);

  async function startFor(
    alert: AlertInvestigation,
    principal: Principal,
    source: 'alertmanager' | 'webhook',
  ) {
    const started = await deps.runner.start({
      prompt: alert.prompt,
      title: alert.title,
      alert: alert.alert,
      namespaces: alert.namespaces,
      alertFingerprint: alert.fingerprint,
      source,
      principal,
    });
    const { investigation } = started;
    const accepted: AlertAccepted = {
      status: started.kind === 'started' ? 'started' : 'deduplicated',
      investigationId: investigation.id,
      threadId: investigation.threadId,
      streamUrl: streamUrlOf(investigation.id),
    };
    return accepted;
  }

  // Alertmanager groups can carry many alerts; allow a larger body than the default.
  app.post('/v1/alerts/alertmanager', mayAlert, jsonInput({ limit: '2mb' }), async (req, res) => {
    const payload = parseInput(AlertmanagerWebhookSchema, req.body);
    const alert = fromAlertmanagerGroup(payload);
    if (!alert) {
      res
        .status(202)
        .json({ status: 'ignored', reason: 'No firing alerts in this group.' } satisfies AlertAccepted);
      return;
    }
    const accepted = await startFor(alert, principalOf(res), 'alertmanager');
    res.locals.investigationId = accepted.investigationId;
    res.status(202).json(accepted);
  });

  app.post('/v1/alerts', mayAlert, jsonInput(), async (req, res) => {
    const alert = fromGenericAlert(parseInput(GenericAlertSchema, req.body));
    const accepted = await startFor(alert, principalOf(res), 'webhook');
    res.locals.investigationId = accepted.investigationId;
    res.status(202).json(accepted);
  });
}
