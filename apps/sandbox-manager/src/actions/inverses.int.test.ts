// Exact inverses on kube-sim with its controllers and RBAC, through the manager's HTTP API as the
// gateway drives it: for every action type that changes an object, an incident (where kube-sim
// models one) is proposed against (validate: checks and a dry run), approved (execute), applied
// and recovered; its inverse (RestoreObject, built from the pre-image the proposal captured) is
// then applied and the object equals its pre-image in everything but what the server owns
// (userOwned). Bad input is refused with a reason and writes nothing.
import {
  type ActionCheck,
  type EditableObject,
  type ExecutableAction,
  preImageOf,
  type RestorableKind,
} from '@foxhound/contracts';
import { targetDigest } from '@foxhound/kube';
import { type KubeObject } from '@foxhound/kube-sim';
import { executeToEnd, userOwned, validate } from '../testing/action-calls';
import { actionsHarness, type ActionsHarness } from '../testing/actions-harness';
import { call, eventually } from '../testing/http';
import { type ManagerRuntime } from '../server/server';

let h: ActionsHarness;
let manager: ManagerRuntime;
beforeAll(async () => {
  h = await actionsHarness();
  manager = await h.start();
});
afterAll(() => h.close());

const DEPLOYMENTS = 'deployments.apps';
const RESOURCE: Record<RestorableKind, string> = {
  Deployment: DEPLOYMENTS,
  StatefulSet: 'statefulsets.apps',
  DaemonSet: 'daemonsets.apps',
  Service: 'services',
  ConfigMap: 'configmaps',
  ResourceQuota: 'resourcequotas',
  Role: 'roles.rbac.authorization.k8s.io',
};
let namespaces = 0;
function namespace(): string {
  const name = `inv-${++namespaces}`;
  h.sim.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

interface WebOptions {
  name?: string;
  labels?: Record<string, string>;
  replicas?: number;
  env?: Record<string, unknown>[];
  /** More pod spec fields: a nodeSelector, a securityContext. */
  podSpec?: Record<string, unknown>;
  /** Where the readiness probe checks (default the port the container serves). */
  probePort?: number | string;
}

/** A Deployment as teams write them: labels, an owner annotation, a port, a probe on it, resources, env. */
function web(ns: string, options: WebOptions = {}): void {
  const name = options.name ?? 'web';
  const labels = { app: name, ...options.labels };
  h.sim.store.create(DEPLOYMENTS, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: ns,
      labels: { app: name, team: 'storefront' },
      annotations: { owner: 'team-a' },
    },
    spec: {
      replicas: options.replicas ?? 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels },
        spec: {
          ...options.podSpec,
          containers: [
            {
              name: 'app',
              image: 'web:1',
              ports: [{ name: 'http', containerPort: 8080 }],
              readinessProbe: {
                httpGet: { path: '/healthz', port: options.probePort ?? 'http' },
                periodSeconds: 10,
              },
              resources: { requests: { memory: '128Mi' }, limits: { memory: '256Mi' } },
              env: [{ name: 'MODE', value: 'prod' }, ...(options.env ?? [])],
            },
          ],
        },
      },
    },
  } as never);
}

function configMap(ns: string, data: Record<string, string>): void {
  h.sim.store.create('configmaps', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'web-config', namespace: ns, labels: { app: 'web' }, annotations: { owner: 'team-a' } },
    data,
  } as never);
}

function service(ns: string, selector: Record<string, string>, targetPort: number | string = 8080): void {
  h.sim.store.create('services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: ns, labels: { app: 'web' }, annotations: { owner: 'team-a' } },
    spec: { selector, ports: [{ name: 'http', port: 80, targetPort }] },
  } as never);
}

function quota(ns: string, hard: Record<string, string>, spec: Record<string, unknown> = {}): void {
  h.sim.store.create('resourcequotas', {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: {
      name: 'compute',
      namespace: ns,
      labels: { tier: 'apps' },
      annotations: { owner: 'platform' },
    },
    spec: { hard, ...spec },
  } as never);
}

const read = (kind: RestorableKind, ns: string, name: string) =>
  h.sim.store.find(RESOURCE[kind], ns, name) as (KubeObject & EditableObject) | undefined;

