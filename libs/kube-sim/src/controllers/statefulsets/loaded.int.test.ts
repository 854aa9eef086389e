// A StatefulSet loaded from a scenario (node-lost-statefulset-stuck): its pods carry the revision a
// real cluster named, which this controller adopts rather than rolling them. The scenario's fix,
// DeletePod on the pod stuck on the lost node, makes the controller recreate that one pod at the
// captured revision and touch no other.
import { join } from 'node:path';
import { startKubeSim, type KubeSim } from '../../index';
import { kubeConfig } from '../../testing/client';
import { watchObject } from '../../testing/watch-until';
import { defaultControllers } from '../index';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SCENARIO = join(__dirname, '..', '..', '..', '..', '..', 'scenarios', 'node-lost-statefulset-stuck');
let sim: KubeSim;

beforeAll(async () => {
  sim = await startKubeSim({
    prometheus: false,
    scenarios: [SCENARIO],
    controllers: defaultControllers({ kubelet: { startDelayMs: 1, readyDelayMs: 1 }, agentSandbox: false }),
  });
});
afterAll(() => sim?.close());

it('deleting the stuck pod recreates it at the captured revision and leaves its siblings alone', async () => {
  const pods = sim.store.list('pods').items.filter((p) => p.metadata.name.startsWith('zookeeper-'));
  const ns = pods[0].metadata.namespace!;
  const before = new Map(pods.map((p) => [p.metadata.name, p.metadata.uid]));
  const old = before.get('zookeeper-2');
  sim.store.delete('pods', ns, 'zookeeper-2');
  const recreated = await watchObject(
    kubeConfig(sim),
    `/api/v1/namespaces/${ns}/pods`,
    'zookeeper-2',
    (p: Json) => p.metadata.uid !== old,
    20_000,
  );
  expect(recreated.metadata.labels['controller-revision-hash']).toBe('zookeeper-wzjfg5qntp');
  expect(recreated.spec.volumes).toContainEqual({
    name: 'data',
    persistentVolumeClaim: { claimName: 'data-zookeeper-2' },
  });
  for (const name of ['zookeeper-0', 'zookeeper-1']) {
    expect(sim.store.get('pods', ns, name).metadata.uid).toBe(before.get(name));
  }
  expect(sim.store.find('controllerrevisions.apps', ns, 'zookeeper-wzjfg5qntp')).toBeDefined();
});
