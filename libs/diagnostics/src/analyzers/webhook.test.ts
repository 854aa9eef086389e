import { type WebhookConfiguration } from '../snapshot';
import { endpoints, pod, service, snapshot } from '../__fixtures__/build';
import { webhookAnalyzer } from './webhook';

function config(failurePolicy: string): WebhookConfiguration {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: 'policy' },
    webhooks: [
      {
        name: 'validate.policy.example.com',
        failurePolicy,
        clientConfig: { service: { name: 'policy', namespace: 'shop', port: 443 } },
      },
    ],
  };
}

describe('webhook analyzer', () => {
  it('reports a blocking webhook whose Service has no ready pods', () => {
    const p = pod('policy-1', {
      labels: { app: 'policy' },
      owner: { kind: 'ReplicaSet', name: 'policy-abc' },
      statuses: [
        { name: 'app', ready: false, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } },
      ],
    });
    const [f] = webhookAnalyzer.analyze(
      snapshot({
        validatingWebhookConfigurations: [config('Fail')],
        services: [service('policy')],
        endpoints: [endpoints('policy', { notReady: ['policy-1'] })],
        pods: [p],
      }),
    );
    expect(f).toMatchObject({
      reason: 'WebhookUnavailable',
      severity: 'critical',
      cause: 'its Service shop/policy has no ready endpoints (pods: 1 CrashLoopBackOff)',
    });
  });

  it('reports a missing Service, at low severity when failures are ignored', () => {
    const [f] = webhookAnalyzer.analyze(snapshot({ validatingWebhookConfigurations: [config('Ignore')] }));
    expect(f).toMatchObject({ severity: 'low', cause: 'its Service shop/policy does not exist' });
  });

  it('does not judge a Service outside the scope it could not see', () => {
    const outside = {
      ...config('Fail'),
      webhooks: [
        {
          ...config('Fail').webhooks![0],
          clientConfig: { service: { name: 'policy', namespace: 'security' } },
        },
      ],
    };
    expect(webhookAnalyzer.analyze(snapshot({ validatingWebhookConfigurations: [outside] }))).toStrictEqual(
      [],
    );
  });
});
