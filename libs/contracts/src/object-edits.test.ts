import { ActionSchema } from './actions';
import { applyEdit, type EditAction, type EditableObject } from './object-edits';
import { preImageDifferences, preImageOf, restoredObject } from './pre-image';
import { type BoundsInput, checkResourceBounds } from './resource-bounds';

const deployment = (): EditableObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'shop',
    uid: 'u-1',
    resourceVersion: '7',
    labels: { app: 'web' },
    annotations: { team: 'storefront', 'deployment.kubernetes.io/revision': '3' },
  },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'web:1',
            ports: [{ name: 'http', containerPort: 8080 }],
            env: [{ name: 'MODE', value: 'prod' }],
            envFrom: [{ configMapRef: { name: 'web-config' } }],
            resources: { requests: { memory: '128Mi' }, limits: { memory: '256Mi' } },
            readinessProbe: { httpGet: { path: '/healthz', port: 9090 }, periodSeconds: 10 },
          },
        ],
      },
    },
  },
  status: { availableReplicas: 2 },
});

const act = (a: object) => ActionSchema.parse({ namespace: 'shop', name: 'web', ...a }) as EditAction;
const container = (o: EditableObject) =>
  (o.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers[0]!;

describe('typed edits', () => {
  it.each<[string, object, (c: Record<string, unknown>) => void]>([
    [
      'raises a memory limit',
      { type: 'PatchContainerResources', kind: 'Deployment', container: 'app', limits: { memory: '512Mi' } },
      (c) => expect(c.resources).toEqual({ requests: { memory: '128Mi' }, limits: { memory: '512Mi' } }),
    ],
    [
      'moves a readiness probe to the named port',
      { type: 'PatchContainerProbe', kind: 'Deployment', container: 'app', probe: 'readiness', port: 'http' },
      (c) =>
        expect(c.readinessProbe).toEqual({ httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 }),
    ],
    [
      'sets a command, and an empty args list drops args',
      {
        type: 'PatchContainerCommand',
        kind: 'Deployment',
        container: 'app',
        command: ['/bin/web', '--serve'],
      },
      (c) => expect(c.command).toEqual(['/bin/web', '--serve']),
    ],
    [
      'points a variable at a ConfigMap key',
      {
        type: 'PatchContainerEnv',
        kind: 'Deployment',
        container: 'app',
        change: { op: 'setFrom', name: 'DB_URL', configMapKeyRef: { name: 'web-config', key: 'db_url' } },
      },
      (c) =>
        expect(c.env).toEqual([
          { name: 'MODE', value: 'prod' },
          { name: 'DB_URL', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'db_url' } } },
        ]),
    ],
    [
      'removes a variable',
      {
        type: 'PatchContainerEnv',
        kind: 'Deployment',
        container: 'app',
        change: { op: 'remove', name: 'MODE' },
      },
      (c) => expect(c.env).toBeUndefined(),
    ],
    [
      're-points an envFrom ConfigMap',
      {
        type: 'PatchContainerEnv',
        kind: 'Deployment',
        container: 'app',
        change: { op: 'repointEnvFrom', source: 'configMapRef', from: 'web-config', to: 'web-config-v2' },
      },
      (c) => expect(c.envFrom).toEqual([{ configMapRef: { name: 'web-config-v2' } }]),
    ],
  ])('%s, leaving the live object untouched', (_name, action, check) => {
    const live = deployment();
    const result = applyEdit(act(action), live);
    if ('refusal' in result) throw new Error(result.refusal);
    check(container(result.object));
    expect(live).toStrictEqual(deployment());
  });

  it.each<[string, object, string]>([
    [
      'a container that does not exist',
      { type: 'PatchContainerResources', kind: 'Deployment', container: 'sidecar', limits: { cpu: '1' } },
      'Deployment web has no container "sidecar" (it has app).',
    ],
    [
      'a request above the limit',
      { type: 'PatchContainerResources', kind: 'Deployment', container: 'app', requests: { memory: '1Gi' } },
      'the memory request 1Gi would exceed the memory limit 256Mi.',
    ],
    [
      'a probe the container does not have',
      { type: 'PatchContainerProbe', kind: 'Deployment', container: 'app', probe: 'liveness', port: 8080 },
      'container app has no liveness probe; this action corrects a probe, it does not add one.',
    ],
    [
      'a port name the container does not declare',
      { type: 'PatchContainerProbe', kind: 'Deployment', container: 'app', probe: 'readiness', port: 'grpc' },
      'container app declares no port named "grpc".',
    ],
    [
      'removing a variable that is not there',
      {
        type: 'PatchContainerEnv',
        kind: 'Deployment',
        container: 'app',
        change: { op: 'remove', name: 'NOPE' },
      },
      'container app has no variable NOPE.',
    ],
    [
      'an edit that changes nothing',
      {
        type: 'PatchContainerEnv',
        kind: 'Deployment',
        container: 'app',
        change: { op: 'set', name: 'MODE', value: 'prod' },
      },
      'it changes nothing: container app of Deployment shop/web with MODE set to a literal value is already in place.',
    ],
  ])('refuses %s', (_name, action, refusal) => {
    expect(applyEdit(act(action), deployment())).toEqual({ refusal });
  });

  it('raises a quota and refuses to lower one or to add a limit', () => {
    const quota: EditableObject = {
      kind: 'ResourceQuota',
      metadata: { name: 'q', namespace: 'shop' },
      spec: { hard: { 'limits.memory': '8Gi', pods: '10' } },
    };
    const raise = (hard: Record<string, string>) =>
      applyEdit(act({ type: 'PatchResourceQuota', name: 'q', hard }), quota);
    expect(raise({ 'limits.memory': '12Gi' })).toMatchObject({
      object: { spec: { hard: { 'limits.memory': '12Gi', pods: '10' } } },
    });
    expect(raise({ 'limits.memory': '4Gi' })).toEqual({
      refusal: 'limits.memory=4Gi would lower the limit from 8Gi; a patch only raises limits.',
    });
    expect(raise({ 'requests.cpu': '4' })).toEqual({
      refusal: 'ResourceQuota q does not limit requests.cpu; a patch only raises existing limits.',
    });
  });

  it('edits a Service port and a ConfigMap key', () => {
    const service: EditableObject = {
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8081 }] },
    };
    expect(applyEdit(act({ type: 'PatchServicePort', port: 80, targetPort: 8080 }), service)).toMatchObject({
      object: { spec: { ports: [{ port: 80, targetPort: 8080 }] } },
    });
    expect(applyEdit(act({ type: 'PatchServicePort', port: 443, targetPort: 8443 }), service)).toEqual({
      refusal: 'Service web has no port 443 (it has 80).',
    });
    const map: EditableObject = { kind: 'ConfigMap', metadata: { name: 'web' }, data: { a: '1' } };
    expect(applyEdit(act({ type: 'PatchConfigMapKey', key: 'b', value: '2' }), map)).toMatchObject({
      object: { data: { a: '1', b: '2' } },
    });
  });
});

