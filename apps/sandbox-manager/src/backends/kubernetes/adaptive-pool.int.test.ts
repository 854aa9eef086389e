// The Kubernetes backend's adaptive SandboxWarmPool against kube-sim: claims that queue for a
// sandbox switch the pool to burst mode and its replicas are patched to the ceiling; every claim
// is served, and /v1/pool and the metrics say so.
import { type PoolStatus, type SandboxDescriptor } from '@foxhound/contracts';
import { type ManagerRuntime } from '../../server/server';
import { call, eventually } from '../../testing/http';
import { NAMESPACE, POOL, WARM_POOLS, kubeHarness, type KubeHarness } from '../../testing/kube-harness';

let harness: KubeHarness | undefined;
let manager: ManagerRuntime | undefined;

afterEach(async () => {
  await manager?.shutdown();
  await harness?.close();
  manager = undefined;
  harness = undefined;
});

const replicas = () =>
  (harness!.sim.store.find(WARM_POOLS, NAMESPACE, POOL)?.spec as { replicas?: number } | undefined)?.replicas;

it('claims queued at once put the pool in burst mode and its replicas at the ceiling', async () => {
  harness = await kubeHarness({ replicas: 1 });
  manager = await harness.start({ SANDBOX_WARM_POOL_MIN: '1', SANDBOX_WARM_POOL_MAX: '3' });
  const results = await Promise.all(
    Array.from({ length: 4 }, (_, i) =>
      call<SandboxDescriptor>(manager!.url, 'POST', '/v1/sandboxes', { body: { threadId: `storm-${i}` } }),
    ),
  );
  expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
  await eventually(async () => (replicas() === 3 ? true : undefined));
  const pool = (await call<PoolStatus>(manager.url, 'GET', '/v1/pool')).body;
  expect(pool).toMatchObject({
    backend: 'kubernetes',
    floor: 1,
    ceiling: 3,
    desired: 3,
    mode: 'burst',
    queued: 0,
  });
  expect(await (await fetch(`${manager.url}/metrics`)).text()).toContain(
    'foxhound_sandbox_manager_pool_desired{backend="kubernetes"} 3',
  );
});

it('without SANDBOX_WARM_POOL_MAX the replicas stay as deployed', async () => {
  harness = await kubeHarness({ replicas: 1 });
  manager = await harness.start();
  await Promise.all(
    Array.from({ length: 3 }, (_, i) =>
      call(manager!.url, 'POST', '/v1/sandboxes', { body: { threadId: `calm-${i}` } }),
    ),
  );
  expect(replicas()).toBe(1);
  expect((await call<PoolStatus>(manager.url, 'GET', '/v1/pool')).body).not.toHaveProperty('mode');
});
