// The scoped identity on kube-sim with RBAC: the manager's own credentials cannot make a change,
// the minted token can use only its action type's verbs in the target namespace, the binding is
// gone afterwards; and late recovery: an action that did not recover in its window is `failed`,
// then `recovered` once the target recovers within the late window.
import { type ActionExecution } from '@foxhound/contracts';
import { statusCodeOf } from '@foxhound/kube';
import { createLogger } from '@foxhound/service-kit';
import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import {
  actionsHarness,
  MANAGER_NS,
  ROLE_PREFIX,
  WRITER_SA,
  type ActionsHarness,
} from '../testing/actions-harness';
import { call, eventually } from '../testing/http';
import { ScopedIdentity } from './scoped-identity';

let h: ActionsHarness;
beforeAll(async () => {
  h = await actionsHarness({ missingImages: ['web:broken'] });
  for (const ns of ['shop', 'other'])
    h.sim.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  for (const ns of ['shop', 'other'])
    h.sim.store.create('deployments.apps', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: ns },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'app', image: 'web:1' }] },
        },
      },
    } as never);
});
afterAll(() => h.close());

const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const scale = (apps: AppsV1Api, namespace: string, replicas: number) =>
  apps.patchNamespacedDeploymentScale({ name: 'web', namespace, body: { spec: { replicas } } }, merge);
const status = (p: Promise<unknown>) =>
  p.then(
    () => 200,
    (err: unknown) => statusCodeOf(err),
  );
const bindings = (namespace: string) =>
  h.sim.store.list('rolebindings.rbac.authorization.k8s.io', { namespace }).items;

it("the manager's own identity cannot write a target (403)", async () => {
  const apps = h.managerConfig.makeApiClient(AppsV1Api);
  const core = h.managerConfig.makeApiClient(CoreV1Api);
  expect(await status(scale(apps, 'shop', 2))).toBe(403);
  expect(
    await status(core.deleteNamespacedResourceQuota({ name: 'orders-compute', namespace: 'orders' })),
  ).toBe(403);
  expect(await status(apps.readNamespacedDeployment({ name: 'web', namespace: 'shop' }))).toBe(200);
});

it("the minted token holds only its action's verbs in its namespace, and the binding is gone afterwards", async () => {
  const identity = new ScopedIdentity({
    kubeConfig: h.managerConfig,
    namespace: MANAGER_NS,
    serviceAccount: WRITER_SA,
    clusterRolePrefix: ROLE_PREFIX,
    logger: createLogger({ service: 'test', level: 'silent' }),
  });
  const seen: Record<string, number | undefined> = {};
  const run = await identity.run(
    { type: 'ScaleDeployment', namespace: 'shop', name: 'web', replicas: 2 },
    'scoped-test',
    async (apis) => {
      seen.scaleHere = await status(scale(apis.apps, 'shop', 2));
      seen.scaleElsewhere = await status(scale(apis.apps, 'other', 2));
      seen.patchDeployment = await status(
        apis.apps.patchNamespacedDeployment(
          { name: 'web', namespace: 'shop', body: { metadata: { labels: { x: 'y' } } } },
          merge,
        ),
      );
      const pod = h.sim.store.list('pods', { namespace: 'shop' }).items[0];
      seen.deletePod = await status(
        apis.core.deleteNamespacedPod({ name: pod.metadata.name, namespace: 'shop' }),
      );
      seen.deleteQuota = await status(
        apis.core.deleteNamespacedResourceQuota({ name: 'orders-compute', namespace: 'orders' }),
      );
    },
  );
  expect(seen).toEqual({
    scaleHere: 200,
    scaleElsewhere: 403,
    patchDeployment: 403,
    deletePod: 403,
    deleteQuota: 403,
  });
  expect(run.identity).toMatch(
    /^system:serviceaccount:foxhound:foxhound-action-writer \(token 600s, RoleBinding shop\/foxhound-action-[0-9a-f]{16} → ClusterRole foxhound-action-scale-deployment\)$/,
  );
  expect(bindings('shop')).toEqual([]);
});

it('reports failed when the target does not recover in its window, then recovered late', async () => {
  const manager = await h.start({
    ACTIONS_RECOVERY_WINDOW_SECONDS: '1',
    ACTIONS_LATE_RECOVERY_SECONDS: '120',
  });
  const get = async () =>
    (await call<ActionExecution>(manager.url, 'GET', '/v1/actions/executions/late-1')).body;
  await call(manager.url, 'POST', '/v1/actions/executions', {
    body: {
      proposalId: 'late-1',
      investigationId: 'inv-1',
      approvedBy: 'alice',
      action: {
        type: 'PatchDeploymentImage',
        namespace: 'other',
        name: 'web',
        container: 'app',
        image: 'web:broken',
      },
    },
  });
  const failed = await eventually(async () => ((await get()).state === 'failed' ? get() : undefined), 20_000);
  expect(failed).toMatchObject({
    final: false,
    message: expect.stringMatching(/^Not recovered within 1 s of the apply/),
  });
  expect(failed.evidence).toContain('Pods of Deployment other/web: 1/2 Ready');

  // Someone fixes the image by hand: the pods that failed are gone, the Deployment becomes available.
  const apps = h.adminConfig.makeApiClient(AppsV1Api);
  await apps.patchNamespacedDeployment(
    {
      name: 'web',
      namespace: 'other',
      body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'web:1' }] } } } },
    },
    setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
  );
  const recovered = await eventually(async () => ((await get()).final ? get() : undefined), 20_000);
  expect(recovered).toMatchObject({
    state: 'recovered',
    message: expect.stringMatching(/^Recovered late, \d+ s after the apply\.$/),
  });
  await manager.shutdown();
});
