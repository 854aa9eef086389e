// Webhook analyzer: admission webhooks whose Service does not exist or has no ready pods. With
// failurePolicy Fail such a webhook blocks every matching create or update in the cluster.
import { type Finding } from '@foxhound/contracts';
import { endpointCounts, podStates } from '../causes/dependency';
import { KIND_OF, lookup } from '../lookup';
import { type ClusterSnapshot } from '../snapshot';
import { DOCS } from '../util/docs';
import { evidence, makeFinding } from '../util/finding';
import { describeRef, refOf } from '../util/refs';
import { type Analyzer } from './types';

export const webhookAnalyzer: Analyzer = {
  name: 'webhook',
  kinds: ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'],
  analyze(snapshot: ClusterSnapshot): Finding[] {
    const l = lookup(snapshot);
    const findings: Finding[] = [];
    for (const kind of ['validatingWebhookConfigurations', 'mutatingWebhookConfigurations'] as const) {
      for (const config of l.list(kind)) {
        const ref = refOf(KIND_OF[kind], config);
        for (const [i, hook] of (config.webhooks ?? []).entries()) {
          const svc = hook.clientConfig.service;
          if (!svc) continue;
          const blocking = (hook.failurePolicy ?? 'Fail') === 'Fail';
          const service = l.get('services', svc.namespace, svc.name);
          const path = `webhooks[${i}].clientConfig.service`;
          let cause: string | undefined;
          let workload;
          if (!service) {
            // Only judge what was collected: a Service in a namespace outside the scope is unknown, not missing.
            if (!l.inScope(svc.namespace)) continue;
            cause = `its Service ${svc.namespace}/${svc.name} does not exist`;
          } else {
            const { ready, pods } = endpointCounts(l, service);
            if (ready > 0) continue;
            workload = pods[0] && l.workloadOf(pods[0]);
            cause = `its Service ${svc.namespace}/${svc.name} has no ready endpoints${pods.length ? ` (pods: ${podStates(pods)})` : ''}`;
          }
          findings.push(
            makeFinding('webhook', 'WebhookUnavailable', ref, {
              severity: blocking ? 'critical' : 'low',
              symptom: `webhook ${hook.name} cannot be called${blocking ? '; with failurePolicy Fail it rejects every matching request' : ''}`,
              cause,
              evidence: [
                evidence.field(path, `${svc.namespace}/${svc.name}`),
                ...(workload
                  ? [evidence.analysis(`the webhook's backend is ${describeRef(workload)}`, workload)]
                  : []),
              ],
              confidence: 0.85,
              docs: DOCS.webhooks,
            }),
          );
        }
      }
    }
    return findings;
  },
};