/** Waits until the Deployment's controller has seen its spec. */
const observed = (ns: string, name = 'web') =>
  eventually(async () => {
    const d = read('Deployment', ns, name);
    return (d?.status?.observedGeneration as number | undefined) === d?.metadata.generation
      ? true
      : undefined;
  });

/** Waits until every replica of the Deployment is available (a rollout finished). */
const available = (ns: string, name = 'web') =>
  eventually(async () => {
    const d = read('Deployment', ns, name);
    const replicas = (d?.spec as { replicas?: number } | undefined)?.replicas;
    return d?.status?.availableReplicas === replicas && d?.status?.updatedReplicas === d?.status?.replicas
      ? true
      : undefined;
  });

const MISSING_KEY_ENV = [
  { name: 'DB_URL', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'db_url' } } },
];

interface Case {
  kind: RestorableKind;
  name?: string;
  /** Builds the incident (or a healthy workload where kube-sim models no failure for it). */
  setup(ns: string): void;
  action(ns: string): ExecutableAction;
}

const cases: Record<string, Case> = {
  PatchDeploymentImage: {
    kind: 'Deployment',
    setup: (ns) => web(ns),
    action: (ns) => ({
      type: 'PatchDeploymentImage',
      namespace: ns,
      name: 'web',
      container: 'app',
      image: 'web:2',
    }),
  },
  RollbackDeployment: {
    kind: 'Deployment',
    setup: (ns) => web(ns),
    action: (ns) => ({ type: 'RollbackDeployment', namespace: ns, name: 'web', toRevision: 1 }),
  },
  ScaleDeployment: {
    kind: 'Deployment',
    setup: (ns) => web(ns),
    action: (ns) => ({ type: 'ScaleDeployment', namespace: ns, name: 'web', replicas: 3 }),
  },
  RolloutRestart: {
    kind: 'Deployment',
    setup: (ns) => web(ns),
    action: (ns) => ({ type: 'RolloutRestart', namespace: ns, name: 'web', kind: 'Deployment' }),
  },
  DeleteResourceQuota: {
    kind: 'ResourceQuota',
    name: 'compute',
    // A quota scoped to one PriorityClass: restoring it without its scopeSelector would apply it to every pod.
    setup: (ns) =>
      quota(
        ns,
        { pods: '10' },
        {
          scopeSelector: {
            matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['batch'] }],
          },
        },
      ),
    action: (ns) => ({ type: 'DeleteResourceQuota', namespace: ns, name: 'compute' }),
  },
  PatchContainerResources: {
    kind: 'Deployment',
    setup: (ns) => web(ns),
    action: (ns) => ({
      type: 'PatchContainerResources',
      namespace: ns,
      name: 'web',
      kind: 'Deployment',
      container: 'app',
      limits: { memory: '512Mi' },
    }),
  },
  PatchContainerProbe: {
    kind: 'Deployment',
    // The probe checks 9090; the server listens on 8080 (http): the pods never become Ready.
    setup: (ns) => web(ns, { probePort: 9090 }),
    action: (ns) => ({
      type: 'PatchContainerProbe',
      namespace: ns,
      name: 'web',
      kind: 'Deployment',
      container: 'app',
      probe: 'readiness',
      port: 'http',
    }),
  },
  PatchContainerCommand: {
    kind: 'Deployment',
    setup: (ns) => web(ns),
    action: (ns) => ({
      type: 'PatchContainerCommand',
      namespace: ns,
      name: 'web',
      kind: 'Deployment',
      container: 'app',
      command: ['/usr/bin/web'],
      args: ['--port', '8080'],
    }),
  },
  PatchContainerEnv: {
    kind: 'Deployment',
    // DB_URL names a key the ConfigMap does not hold: CreateContainerConfigError until it points at one.
    setup: (ns) => {
      configMap(ns, { database_url: 'postgres://db:5432/shop' });
      web(ns, { env: MISSING_KEY_ENV });
    },
    action: (ns) => ({
      type: 'PatchContainerEnv',
      namespace: ns,
      name: 'web',
      kind: 'Deployment',
      container: 'app',
      change: { op: 'setFrom', name: 'DB_URL', configMapKeyRef: { name: 'web-config', key: 'database_url' } },
    }),
  },
  PatchConfigMapKey: {
    kind: 'ConfigMap',
    name: 'web-config',
    setup: (ns) => {
      configMap(ns, { database_url: 'postgres://db:5432/shop' });
      web(ns, { env: MISSING_KEY_ENV });
    },
    action: (ns) => ({
      type: 'PatchConfigMapKey',
      namespace: ns,
      name: 'web-config',
      key: 'db_url',
      value: 'postgres://db:5432/shop',
    }),
  },
  AddRoleRule: {
    kind: 'Role',
    name: 'leader-election',
    // The app elects a leader through a Lease but its Role lacks `get` on leases (Forbidden).
    setup: (ns) => {
      web(ns);
      h.sim.store.create(RESOURCE.Role, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'leader-election', namespace: ns, labels: { app: 'web' } },
        rules: [
          { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create', 'update'] },
          { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
        ],
      } as never);
    },
    action: (ns) => ({
      type: 'AddRoleRule',
      namespace: ns,
      name: 'leader-election',
      apiGroup: 'coordination.k8s.io',
      resource: 'leases',
      verb: 'get',
    }),
  },
  PatchServiceSelector: {
    kind: 'Service',
    // A typo in the selector: the Service has no endpoints.
    setup: (ns) => {
      web(ns);
      service(ns, { app: 'wbe' });
    },
    action: (ns) => ({ type: 'PatchServiceSelector', namespace: ns, name: 'web', selector: { app: 'web' } }),
  },
  PatchServicePort: {
    kind: 'Service',
    // The Service forwards to 8081; the pods listen on 8080.
    setup: (ns) => {
      web(ns);
      service(ns, { app: 'web' }, 8081);
    },
    action: (ns) => ({ type: 'PatchServicePort', namespace: ns, name: 'web', port: 80, targetPort: 'http' }),
  },
  PatchPodScheduling: {
    kind: 'Deployment',
    // No node carries disktype=nvme: the pods stay Pending until the selector goes.
    setup: (ns) => web(ns, { podSpec: { nodeSelector: { disktype: 'nvme' } } }),
    action: (ns) => ({
      type: 'PatchPodScheduling',
      namespace: ns,
      name: 'web',
      kind: 'Deployment',
      nodeSelector: {},
    }),
  },
  PatchPodSecurityContext: {
    kind: 'Deployment',
    // runAsNonRoot with an image that runs as root: CreateContainerConfigError until a uid is set.
    setup: (ns) => web(ns, { podSpec: { securityContext: { runAsNonRoot: true } } }),
    action: (ns) => ({
      type: 'PatchPodSecurityContext',
      namespace: ns,
      name: 'web',
      kind: 'Deployment',
      runAsUser: 10001,
      runAsGroup: 10001,
    }),
  },
  PatchResourceQuota: {
    kind: 'ResourceQuota',
    name: 'compute',
    // Three replicas under a two-pod quota: one is refused until the quota is raised.
    setup: (ns) => {
      quota(ns, { pods: '2' });
      web(ns, { replicas: 3 });
    },
    action: (ns) => ({ type: 'PatchResourceQuota', namespace: ns, name: 'compute', hard: { pods: '4' } }),
  },
};

