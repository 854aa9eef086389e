// Remediation end to end on kube-sim with its controllers and RBAC: the manager's HTTP API checks,
// dry-runs and executes approved actions through a per-action scoped identity, then observes the
// target until it recovers. Every action type reaches `recovered`; refusals write nothing.
import { type ActionCheck, type ActionExecution, type ExecutableAction } from '@foxhound/contracts';
import { type KubeObject } from '@foxhound/kube-sim';
import { call, eventually } from '../testing/http';
import { actionsHarness, MANAGER_NS, type ActionsHarness } from '../testing/actions-harness';
import { type ManagerRuntime } from '../server/server';
import { recordName } from './records';

let h: ActionsHarness;
let manager: ManagerRuntime;
beforeAll(async () => {
  h = await actionsHarness();
  manager = await h.start();
  h.sim.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
});
afterAll(() => h.close());

const DEPLOYMENTS = 'deployments.apps';
let seq = 0;
const nextId = () => `p-${++seq}`;

function createDeployment(name: string, labels: Record<string, string> = {}, image = 'web:1'): void {
  h.sim.store.create(DEPLOYMENTS, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop', labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } },
    },
  } as never);
}

const deployment = (name: string) =>
  h.sim.store.get(DEPLOYMENTS, 'shop', name) as KubeObject & {
    spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
    status?: { availableReplicas?: number; observedGeneration?: number };
  };

async function available(name: string): Promise<void> {
  await eventually(async () => {
    const d = deployment(name);
    return d.status?.availableReplicas === d.spec.replicas &&
      (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
      ? true
      : undefined;
  });
}

const validate = (action: ExecutableAction, expected?: object, livePatchOnGitOps?: { reason: string }) =>
  call<ActionCheck>(manager.url, 'POST', '/v1/actions/validate', {
    body: { action, expected, livePatchOnGitOps },
  });

async function execute(
  action: ExecutableAction,
  proposalId = nextId(),
  expected?: object,
  livePatchOnGitOps?: { reason: string },
) {
  const res = await call<ActionExecution>(manager.url, 'POST', '/v1/actions/executions', {
    body: { proposalId, investigationId: 'inv-1', action, approvedBy: 'alice', expected, livePatchOnGitOps },
  });
  expect(res.status).toBe(202);
  return res.body;
}

async function final(proposalId: string, url = manager.url): Promise<ActionExecution> {
  return eventually(async () => {
    const res = await call<ActionExecution>(url, 'GET', `/v1/actions/executions/${proposalId}`);
    return res.body.final ? res.body : undefined;
  }, 20_000);
}

const bindings = (namespace: string) =>
  h.sim.store.list('rolebindings.rbac.authorization.k8s.io', { namespace }).items;

describe('the quota incident', () => {
  it('validates, deletes the quota through the scoped identity, and sees the pods admitted', async () => {
    const action: ExecutableAction = {
      type: 'DeleteResourceQuota',
      namespace: 'orders',
      name: 'orders-compute',
    };
    const quota = h.sim.store.get('resourcequotas', 'orders', 'orders-compute');
    const expected = { resourceVersion: quota.metadata.resourceVersion };
    // Argo CD manages this quota (its tracking annotation): a live patch must be chosen explicitly.
    expect((await validate(action, expected)).body).toMatchObject({
      ok: false,
      refusal: expect.stringMatching(/Argo CD manages the target \(Application platform-guardrails/),
    });
    const chosen = { reason: 'orders are backing up; the guardrail repo change follows' };
    expect((await validate(action, expected, chosen)).body).toEqual({
      ok: true,
      dryRun: { ok: true, message: 'Dry run accepted: Deleted ResourceQuota orders/orders-compute.' },
    });
    expect(h.sim.store.find('resourcequotas', 'orders', 'orders-compute')).toBeDefined();

    const started = await execute(action, 'quota-1', expected, chosen);
    expect(started).toMatchObject({ proposalId: 'quota-1', state: 'applying', final: false });
    const done = await final('quota-1');
    expect(done).toMatchObject({ state: 'recovered', message: 'Recovered.' });
    expect(done.identity).toMatch(
      /^system:serviceaccount:foxhound:foxhound-action-writer \(token 600s, RoleBinding orders\/foxhound-action-/,
    );
    expect(done.evidence).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Deployment orders\/order-processor: (\d+)\/\1 available, \1\/\1 updated$/),
        'No new Warning events in namespace orders since the apply',
      ]),
    );
    expect(h.sim.store.find('resourcequotas', 'orders', 'orders-compute')).toBeUndefined();
    expect(bindings('orders')).toEqual([]);
  });

  it('executes a proposal once: a repeat and a restarted manager return the recorded execution', async () => {
    const again = await execute(
      { type: 'DeleteResourceQuota', namespace: 'orders', name: 'orders-compute' },
      'quota-1',
    );
    expect(again).toMatchObject({ proposalId: 'quota-1', state: 'recovered', final: true });
    await manager.shutdown();
    manager = await h.start();
    const read = await call<ActionExecution>(manager.url, 'GET', '/v1/actions/executions/quota-1');
    expect(read.body).toMatchObject({ state: 'recovered', final: true });
    expect(
      h.sim.store
        .list('configmaps', { namespace: MANAGER_NS, labelSelector: 'foxhound.dev/action-execution' })
        .items.map((c) => c.metadata.name),
    ).toContain(recordName('quota-1'));
  });

  it('rolls back by re-creating the quota (RestoreResourceQuota)', async () => {
    const action: ExecutableAction = {
      type: 'RestoreResourceQuota',
      namespace: 'orders',
      name: 'orders-compute',
      hard: { 'limits.memory': '64Gi', pods: '100' },
    };
    expect((await validate(action)).body.ok).toBe(true);
    const id = nextId();
    await execute(action, id);
    const done = await final(id);
    expect(done).toMatchObject({ state: 'recovered' });
    expect(done.evidence).toContain(
      'ResourceQuota orders/orders-compute: exists with hard limits.memory=64Gi, pods=100',
    );
    expect(h.sim.store.get('resourcequotas', 'orders', 'orders-compute')).toMatchObject({
      spec: { hard: { 'limits.memory': '64Gi', pods: '100' } },
    });
  });
});

