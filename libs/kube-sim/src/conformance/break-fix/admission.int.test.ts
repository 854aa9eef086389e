// Break-then-fix, admission. From the Kubernetes docs "Configure Service Accounts for Pods"
// (https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/: a pod must
// name a ServiceAccount that exists; every namespace has `default`), "Resource Management for
// Pods and Containers" (a request may not exceed its limit), "Limit Ranges"
// (https://kubernetes.io/docs/concepts/policy/limit-range/: defaults, then min/max refusals) and
// "Resource Quotas". Messages are the API server's (pkg/apis/core/validation, the ServiceAccount,
// LimitRanger and ResourceQuota admission plugins).
import { useCluster } from '../../testing/cluster';
import { watchUntil } from '../../testing/watch-until';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const c = useCluster();

const pod = (name: string, resources = '{}') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  containers: [{name: app, image: "nginx:1.27", resources: ${resources}}]
`;

describe('admission refuses what a real API server refuses', () => {
  it('a Deployment naming a missing ServiceAccount cannot create pods until the ServiceAccount exists', async () => {
    const ns = await c.namespace('adm-sa');
    expect(await c.ok(ns, 'get', 'serviceaccounts', '-o', 'name')).toBe('serviceaccount/default\n');
    await c.apply(
      ns,
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: web-reader
      containers: [{name: app, image: "nginx:1.27"}]
`,
    );
    const [failing] = await watchUntil(c.kc, `/apis/apps/v1/namespaces/${ns}/replicasets`, (sets) =>
      sets.some((o) => o.status?.conditions?.some((x: Json) => x.type === 'ReplicaFailure')),
    );
    const message = `pods "${failing.metadata.name}-" is forbidden: error looking up service account ${ns}/web-reader: serviceaccount "web-reader" not found`;
    expect(failing.status.conditions).toEqual([
      expect.objectContaining({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message }),
    ]);
    const events = JSON.parse(
      await c.ok(ns, 'get', 'events', '--field-selector', 'reason=FailedCreate', '-o', 'json'),
    ).items as Json[];
    expect(events[0]).toMatchObject({
      type: 'Warning',
      message: `Error creating: ${message}`,
      source: { component: 'replicaset-controller' },
    });
    expect(JSON.parse(await c.ok(ns, 'get', 'pods', '-o', 'json')).items).toEqual([]);

    await c.ok(ns, 'create', 'serviceaccount', 'web-reader');
    await c.ok(ns, 'rollout', 'status', 'deployment/web', '--timeout=60s');
    const pods = JSON.parse(await c.ok(ns, 'get', 'pods', '-o', 'json')).items as Json[];
    expect(pods.map((p) => p.spec.serviceAccountName)).toEqual(['web-reader', 'web-reader']);
  });

  it('a request above its limit is Invalid; within it, the pod is created', async () => {
    const ns = await c.namespace('adm-limit');
    const broken = await c
      .apply(ns, pod('web', '{requests: {memory: 2Gi}, limits: {memory: 1Gi}}'))
      .catch((e: Error) => e.message);
    expect(broken).toContain(
      'The Pod "web" is invalid: spec.containers[0].resources.requests: Invalid value: "2Gi": must be less than or equal to memory limit of 1Gi',
    );
    expect((await c.run(ns, 'get', 'pod', 'web')).stderr).toContain('pods "web" not found');

    const deployment = await c
      .apply(
        ns,
        `apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: app, image: "nginx:1.27", resources: {requests: {cpu: "2"}, limits: {cpu: 500m}}}]}
`,
      )
      .catch((e: Error) => e.message);
    expect(deployment).toContain(
      'The Deployment "api" is invalid: spec.template.spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 500m',
    );

    await c.apply(ns, pod('web', '{requests: {memory: 512Mi}, limits: {memory: 1Gi}}'));
    await c.waitFor(`/api/v1/namespaces/${ns}/pods`, 'web', (p) => p.status?.phase === 'Running');
  });

  it('a LimitRange fills in defaults and refuses a limit above its max until the limit is lowered', async () => {
    const ns = await c.namespace('adm-lr');
    await c.apply(
      ns,
      `apiVersion: v1
kind: LimitRange
metadata: {name: mem-bounds}
spec:
  limits:
  - type: Container
    default: {memory: 512Mi}
    defaultRequest: {memory: 256Mi}
    max: {memory: 1Gi}
    min: {memory: 64Mi}
`,
    );
    await c.apply(ns, pod('defaults'));
    const defaulted = await c.get(ns, 'pod', 'defaults');
    expect(defaulted.spec.containers[0].resources).toEqual({
      limits: { memory: '512Mi' },
      requests: { memory: '256Mi' },
    });
    expect(defaulted.metadata.annotations['kubernetes.io/limit-ranger']).toBe(
      'LimitRanger plugin set: memory request for container app; memory limit for container app',
    );

    const big = await c.apply(ns, pod('big', '{limits: {memory: 2Gi}}')).catch((e: Error) => e.message);
    expect(big).toContain('Error from server (Forbidden)');
    expect(big).toContain(
      'pods "big" is forbidden: maximum memory usage per Container is 1Gi, but limit is 2Gi',
    );
    const tiny = await c.apply(ns, pod('tiny', '{requests: {memory: 32Mi}}')).catch((e: Error) => e.message);
    expect(tiny).toContain(
      'pods "tiny" is forbidden: minimum memory usage per Container is 64Mi, but request is 32Mi',
    );

    await c.apply(ns, pod('big', '{limits: {memory: 1Gi}}'));
    expect((await c.get(ns, 'pod', 'big')).spec.containers[0].resources).toEqual({
      limits: { memory: '1Gi' },
      requests: { memory: '1Gi' },
    });
  });

  it('a ResourceQuota that is used up refuses the next pod until it is raised', async () => {
    const ns = await c.namespace('adm-quota');
    await c.apply(
      ns,
      'apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: pod-cap}\nspec: {hard: {pods: "1"}}\n',
    );
    await c.apply(ns, pod('first'));
    const second = await c.apply(ns, pod('second')).catch((e: Error) => e.message);
    expect(second).toContain(
      'pods "second" is forbidden: exceeded quota: pod-cap, requested: pods=1, used: pods=1, limited: pods=1',
    );
    await c.ok(ns, 'patch', 'quota', 'pod-cap', '-p', '{"spec":{"hard":{"pods":"2"}}}');
    await c.apply(ns, pod('second'));
    const quota = await c.waitFor(
      `/api/v1/namespaces/${ns}/resourcequotas`,
      'pod-cap',
      (q) => q.status?.used?.pods === '2',
    );
    expect(quota.status).toEqual({ hard: { pods: '2' }, used: { pods: '2' } });
  });
});