describe('every action type, applied then rolled back, leaves its target equal to the pre-image', () => {
  it.each(Object.entries(cases))(
    '%s: propose → approve → apply → recovered → rollback → pre-image',
    async (_type, c) => {
      const ns = namespace();
      const name = c.name ?? 'web';
      c.setup(ns);
      if (read('Deployment', ns, 'web')) await observed(ns);
      const action = c.action(ns);
      if (action.type === 'RollbackDeployment') {
        // A second revision to roll back from.
        h.sim.store.patch(DEPLOYMENTS, ns, 'web', 'strategic', {
          spec: { template: { spec: { containers: [{ name: 'app', image: 'web:2' }] } } },
        });
        await observed(ns);
        await available(ns);
      }

      // Propose: the pre-image the proposal captures, and the checks plus a dry run.
      const before = read(c.kind, ns, name)!;
      const preImage = preImageOf(c.kind, before);
      const expected = {
        resourceVersion: before.metadata.resourceVersion,
        digest: targetDigest(action, before),
      };
      expect(await validate(manager.url, action, expected)).toEqual({
        ok: true,
        dryRun: { ok: true, message: expect.any(String) },
      });

      // Approve and apply: the incident recovers.
      const applied = await executeToEnd(manager.url, action, expected);
      expect({ state: applied.state, message: applied.message }).toEqual({
        state: 'recovered',
        message: 'Recovered.',
      });
      const after = read(c.kind, ns, name);
      expect(after && userOwned(after)).not.toEqual(userOwned(before));

      // Roll back: the exact inverse puts the pre-image back.
      const inverse: ExecutableAction = {
        type: 'RestoreObject',
        namespace: ns,
        name,
        kind: c.kind,
        preImage,
      };
      expect(await validate(manager.url, inverse)).toEqual({
        ok: true,
        dryRun: { ok: true, message: expect.any(String) },
      });
      const restored = await executeToEnd(manager.url, inverse);
      expect(restored.evidence[0]).toMatch(/: equal to its pre-image/);
      expect(userOwned(read(c.kind, ns, name)!)).toEqual(userOwned(before));
    },
  );
});