describe('pre-images', () => {
  it('restores labels, annotations and spec exactly, keeping what the server owns', () => {
    const before = deployment();
    const image = preImageOf('Deployment', before);
    expect(image.annotations).toEqual({ team: 'storefront' });
    const after = applyEdit(
      act({
        type: 'PatchContainerResources',
        kind: 'Deployment',
        container: 'app',
        limits: { memory: '1Gi' },
      }),
      before,
    );
    if ('refusal' in after) throw new Error(after.refusal);
    after.object.metadata.labels = { app: 'web', extra: 'x' };
    after.object.metadata.annotations = { 'deployment.kubernetes.io/revision': '4' };
    after.object.metadata.resourceVersion = '9';
    expect(preImageDifferences('Deployment', image, after.object)).toEqual(['labels', 'annotations', 'spec']);
    const restored = restoredObject('Deployment', { namespace: 'shop', name: 'web' }, image, after.object);
    expect(preImageDifferences('Deployment', image, restored)).toEqual([]);
    expect(restored.metadata).toMatchObject({
      resourceVersion: '9',
      annotations: { team: 'storefront', 'deployment.kubernetes.io/revision': '4' },
    });
  });

  it('re-creates a deleted quota with its scopeSelector, labels and annotations', () => {
    const quota: EditableObject = {
      kind: 'ResourceQuota',
      metadata: { name: 'q', namespace: 'shop', labels: { tier: 'batch' }, annotations: { owner: 'ops' } },
      spec: {
        hard: { pods: '10' },
        scopeSelector: {
          matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['low'] }],
        },
      },
    };
    expect(
      restoredObject(
        'ResourceQuota',
        { namespace: 'shop', name: 'q' },
        preImageOf('ResourceQuota', quota),
        undefined,
      ),
    ).toEqual({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'q', namespace: 'shop', labels: { tier: 'batch' }, annotations: { owner: 'ops' } },
      spec: quota.spec,
    });
  });
});

