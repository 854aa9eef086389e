import { type HorizontalPodAutoscaler } from '../snapshot';
import { NS, container, deployment, snapshot, template } from '../__fixtures__/build';
import { hpaAnalyzer } from './hpa';

function hpa(
  target: string,
  conditions: NonNullable<HorizontalPodAutoscaler['status']>['conditions'],
  current = 2,
): HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: target, namespace: NS },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target },
      minReplicas: 2,
      maxReplicas: 4,
      metrics: [{ type: 'Resource', resource: { name: 'cpu' } }],
    },
    status: { currentReplicas: current, desiredReplicas: current, conditions },
  };
}

describe('hpa analyzer', () => {
  it('names the containers that lack the request the utilization needs', () => {
    const d = deployment('api', {
      template: template({ app: 'api' }, [container('api', { resources: { limits: { memory: '1Gi' } } })]),
    });
    const h = hpa('api', [
      {
        type: 'ScalingActive',
        status: 'False',
        reason: 'FailedGetResourceMetric',
        message:
          'the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu',
      },
    ]);
    const [f] = hpaAnalyzer.analyze(snapshot({ deployments: [d], horizontalPodAutoscalers: [h] }));
    expect(f).toMatchObject({
      reason: 'MetricsUnavailable',
      cause: 'utilization needs resource requests, and containers api (cpu) set none',
    });
  });

  it('reports an autoscaler pinned at maxReplicas, and a missing target', () => {
    const pinned = hpa(
      'api',
      [
        {
          type: 'ScalingLimited',
          status: 'True',
          reason: 'TooManyReplicas',
          message: 'the desired replica count is more than the maximum replica count',
        },
      ],
      4,
    );
    expect(
      hpaAnalyzer
        .analyze(snapshot({ deployments: [deployment('api')], horizontalPodAutoscalers: [pinned] }))
        .map((f) => f.reason),
    ).toEqual(['AtMaxReplicas']);
    expect(
      hpaAnalyzer.analyze(snapshot({ horizontalPodAutoscalers: [pinned] })).map((f) => f.reason),
    ).toEqual(['ScaleTargetNotFound']);
  });

  it('stays quiet for an autoscaler that works', () => {
    const ok = hpa('api', [
      { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound' },
      { type: 'ScalingLimited', status: 'False', reason: 'DesiredWithinRange' },
    ]);
    expect(
      hpaAnalyzer.analyze(snapshot({ deployments: [deployment('api')], horizontalPodAutoscalers: [ok] })),
    ).toStrictEqual([]);
  });
});