describe('container edits of StatefulSets and DaemonSets', () => {
  it.each(['StatefulSet', 'DaemonSet'] as const)(
    '%s: validated and dry-run as a replace through its own role',
    async (kind) => {
      const ns = namespace();
      h.sim.store.create(RESOURCE[kind], {
        apiVersion: 'apps/v1',
        kind,
        metadata: { name: 'db', namespace: ns },
        spec: {
          ...(kind === 'StatefulSet' ? { serviceName: 'db', replicas: 1 } : {}),
          selector: { matchLabels: { app: 'db' } },
          template: {
            metadata: { labels: { app: 'db' } },
            spec: { containers: [{ name: 'db', image: 'db:1', resources: { limits: { memory: '1Gi' } } }] },
          },
        },
      } as never);
      const before = read(kind, ns, 'db')!;
      const action: ExecutableAction = {
        type: 'PatchContainerResources',
        namespace: ns,
        name: 'db',
        kind,
        container: 'db',
        limits: { memory: '2Gi' },
      };
      expect(await validate(manager.url, action)).toEqual({
        ok: true,
        dryRun: {
          ok: true,
          message: `Dry run accepted: Set container db of ${kind} ${ns}/db with limits.memory=2Gi.`,
        },
      });
      expect(userOwned(read(kind, ns, 'db')!)).toEqual(userOwned(before));
    },
  );
});

