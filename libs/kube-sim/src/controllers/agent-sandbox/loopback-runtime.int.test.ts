// Sandbox pods as real processes on loopback addresses: the pod IP the controller reports answers
// HTTP, and deleting the sandbox stops the process.
import http from 'node:http';
import net from 'node:net';
import { startKubeSim, type KubeSim } from '../../sim';
import { type StoredObject } from '../../types';
import { startAgentSandboxController, type AgentSandboxController } from './controller';
import { loopbackProcessRuntime } from './loopback-runtime';
import { SANDBOXES } from './meta';

const SERVER = `require('node:http').createServer((q, s) => s.end(JSON.stringify({ pod: process.env.POD_NAME, path: q.url })))
  .listen(Number(process.env.PORT), process.env.HOST);`;

let sim: KubeSim;
let controller: AgentSandboxController;
let port: number;

beforeEach(async () => {
  sim = await startKubeSim({ prometheus: false });
  port = await new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(free));
    });
  });
  controller = startAgentSandboxController({
    store: sim.store,
    runtime: loopbackProcessRuntime({
      command: [process.execPath, '-e', SERVER],
      port,
      readyTimeoutMs: 10_000,
    }),
  });
});

afterEach(async () => {
  await controller.stop();
  await sim.close();
});

function get(host: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host, port, path, agent: false }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .once('error', reject);
  });
}

function readySandbox(name: string): Promise<StoredObject> {
  return new Promise((resolve) => {
    const check = () => {
      const sandbox = sim.store.find(SANDBOXES, 'default', name);
      const ips = (sandbox?.status as { podIPs?: string[] } | undefined)?.podIPs;
      if (sandbox && ips?.length) {
        unsubscribe();
        resolve(sandbox);
      }
    };
    const unsubscribe = sim.store.subscribe(check);
    check();
  });
}

it('serves each sandbox pod on its own 127.0.0.N and stops it when the sandbox goes', async () => {
  for (const name of ['sb-a', 'sb-b']) {
    sim.store.create(SANDBOXES, {
      apiVersion: 'agents.x-k8s.io/v1beta1',
      kind: 'Sandbox',
      metadata: { name, namespace: 'default' },
      spec: { podTemplate: { spec: { containers: [{ name: 'c', image: 'i' }] } } },
    });
  }
  const [a, b] = await Promise.all([readySandbox('sb-a'), readySandbox('sb-b')]);
  const ipA = (a.status as { podIPs: string[] }).podIPs[0]!;
  const ipB = (b.status as { podIPs: string[] }).podIPs[0]!;
  expect(ipA).toMatch(/^127\.0\.0\.\d+$/);
  expect(ipB).not.toBe(ipA);
  expect(await get(ipA, '/execute')).toEqual({
    status: 200,
    body: JSON.stringify({ pod: 'sb-a', path: '/execute' }),
  });
  expect(await get(ipB, '/x')).toEqual({ status: 200, body: JSON.stringify({ pod: 'sb-b', path: '/x' }) });

  sim.store.delete(SANDBOXES, 'default', 'sb-a');
  await expect(
    (async () => {
      for (let i = 0; i < 200; i += 1) {
        try {
          await get(ipA, '/');
        } catch (err) {
          // A reset can come while the process stops; only a refused connection means it is gone.
          if ((err as NodeJS.ErrnoException).code === 'ECONNREFUSED') return 'ECONNREFUSED';
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return 'still serving';
    })(),
  ).resolves.toBe('ECONNREFUSED');
});
