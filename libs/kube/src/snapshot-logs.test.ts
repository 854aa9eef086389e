// The reading order of container logs: unhealthy and restarted pods first, then the workloads the
// focus names, then the rest, workloads taking turns; containers that never ran have no log.
import { type KubeJson } from '@foxhound/contracts';
import { planLogReads } from './snapshot-logs';

const running = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  ready: true,
  restartCount: 0,
  state: { running: { startedAt: '2025-10-21T09:00:00Z' } },
  ...extra,
});

function pod(
  name: string,
  owner: { kind: string; name: string } | undefined,
  status: Record<string, unknown> = { phase: 'Running', containerStatuses: [running('app')] },
  labels: Record<string, string> = {},
): KubeJson {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'shop',
      labels,
      ...(owner ? { ownerReferences: [{ ...owner, controller: true }] } : {}),
    },
    status,
  } as KubeJson;
}

const rs = (name: string) => ({ kind: 'ReplicaSet', name });
const order = (plan: ReturnType<typeof planLogReads>) =>
  plan.flatMap((p) =>
    p.requests.map((r) => `${p.tier}:${r.pod}/${r.container}${r.previous ? ' (previous)' : ''}`),
  );

describe('planLogReads', () => {
  it('reads restarted and failing pods first, previous before current, then the rest with workloads taking turns', () => {
    const plan = planLogReads([
      pod('web-7d9f8-a', rs('web-7d9f8')),
      pod('web-7d9f8-b', rs('web-7d9f8')),
      pod('web-7d9f8-c', rs('web-7d9f8')),
      pod('api-5c6d7-a', rs('api-5c6d7')),
      pod('api-5c6d7-b', rs('api-5c6d7'), {
        phase: 'Running',
        containerStatuses: [
          running('app', { restartCount: 2, lastState: { terminated: { exitCode: 1 } } }),
          running('envoy'),
        ],
      }),
      pod('db-0', { kind: 'StatefulSet', name: 'db' }),
    ]);
    expect(order(plan)).toEqual([
      'unhealthy:api-5c6d7-b/app (previous)',
      'unhealthy:api-5c6d7-b/app',
      'unhealthy:api-5c6d7-b/envoy',
      'other:api-5c6d7-a/app',
      'other:db-0/app',
      'other:web-7d9f8-a/app',
      'other:web-7d9f8-b/app',
      'other:web-7d9f8-c/app',
    ]);
  });

  it('reads the workloads the focus names before the others, by owner name or app label', () => {
    const plan = planLogReads(
      [
        pod('api-5c6d7-a', rs('api-5c6d7')),
        pod('checkout-6f7a8-a', rs('checkout-6f7a8')),
        pod('nightly-28930000-x', { kind: 'Job', name: 'nightly-28930000' }),
        pod('standalone', undefined, undefined, { 'app.kubernetes.io/name': 'ledger' }),
      ],
      'checkout is slow and the nightly job failed; ledger too',
    );
    expect(plan.map((p) => `${p.tier}:${p.pod}`)).toEqual([
      'focus:checkout-6f7a8-a',
      'focus:nightly-28930000-x',
      'focus:standalone',
      'other:api-5c6d7-a',
    ]);
  });

  it('leaves out containers that never ran and counts a failed or not-ready pod as unhealthy', () => {
    const plan = planLogReads([
      pod('pulling', rs('img-1'), {
        phase: 'Pending',
        containerStatuses: [
          { name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } },
        ],
      }),
      pod('not-ready', rs('slow-1'), {
        phase: 'Running',
        containerStatuses: [running('app', { ready: false })],
      }),
      pod(
        'done',
        { kind: 'Job', name: 'once' },
        {
          phase: 'Succeeded',
          containerStatuses: [
            { name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 0 } } },
          ],
        },
      ),
      pod('init-ran', rs('init-1'), {
        phase: 'Running',
        initContainerStatuses: [
          { name: 'migrate', ready: true, restartCount: 0, state: { terminated: { exitCode: 0 } } },
        ],
        containerStatuses: [running('app')],
      }),
    ]);
    expect(order(plan)).toEqual([
      'unhealthy:not-ready/app',
      'other:done/app',
      'other:init-ran/migrate',
      'other:init-ran/app',
    ]);
  });
});