describe('bad input is refused with a reason and writes nothing', () => {
  const refusedWithoutWrite = async (
    action: ExecutableAction,
    kind: RestorableKind,
    name: string,
    refusal: string,
    expected?: { resourceVersion?: string; digest?: string },
  ) => {
    const before = read(kind, action.namespace, name);
    expect(await validate(manager.url, action, expected)).toEqual({ ok: false, refusal });
    const done = await executeToEnd(manager.url, action, expected);
    expect({ state: done.state, message: done.message }).toEqual({
      state: 'failed',
      message: `Refused: ${refusal}`,
    });
    // Controllers may write status meanwhile; nothing a user or an action owns changed.
    expect(userOwned(read(kind, action.namespace, name)!)).toEqual(userOwned(before!));
  };

  it('a ConfigMap that changed since the proposal', async () => {
    const ns = namespace();
    configMap(ns, { a: '1' });
    const seen = read('ConfigMap', ns, 'web-config')!;
    h.sim.store.patch('configmaps', ns, 'web-config', 'merge', { data: { a: '2' } });
    await refusedWithoutWrite(
      { type: 'PatchConfigMapKey', namespace: ns, name: 'web-config', key: 'b', value: '3' },
      'ConfigMap',
      'web-config',
      `PatchConfigMapKey ${ns}/web-config: the target changed since the proposal (resourceVersion ${seen.metadata.resourceVersion} then, ${read('ConfigMap', ns, 'web-config')!.metadata.resourceVersion} now); propose again from its current state.`,
      { resourceVersion: seen.metadata.resourceVersion },
    );
  });

  it('a memory limit above the LimitRange maximum, and one the quota cannot hold', async () => {
    const ns = namespace();
    web(ns);
    h.sim.store.create('limitranges', {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'container-max', namespace: ns },
      spec: { limits: [{ type: 'Container', max: { memory: '1Gi' } }] },
    } as never);
    const patch = (memory: string): ExecutableAction => ({
      type: 'PatchContainerResources',
      namespace: ns,
      name: 'web',
      kind: 'Deployment',
      container: 'app',
      limits: { memory },
    });
    await refusedWithoutWrite(
      patch('2Gi'),
      'Deployment',
      'web',
      `PatchContainerResources ${ns}/web: the change would break its bounds: limits.memory 2Gi is above LimitRange container-max's max 1Gi.`,
    );
    quota(ns, { 'limits.memory': '1Gi' });
    await eventually(async () => (read('ResourceQuota', ns, 'compute')?.status?.used ? true : undefined));
    await refusedWithoutWrite(
      patch('768Mi'),
      'Deployment',
      'web',
      `PatchContainerResources ${ns}/web: the change would break its bounds: ResourceQuota compute would be exceeded: limits.memory would reach 1.5Gi of 1Gi.`,
    );
  });

  it('a selector that matches pods of two workloads, or of another workload', async () => {
    const ns = namespace();
    web(ns, { labels: { tier: 'backend' } });
    web(ns, { name: 'api', labels: { tier: 'backend' } });
    service(ns, { app: 'web' });
    await observed(ns);
    await observed(ns, 'api');
    await eventually(async () =>
      h.sim.store.list('pods', { namespace: ns }).items.length === 4 ? true : undefined,
    );
    await refusedWithoutWrite(
      { type: 'PatchServiceSelector', namespace: ns, name: 'web', selector: { tier: 'backend' } },
      'Service',
      'web',
      `PatchServiceSelector ${ns}/web: selector tier=backend matches pods of 2 workloads (Deployment api, Deployment web); it must select one.`,
    );
    await refusedWithoutWrite(
      { type: 'PatchServiceSelector', namespace: ns, name: 'web', selector: { app: 'api' } },
      'Service',
      'web',
      `PatchServiceSelector ${ns}/web: selector app=api matches pods of Deployment api, another workload than the Deployment web the Service selects now.`,
    );
  });

  it('a live patch on an object Argo CD manages, unless an approver chooses it with a reason', async () => {
    const ns = namespace();
    configMap(ns, { a: '1' });
    h.sim.store.patch('configmaps', ns, 'web-config', 'merge', {
      metadata: { annotations: { 'argocd.argoproj.io/tracking-id': `shop:/ConfigMap:${ns}/web-config` } },
    });
    const action: ExecutableAction = {
      type: 'PatchConfigMapKey',
      namespace: ns,
      name: 'web-config',
      key: 'a',
      value: '2',
    };
    await refusedWithoutWrite(
      action,
      'ConfigMap',
      'web-config',
      `PatchConfigMapKey ${ns}/web-config: Argo CD manages the target (Application shop, annotation argocd.argoproj.io/tracking-id=shop:/ConfigMap:${ns}/web-config) and would revert a live patch at its next sync; change it in Git, or approve the live patch explicitly with a reason (livePatchOnGitOps).`,
    );
    const chosen = await call<ActionCheck>(manager.url, 'POST', '/v1/actions/validate', {
      body: { action, livePatchOnGitOps: { reason: 'stop the outage; the Git change is in review' } },
    });
    expect(chosen.body).toMatchObject({ ok: true, dryRun: { ok: true } });
  });

  it('a restore onto an object deleted and re-created since its pre-image', async () => {
    const ns = namespace();
    configMap(ns, { a: '1' });
    const preImage = preImageOf('ConfigMap', read('ConfigMap', ns, 'web-config')!);
    h.sim.store.delete('configmaps', ns, 'web-config');
    configMap(ns, { a: '2' });
    const now = read('ConfigMap', ns, 'web-config')!;
    await refusedWithoutWrite(
      { type: 'RestoreObject', namespace: ns, name: 'web-config', kind: 'ConfigMap', preImage },
      'ConfigMap',
      'web-config',
      `RestoreObject ${ns}/web-config: the ConfigMap was deleted and re-created since its pre-image was captured (uid ${preImage.uid} then, ${now.metadata.uid} now); restoring it would overwrite a different object.`,
    );
  });
});
