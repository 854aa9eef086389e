// A Deployment's pods as real processes: with a pod runtime the kubelet simulation gives each pod
// the address of a process it started (here the agent-sandbox loopback runtime: one node process
// per pod on its own 127.0.0.N), so the pod IP in the API answers HTTP; scaling down stops it.
import http from 'node:http';
import net from 'node:net';
import { startKubeSim, type KubeSim } from '../../index';
import { Collector } from '../../testing/client';
import { loopbackProcessRuntime } from '../agent-sandbox';
import { deploymentController, kubelet, replicaSetController, type KubeletPodRuntime } from '../index';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SERVER = `require('node:http').createServer((q, s) => s.end(process.env.POD_NAME)).listen(Number(process.env.PORT), process.env.HOST);`;

let sim: KubeSim;
let port: number;
/** Pods whose process the runtime has stopped, so the test waits for the stop, not for time. */
const stopped = new Collector<string>();

beforeAll(async () => {
  port = await new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(free));
    });
  });
  sim = await startKubeSim({
    prometheus: false,
    controllers: [
      replicaSetController(),
      deploymentController(),
      kubelet({
        startDelayMs: 1,
        readyDelayMs: 1,
        podRuntime: observed(
          loopbackProcessRuntime({ command: [process.execPath, '-e', SERVER], port, readyTimeoutMs: 10_000 }),
        ),
      }),
    ],
  });
  sim.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'run' } });
});
afterAll(() => sim.close());

function observed(runtime: KubeletPodRuntime): KubeletPodRuntime {
  return {
    start: (pod, signal) => runtime.start(pod, signal),
    async stop(pod) {
      await runtime.stop?.(pod);
      stopped.push(pod.metadata.name);
    },
    close: () => runtime.close?.(),
  };
}

function get(host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host, port, path: '/', agent: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve(body));
      })
      .once('error', reject);
  });
}

/** Resolves when the pods of app=echo satisfy `predicate`, from store changes (no polling). */
function podsWhen(predicate: (pods: Json[]) => boolean): Promise<Json[]> {
  return new Promise((resolve) => {
    const check = () => {
      const pods = sim.store.list('pods', { namespace: 'run', labelSelector: 'app=echo' }).items as Json[];
      if (!predicate(pods)) return false;
      unsubscribe();
      resolve(pods);
      return true;
    };
    const unsubscribe = sim.store.subscribe(() => void check());
    check();
  });
}

const running = (n: number) => (pods: Json[]) =>
  pods.length === n && pods.every((p) => p.status?.phase === 'Running' && p.status?.podIP);

describe('kubelet with a pod runtime', () => {
  it('gives each pod the address of its own process, and stops it when the pod goes', async () => {
    sim.store.create('deployments.apps', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'echo', namespace: 'run' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'echo' } },
        template: {
          metadata: { labels: { app: 'echo' } },
          spec: { containers: [{ name: 'echo', image: 'echo:1' }] },
        },
      },
    });
    const pods = await podsWhen(running(2));
    const ips = pods.map((p) => p.status.podIP);
    expect(ips.every((ip) => /^127\.0\.0\.\d+$/.test(ip))).toBe(true);
    expect(new Set(ips).size).toBe(2);
    for (const p of pods) expect(await get(p.status.podIP)).toBe(p.metadata.name);

    sim.store.patch('deployments.apps', 'run', 'echo', 'merge', { spec: { replicas: 1 } });
    const [kept] = await podsWhen(running(1));
    const gone = pods.find((p) => p.metadata.name !== kept.metadata.name)!;
    await stopped.until((names) => names.includes(gone.metadata.name));
    await expect(get(gone.status.podIP)).rejects.toThrow(/ECONNREFUSED/);
    expect(await get(kept.status.podIP)).toBe(kept.metadata.name);
  });
});