describe('every action type on a healthy Deployment', () => {
  beforeAll(async () => {
    createDeployment('web');
    await available('web');
  });

  it.each<[string, () => ExecutableAction, (d: ReturnType<typeof deployment>) => void]>([
    [
      'PatchDeploymentImage',
      () => ({
        type: 'PatchDeploymentImage',
        namespace: 'shop',
        name: 'web',
        container: 'app',
        image: 'web:2',
      }),
      (d) => expect(d.spec.template.spec.containers[0].image).toBe('web:2'),
    ],
    [
      'RollbackDeployment',
      () => ({ type: 'RollbackDeployment', namespace: 'shop', name: 'web' }),
      (d) => expect(d.spec.template.spec.containers[0].image).toBe('web:1'),
    ],
    [
      'ScaleDeployment',
      () => ({ type: 'ScaleDeployment', namespace: 'shop', name: 'web', replicas: 3 }),
      (d) => expect(d.spec.replicas).toBe(3),
    ],
    [
      'RolloutRestart',
      () => ({ type: 'RolloutRestart', namespace: 'shop', name: 'web', kind: 'Deployment' }),
      (d) => expect(d.metadata.annotations?.['foxhound.dev/applied-by-proposal']).toMatch(/^p-/),
    ],
    [
      'DeletePod',
      () => {
        const pod = h.sim.store.list('pods', { namespace: 'shop', labelSelector: 'app=web' }).items[0];
        return { type: 'DeletePod', namespace: 'shop', name: pod.metadata.name };
      },
      (d) => expect(d.status?.availableReplicas).toBe(3),
    ],
  ])(
    '%s: validate → execute → recovered, through a binding that is gone afterwards',
    async (_type, make, check) => {
      const action = make();
      expect((await validate(action)).body).toMatchObject({ ok: true, dryRun: { ok: true } });
      const id = nextId();
      await execute(action, id);
      const done = await final(id);
      expect({ state: done.state, message: done.message }).toEqual({
        state: 'recovered',
        message: 'Recovered.',
      });
      check(deployment('web'));
      expect(bindings('shop')).toEqual([]);
    },
  );
});