describe('resource bounds', () => {
  const input: BoundsInput = {
    before: { limits: { memory: '256Mi' } },
    after: { limits: { memory: '1Gi' } },
    pods: 2,
    limitRanges: [],
    quotas: [],
    maxima: { cpu: '8', memory: '32Gi' },
  };

  it('states the bounds and passes within them', () => {
    const quotas = [
      {
        metadata: { name: 'mem' },
        spec: { hard: { 'limits.memory': '4Gi' } },
        status: { used: { 'limits.memory': '512Mi' } },
      },
    ];
    expect(checkResourceBounds({ ...input, quotas })).toEqual({
      bounds: [
        'at most 8 cpu per container (configured maximum)',
        'at most 32Gi memory per container (configured maximum)',
        'ResourceQuota mem: limits.memory 512Mi used of 4Gi, 2Gi after the change',
      ],
    });
  });

  it.each<[string, Partial<BoundsInput>, string]>([
    [
      'above a LimitRange max',
      {
        limitRanges: [
          { metadata: { name: 'lr' }, spec: { limits: [{ type: 'Container', max: { memory: '512Mi' } }] } },
        ],
      },
      "the change would break its bounds: limits.memory 1Gi is above LimitRange lr's max 512Mi.",
    ],
    [
      'beyond what the quota has left',
      {
        quotas: [
          {
            metadata: { name: 'mem' },
            spec: { hard: { 'limits.memory': '2Gi' } },
            status: { used: { 'limits.memory': '1536Mi' } },
          },
        ],
      },
      'the change would break its bounds: ResourceQuota mem would be exceeded: limits.memory would reach 3Gi of 2Gi.',
    ],
    [
      'above the configured maximum',
      { maxima: { cpu: '8', memory: '512Mi' } },
      'the change would break its bounds: limits.memory 1Gi is above the configured maximum 512Mi.',
    ],
  ])('refuses a change %s', (_name, extra, refusal) => {
    expect(checkResourceBounds({ ...input, ...extra }).refusal).toBe(refusal);
  });
});

