import { container, deployment, endpoints, log, pod, service, snapshot } from '../__fixtures__/build';
import { serviceAnalyzer } from './service';

describe('service analyzer', () => {
  it('names the selector label that matches nothing and the pods probably meant', () => {
    const pods = [pod('cart-1', { labels: { 'app.kubernetes.io/name': 'cart', tier: 'backend' } })];
    const [f] = serviceAnalyzer.analyze(
      snapshot({ pods, services: [service('cart', { selector: { app: 'cart', tier: 'backend' } })] }),
    );
    expect(f.reason).toBe('SelectorMatchesNothing');
    expect(f.cause).toBe(
      'its selector app=cart,tier=backend matches no pod: app=cart matches no pod (the pods carry app.kubernetes.io/name=cart)',
    );
  });

  it('reports no ready endpoints and points at the workload behind them', () => {
    const p = pod('api-1', {
      labels: { app: 'api' },
      owner: { kind: 'StatefulSet', name: 'api' },
      statuses: [
        { name: 'app', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } },
      ],
    });
    const [f] = serviceAnalyzer.analyze(
      snapshot({
        pods: [p],
        services: [service('api')],
        endpoints: [endpoints('api', { notReady: ['api-1'] })],
      }),
    );
    expect(f).toMatchObject({
      reason: 'NoReadyEndpoints',
      cause: 'none of the 1 pod(s) it selects is ready: 1 CrashLoopBackOff',
    });
    expect(f.evidence[0].ref).toEqual({ kind: 'StatefulSet', name: 'api', namespace: 'shop' });
  });

  it.each([
    [
      'a declared container port',
      [container('app', { ports: [{ containerPort: 9090 }] })],
      [],
      "port 80 targets 8080, but the pods' containers expose 9090",
    ],
    [
      'the port the log says it listens on',
      [container('app', { ports: [] })],
      ['Server listening on port 3000'],
      'port 80 targets 8080, but container app logs that it listens on 3000 ("Server listening on port 3000")',
    ],
  ])('catches a targetPort that misses %s', (_name, containers, lines, cause) => {
    const s = snapshot(
      {
        pods: [pod('web-1', { containers })],
        services: [service('web')],
        endpoints: [endpoints('web', { ready: ['web-1'] })],
      },
      { logs: [log('web-1', 'app', lines)] },
    );
    expect(serviceAnalyzer.analyze(s).map((f) => [f.reason, f.cause])).toEqual([
      ['TargetPortMismatch', cause],
    ]);
  });

  it.each([
    [
      'a healthy Service',
      snapshot({
        pods: [pod('web-1')],
        services: [service('web')],
        endpoints: [endpoints('web', { ready: ['web-1'] })],
      }),
    ],
    [
      'an ExternalName Service',
      snapshot({
        services: [{ ...service('ext'), spec: { type: 'ExternalName', externalName: 'db.example.com' } }],
      }),
    ],
    [
      'a Service without a selector (manual endpoints)',
      snapshot({ services: [{ ...service('manual'), spec: { ports: [{ port: 80 }] } }] }),
    ],
  ])('stays quiet for %s', (_name, s) => {
    expect(serviceAnalyzer.analyze(s)).toStrictEqual([]);
  });
});

describe('service analyzer, workload without pods', () => {
  it('blames the selected workload, not the selector, when it runs no pods', () => {
    const [f] = serviceAnalyzer.analyze(
      snapshot({ deployments: [deployment('cart', { replicas: 0, ready: 0 })], services: [service('cart')] }),
    );
    expect(f).toMatchObject({
      reason: 'NoEndpoints',
      cause: 'Deployment shop/cart, which it selects, runs no pods',
    });
    expect(f.evidence[0].ref).toEqual({ kind: 'Deployment', name: 'cart', namespace: 'shop' });
  });
});
