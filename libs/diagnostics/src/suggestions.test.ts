// The typed edits the analyzers suggest from their own evidence (issue 14), each with the target's
// pre-image as its inverse: a Service selector and targetPort, a probe's port, an environment
// reference, a memory limit, and the image pull that has no safe fix.
import {
  container,
  crashLooping,
  endpoints,
  log,
  pod,
  running,
  service,
  snapshot,
  waiting,
  workload,
} from './__fixtures__/build';
import { podAnalyzer } from './analyzers/pod';
import { serviceAnalyzer } from './analyzers/service';

const inverse = (kind: string, name: string) => ({
  type: 'RestoreObject',
  namespace: 'shop',
  name,
  kind,
  preImage: expect.objectContaining({ body: expect.any(Object) }),
});

describe('typed edits suggested by the analyzers', () => {
  it('corrects a selector to the labels of the one workload it nearly matches', () => {
    const cart = workload('cart', [
      (owner, labels) => pod('cart-1', { owner, labels: { ...labels, tier: 'backend' } }),
    ]);
    const [f] = serviceAnalyzer.analyze(
      snapshot({
        pods: cart.pods,
        deployments: [cart.deployment],
        replicaSets: [cart.replicaSet],
        services: [service('cart', { selector: { app: 'kart', tier: 'backend' } })],
      }),
    );
    expect(f.reason).toBe('SelectorMatchesNothing');
    expect(f.suggestion).toMatchObject({
      action: {
        type: 'PatchServiceSelector',
        namespace: 'shop',
        name: 'cart',
        selector: { tier: 'backend', app: 'cart' },
      },
      risk: 'medium',
      rollback: { action: inverse('Service', 'cart') },
    });
  });

  it('forwards a Service port to the only port its pods declare', () => {
    const s = snapshot({
      pods: [pod('web-1', { containers: [container('app', { ports: [{ containerPort: 9090 }] })] })],
      services: [service('web')],
      endpoints: [endpoints('web', { ready: ['web-1'] })],
    });
    expect(serviceAnalyzer.analyze(s)[0]?.suggestion?.action).toEqual({
      type: 'PatchServicePort',
      namespace: 'shop',
      name: 'web',
      port: 80,
      targetPort: 9090,
    });
  });

  it('points a readiness probe at the port the process logs it listens on', () => {
    const app = container('app', {
      ports: [{ containerPort: 8080 }],
      readinessProbe: { httpGet: { path: '/ready', port: 8081 } },
    });
    const web = workload('web', [
      (owner, labels) =>
        pod('web-1', {
          owner,
          labels,
          containers: [app],
          statuses: [running('app', { ready: false })],
        }),
    ]);
    const findings = podAnalyzer.analyze(
      snapshot(
        { pods: web.pods, deployments: [web.deployment], replicaSets: [web.replicaSet] },
        { logs: [log('web-1', 'app', ['Server listening on port 8080'])] },
      ),
    );
    expect(findings.map((f) => [f.reason, f.suggestion?.action])).toEqual([
      [
        'ReadinessProbeFailing',
        {
          type: 'PatchContainerProbe',
          namespace: 'shop',
          name: 'web',
          kind: 'Deployment',
          container: 'app',
          probe: 'readiness',
          port: 8080,
        },
      ],
    ]);
  });

  it('re-points a variable at the existing key with the closest name', () => {
    const app = container('app', {
      env: [{ name: 'DB_URL', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'db_url' } } }],
    });
    const web = workload('web', [
      (owner, labels) =>
        pod('web-1', {
          owner,
          labels,
          containers: [app],
          statuses: [
            waiting(
              'app',
              'CreateContainerConfigError',
              "couldn't find key db_url in ConfigMap shop/web-config",
            ),
          ],
        }),
    ]);
    const findings = podAnalyzer.analyze(
      snapshot({
        pods: web.pods,
        deployments: [web.deployment],
        replicaSets: [web.replicaSet],
        configMaps: [
          {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'web-config', namespace: 'shop' },
            data: { 'db-url': 'postgres://db/shop' },
          },
        ],
      }),
    );
    expect(findings.map((f) => f.suggestion?.action)).toContainEqual({
      type: 'PatchContainerEnv',
      namespace: 'shop',
      name: 'web',
      kind: 'Deployment',
      container: 'app',
      change: { op: 'setFrom', name: 'DB_URL', configMapKeyRef: { name: 'web-config', key: 'db-url' } },
    });
  });

  it('doubles the memory limit of a container killed at it', () => {
    const app = container('app', { resources: { limits: { memory: '256Mi' } } });
    const web = workload('web', [
      (owner, labels) =>
        pod('web-1', {
          owner,
          labels,
          containers: [app],
          statuses: [crashLooping('app', { reason: 'OOMKilled', exitCode: 137 })],
        }),
    ]);
    const [f] = podAnalyzer.analyze(
      snapshot({ pods: web.pods, deployments: [web.deployment], replicaSets: [web.replicaSet] }),
    );
    expect(f.suggestion).toMatchObject({
      action: {
        type: 'PatchContainerResources',
        kind: 'Deployment',
        name: 'web',
        container: 'app',
        limits: { memory: '512Mi' },
      },
      rollback: { action: inverse('Deployment', 'web') },
    });
  });

  it('says there is no safe fix for a tag that does not exist and was never run', () => {
    const app = container('app', { image: 'registry.example.com/shop/web:9.9.9' });
    const web = workload('web', [
      (owner, labels) =>
        pod('web-1', {
          owner,
          labels,
          containers: [app],
          statuses: [
            waiting(
              'app',
              'ImagePullBackOff',
              'rpc error: code = NotFound desc = failed to pull and unpack image "registry.example.com/shop/web:9.9.9": not found',
            ),
          ],
        }),
    ]);
    const [f] = podAnalyzer.analyze(
      snapshot({ pods: web.pods, deployments: [web.deployment], replicaSets: [web.replicaSet] }),
    );
    expect(f.suggestion).toBeUndefined();
    expect(f.cause).toMatch(
      /; no safe fix: the tag does not exist, and the cluster ran no other tag of shop\/web to return to$/,
    );
  });
});
