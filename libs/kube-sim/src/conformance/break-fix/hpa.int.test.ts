// Break-then-fix, HorizontalPodAutoscalers. From the Kubernetes docs "Horizontal Pod Autoscaling"
// (https://kubernetes.io/docs/concepts/workloads/autoscaling/horizontal-pod-autoscale/: utilization
// is measured against the containers' requests, so "if a target's resource utilization is
// specified, the HPA controller fails to compute it for a container without a request"; the
// algorithm `desiredReplicas = ceil[currentReplicas * (currentMetricValue / desiredMetricValue)]`
// with a 10% tolerance; the scale-down stabilization window) and the "HorizontalPodAutoscaler
// Walkthrough". Condition and event texts are the controller's (pkg/controller/podautoscaler).
// The resource metrics API is faked at its edge: a fixed total CPU load spread over the pods.
import { type StoredObject } from '../../types';
import { useCluster } from '../../testing/cluster';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Millicores the whole `app=web` workload burns, shared by its running pods (metrics-server's view). */
let totalMillicores = 160;
const c = useCluster({
  hpa: {
    syncPeriodMs: 50,
    downscaleStabilizationMs: 1500,
    podMetrics: (pod: StoredObject) => {
      if ((pod as Json).status?.phase !== 'Running') return undefined;
      const web = c.sim.store
        .list('pods', { namespace: pod.metadata.namespace, labelSelector: 'app=web' })
        .items.filter((p) => (p as Json).status?.phase === 'Running' && !p.metadata.deletionTimestamp);
      return { app: { cpu: `${Math.round(totalMillicores / Math.max(1, web.length))}m` } };
    },
  },
});

const hpaPath = (ns: string) => `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`;
const deploymentsPath = (ns: string) => `/apis/apps/v1/namespaces/${ns}/deployments`;
const cond = (h: Json, type: string) => ((h.status?.conditions ?? []) as Json[]).find((x) => x.type === type);
const web = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: app, image: nginx:1.27, ports: [{containerPort: 80}]}
`;
const hpa = (target: string) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${target}}
  minReplicas: 1
  maxReplicas: 5
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
`;

describe('HorizontalPodAutoscalers compute from requests, scale, stabilize, and say why they cannot', () => {
  it('a Deployment without cpu requests cannot be autoscaled on utilization until requests are set', async () => {
    totalMillicores = 160;
    const ns = await c.namespace('hpa-requests');
    await c.apply(ns, web);
    await c.waitFor(deploymentsPath(ns), 'web', (d) => d.status?.readyReplicas === 2);
    await c.apply(ns, hpa('web'));
    const broken = await c.waitFor(hpaPath(ns), 'web', (h) => cond(h, 'ScalingActive')?.status === 'False');
    expect(cond(broken, 'AbleToScale')).toMatchObject({ status: 'True', reason: 'SucceededGetScale' });
    expect(cond(broken, 'ScalingActive')).toMatchObject({
      reason: 'FailedGetResourceMetric',
      message: expect.stringMatching(
        /^the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container app of Pod web-[a-z0-9]+-[a-z0-9]{5}$/,
      ),
    });
    expect(broken.status).toMatchObject({ currentReplicas: 2, desiredReplicas: 0 });
    const events = await c.events(ns, 'involvedObject.kind=HorizontalPodAutoscaler');
    expect(events.find((e) => e.reason === 'FailedComputeMetricsReplicas')?.message).toMatch(
      /^invalid metrics \(1 invalid out of 1\), first error is: failed to get cpu resource metric value: failed to get cpu utilization: missing request for cpu in container app of Pod web-/,
    );
    expect(events.find((e) => e.reason === 'FailedGetResourceMetric')).toMatchObject({
      type: 'Warning',
      source: { component: 'horizontal-pod-autoscaler' },
    });
    expect(await c.ok(ns, 'get', 'hpa', 'web')).toMatch(
      /\nweb\s+Deployment\/web\s+cpu: <unknown>\/50%\s+1\s+5\s+2\s+/,
    );

    // The fix: requests. 160m over 2 pods of 100m is 80% against 50%: ceil(2 x 1.6) = 4 pods.
    await c.ok(ns, 'set', 'resources', 'deployment', 'web', '--requests=cpu=100m');
    const scaled = await c.waitFor(hpaPath(ns), 'web', (h) => h.status?.desiredReplicas === 4);
    expect(cond(scaled, 'ScalingActive')).toMatchObject({
      status: 'True',
      reason: 'ValidMetricFound',
      message:
        'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
    });
    expect(cond(scaled, 'ScalingLimited')).toMatchObject({ status: 'False', reason: 'DesiredWithinRange' });
    expect((await c.events(ns, 'reason=SuccessfulRescale'))[0].message).toBe(
      'New size: 4; reason: cpu resource utilization (percentage of request) above target',
    );
    await c.waitFor(
      deploymentsPath(ns),
      'web',
      (d) => d.spec.replicas === 4 && d.status?.readyReplicas === 4,
    );
    // The load drops: 20m over 4 pods is 5%, a proposal of 1 pod, which the window holds back first.
    totalMillicores = 20;
    const held = await c.waitFor(
      hpaPath(ns),
      'web',
      (h) => cond(h, 'AbleToScale')?.reason === 'ScaleDownStabilized',
    );
    expect(cond(held, 'AbleToScale')?.message).toBe(
      'recent recommendations were higher than current one, applying the highest recent recommendation',
    );
    const down = await c.waitFor(hpaPath(ns), 'web', (h) => h.status?.desiredReplicas === 1, 30_000);
    expect(down.status.currentMetrics[0]).toMatchObject({ type: 'Resource', resource: { name: 'cpu' } });
    await c.waitFor(deploymentsPath(ns), 'web', (d) => d.spec.replicas === 1);
  });

  it('an HPA whose target name is misspelt cannot get its scale (FailedGetScale) until it is corrected', async () => {
    totalMillicores = 40;
    const ns = await c.namespace('hpa-target');
    await c.apply(
      ns,
      web.replace(
        '      - {name: app, image: nginx:1.27',
        '      - {name: app, resources: {requests: {cpu: 100m}}, image: nginx:1.27',
      ),
    );
    await c.apply(ns, hpa('wbe'));
    const broken = await c.waitFor(hpaPath(ns), 'web', (h) => cond(h, 'AbleToScale')?.status === 'False');
    expect(cond(broken, 'AbleToScale')).toMatchObject({
      reason: 'FailedGetScale',
      message: `the HPA controller was unable to get the target's current scale: deployments/scale.apps "wbe" not found`,
    });
    expect((await c.events(ns, 'reason=FailedGetScale'))[0].message).toBe(
      'deployments/scale.apps "wbe" not found',
    );
    await c.ok(ns, 'patch', 'hpa', 'web', '--type=merge', '-p', '{"spec":{"scaleTargetRef":{"name":"web"}}}');
    const fixed = await c.waitFor(hpaPath(ns), 'web', (h) => cond(h, 'ScalingActive')?.status === 'True');
    expect(cond(fixed, 'AbleToScale')?.status).toBe('True');
  });
});