describe('pod-level edits', () => {
  it('replaces the scheduling fields it names and removes the ones it empties', () => {
    const live = deployment();
    const podSpec = (o: EditableObject) =>
      (o.spec as { template: { spec: Record<string, unknown> } }).template.spec;
    podSpec(live).nodeSelector = { disktype: 'nvme' };
    const result = applyEdit(
      act({
        type: 'PatchPodScheduling',
        kind: 'Deployment',
        nodeSelector: {},
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'batch', effect: 'NoSchedule' }],
      }),
      live,
    );
    if ('refusal' in result) throw new Error(result.refusal);
    expect(podSpec(result.object).nodeSelector).toBeUndefined();
    expect(podSpec(result.object).tolerations).toEqual([
      { key: 'dedicated', operator: 'Equal', value: 'batch', effect: 'NoSchedule' },
    ]);
  });

  it('sets who the pods run as, keeping the rest of the securityContext', () => {
    const live = deployment();
    (live.spec as { template: { spec: Record<string, unknown> } }).template.spec.securityContext = {
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    };
    const result = applyEdit(
      act({ type: 'PatchPodSecurityContext', kind: 'Deployment', runAsUser: 10001, fsGroup: 2000 }),
      live,
    );
    if ('refusal' in result) throw new Error(result.refusal);
    expect(
      (result.object.spec as { template: { spec: { securityContext: unknown } } }).template.spec
        .securityContext,
    ).toEqual({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
      runAsUser: 10001,
      fsGroup: 2000,
    });
  });
});

describe('AddRoleRule', () => {
  const role = (rules: object[]): EditableObject => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'elector', namespace: 'shop', resourceVersion: '4', labels: { app: 'web' } },
    rules: rules as EditableObject['rules'],
  });
  const add = (apiGroup: string, resource: string, verb: string) =>
    act({ type: 'AddRoleRule', name: 'elector', apiGroup, resource, verb });

  it('adds the verb to the rule naming that resource, and the pre-image puts the rules back exactly', () => {
    const before = role([{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] }]);
    const result = applyEdit(add('coordination.k8s.io', 'leases', 'get'), before);
    expect(result).toStrictEqual({
      object: role([{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create', 'get'] }]),
      change: 'Role shop/elector with get on leases in API group coordination.k8s.io',
    });
    const edited = (result as { object: EditableObject }).object;
    const preImage = preImageOf('Role', before);
    expect(preImageDifferences('Role', preImage, edited)).toStrictEqual(['rules']);
    const restored = restoredObject('Role', { namespace: 'shop', name: 'elector' }, preImage, edited);
    expect(preImageDifferences('Role', preImage, restored)).toStrictEqual([]);
    expect(restored.rules).toStrictEqual(before.rules);
  });

  it('adds a rule of its own when none names exactly that resource', () => {
    const result = applyEdit(
      add('', 'configmaps', 'list'),
      role([{ apiGroups: [''], resources: ['pods', 'configmaps'], verbs: ['get'] }]),
    );
    expect((result as { object: EditableObject }).object.rules).toStrictEqual([
      { apiGroups: [''], resources: ['pods', 'configmaps'], verbs: ['get'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['list'] },
    ]);
  });

  it.each([
    [
      'a Role that already allows it',
      [{ apiGroups: [''], resources: ['*'], verbs: ['get'] }],
      'Role elector already allows get on pods.',
    ],
    [
      'a Role that also grants what the writer does not hold (the API server would call it escalation)',
      [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }],
      'Role elector also grants get secrets, which the writer does not hold; the API server would refuse the update as an escalation, so a human must add this rule.',
    ],
  ])('refuses %s', (_name, rules, refusal) => {
    expect(applyEdit(add('', 'pods', 'get'), role(rules))).toStrictEqual({ refusal });
  });

  it.each([
    ['a wildcard verb', '', 'pods', '*'],
    ['escalate', 'rbac.authorization.k8s.io', 'roles', 'escalate'],
    ['bind', 'rbac.authorization.k8s.io', 'clusterroles', 'bind'],
    ['impersonate', '', 'serviceaccounts', 'impersonate'],
    ['secrets', '', 'secrets', 'get'],
    ['a write outside leases', '', 'pods', 'delete'],
  ])('rejects %s at the schema', (_name, apiGroup, resource, verb) => {
    const parsed = ActionSchema.safeParse({
      type: 'AddRoleRule',
      namespace: 'shop',
      name: 'r',
      apiGroup,
      resource,
      verb,
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(
      /^must be one of the grantable permissions: get\/list\/watch on pods/,
    );
  });
});