describe('refusals write nothing', () => {
  beforeAll(async () => {
    createDeployment('api');
    createDeployment('agent', { 'app.kubernetes.io/managed-by': 'foxhound' });
    await available('api');
  });

  it('refuses a target that changed since the proposal (digest)', async () => {
    const action: ExecutableAction = { type: 'ScaleDeployment', namespace: 'shop', name: 'api', replicas: 4 };
    const before = deployment('api').metadata.resourceVersion;
    expect((await validate(action, { digest: '0000000000000000' })).body).toEqual({
      ok: false,
      refusal: expect.stringContaining(
        'ScaleDeployment shop/api: the target changed since the proposal (digest 0000000000000000 then',
      ),
    });
    const id = nextId();
    await execute(action, id, { digest: '0000000000000000' });
    const done = await final(id);
    expect(done).toMatchObject({ state: 'failed', final: true });
    expect(done.message).toMatch(
      /^Refused: ScaleDeployment shop\/api: the target changed since the proposal/,
    );
    expect(deployment('api').metadata.resourceVersion).toBe(before);
  });

  it.each<[string, ExecutableAction, string]>([
    [
      'a protected namespace',
      { type: 'DeletePod', namespace: 'kube-system', name: 'coredns-0' },
      'DeletePod kube-system/coredns-0: namespace kube-system is protected; Foxhound never changes anything there.',
    ],
    [
      "the manager's own namespace",
      { type: 'ScaleDeployment', namespace: MANAGER_NS, name: 'gateway', replicas: 0 },
      'ScaleDeployment foxhound/gateway: namespace foxhound is protected; Foxhound never changes anything there.',
    ],
    [
      'an object labelled as managed by Foxhound',
      { type: 'ScaleDeployment', namespace: 'shop', name: 'agent', replicas: 1 },
      'ScaleDeployment shop/agent: the target is labelled app.kubernetes.io/managed-by=foxhound and is protected.',
    ],
  ])('refuses %s at validation and at execution', async (_name, action, refusal) => {
    expect((await validate(action)).body).toEqual({ ok: false, refusal });
    const id = nextId();
    await execute(action, id);
    expect(await final(id)).toMatchObject({ state: 'failed', final: true, message: `Refused: ${refusal}` });
  });

  it('refuses what the API server refuses in a dry run', async () => {
    // The namespace allows one quota: quota admission refuses a second one.
    h.sim.store.create('resourcequotas', {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'one-quota', namespace: 'shop' },
      spec: { hard: { 'count/resourcequotas': '1' } },
    } as never);
    const action: ExecutableAction = {
      type: 'RestoreResourceQuota',
      namespace: 'shop',
      name: 'second',
      hard: { pods: '10' },
    };
    const check = (await validate(action)).body;
    expect(check).toMatchObject({ ok: false, dryRun: { ok: false } });
    expect(check.refusal).toMatch(
      /^The API server refused the change in a dry run: .*403 .*exceeded quota: one-quota/,
    );
    const id = nextId();
    await execute(action, id);
    const done = await final(id);
    expect(done).toMatchObject({ state: 'failed', final: true });
    expect(done.message).toMatch(/^Refused: the API server refused the change in a dry run/);
    expect(h.sim.store.find('resourcequotas', 'shop', 'second')).toBeUndefined();
  });

  it('answers 403 on every action route when actions are disabled', async () => {
    const off = await h.start({ ACTIONS_ENABLED: 'false' });
    try {
      const res = await call(off.url, 'GET', '/v1/actions/executions/p-1');
      expect(res).toMatchObject({
        status: 403,
        body: { detail: 'Remediation actions are disabled (ACTIONS_ENABLED=false).' },
      });
    } finally {
      await off.shutdown();
    }
  });
});
