import { NS, ago, deployment, endpoints, event, service, snapshot, template } from '../__fixtures__/build';
import { deploymentAnalyzer } from './deployment';

describe('deployment analyzer', () => {
  it('reports replicas that are not ready', () => {
    const [f] = deploymentAnalyzer.analyze(
      snapshot({ deployments: [deployment('api', { replicas: 3, ready: 1 })] }),
    );
    expect(f).toMatchObject({
      id: 'deployment:ReplicaMismatch:shop/api',
      severity: 'medium',
      symptom: 'Deployment shop/api has 1 of 3 replicas ready',
    });
  });

  it('reports a rollout past its progress deadline', () => {
    const d = deployment('api', {
      replicas: 2,
      conditions: [
        {
          type: 'Progressing',
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
          message: 'ReplicaSet "api-7d" has timed out progressing.',
          lastUpdateTime: ago(3),
        },
      ],
    });
    expect(
      deploymentAnalyzer.analyze(snapshot({ deployments: [d] })).map((f) => [f.reason, f.cause]),
    ).toEqual([['ProgressDeadlineExceeded', 'ReplicaSet "api-7d" has timed out progressing.']]);
  });

  it('proposes the replica count a Deployment had before it was scaled to zero under a Service', () => {
    const d = deployment('cart', { replicas: 0, ready: 0, template: template({ app: 'cart' }) });
    const s = snapshot({
      deployments: [d],
      services: [service('cart')],
      endpoints: [endpoints('cart')],
      events: [
        event(
          { kind: 'Deployment', name: 'cart' },
          'ScalingReplicaSet',
          'Scaled down replica set cart-5d4 from 3 to 0',
          { type: 'Normal' },
        ),
      ],
    });
    const [f] = deploymentAnalyzer.analyze(s);
    expect(f.reason).toBe('ScaledToZero');
    expect(f.cause).toBe('Deployment cart was scaled to zero replicas (from 3), so nothing serves cart');
    expect(f.suggestion?.action).toEqual({
      type: 'ScaleDeployment',
      namespace: NS,
      name: 'cart',
      replicas: 3,
    });
    expect(f.suggestion?.rollback.action).toEqual({
      type: 'ScaleDeployment',
      namespace: NS,
      name: 'cart',
      replicas: 0,
    });
  });

  it.each([
    ['a healthy Deployment', deployment('ok')],
    ['a Deployment scaled to zero that no Service needs', deployment('batch', { replicas: 0, ready: 0 })],
    [
      'a rollout in progress',
      deployment('api', {
        replicas: 4,
        ready: 3,
        conditions: [
          {
            type: 'Progressing',
            status: 'True',
            reason: 'ReplicaSetUpdated',
            message: 'ReplicaSet "api-7d" is progressing.',
            lastUpdateTime: ago(5),
          },
        ],
      }),
    ],
    [
      'a Deployment created a moment ago with some replicas ready',
      {
        ...deployment('new', {
          replicas: 3,
          ready: 1,
          conditions: [
            { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: ago(0.5) },
          ],
        }),
        metadata: { name: 'new', namespace: NS, creationTimestamp: ago(0.5) },
      },
    ],
  ])('stays quiet for %s', (_name, d) => {
    expect(deploymentAnalyzer.analyze(snapshot({ deployments: [d] }))).toStrictEqual([]);
  });
});
