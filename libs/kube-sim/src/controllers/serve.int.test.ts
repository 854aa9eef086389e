// `kube-sim serve` runs the controllers by default: a Deployment created through the kubeconfig it
// writes rolls out to Ready pods. (--no-controllers serves the same API with none.)
import * as k8s from '@kubernetes/client-node';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Collector } from '../testing/client';
import { watchObject } from '../testing/watch-until';

const REPO = resolve(__dirname, '../../../..');
let child: ChildProcessWithoutNullStreams | undefined;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kube-sim-serve-controllers-'));
});
afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
});

it('serve rolls out a Deployment with its default controllers', async () => {
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  child = spawn(process.execPath, [
    '--conditions=@foxhound/source',
    '-r',
    join(REPO, 'tools/ts-run.cjs'),
    join(__dirname, '..', 'cli.ts'),
    'serve',
    '--port',
    '0',
    '--kubeconfig-out',
    kubeconfig,
  ]);
  const lines = new Collector<string>();
  child.stdout.on('data', (c: Buffer) => c.toString().split('\n').filter(Boolean).forEach(lines.push));
  await lines.until((l) => l.some((x) => x.startsWith('KUBECONFIG=')));
  const kc = new k8s.KubeConfig();
  kc.loadFromString(await readFile(kubeconfig, 'utf8'));
  await kc.makeApiClient(k8s.AppsV1Api).createNamespacedDeployment({
    namespace: 'default',
    body: {
      metadata: { name: 'hello' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'hello' } },
        template: {
          metadata: { labels: { app: 'hello' } },
          spec: { containers: [{ name: 'hello', image: 'hello:1' }] },
        },
      },
    },
  });
  const d = await watchObject(
    kc,
    '/apis/apps/v1/namespaces/default/deployments',
    'hello',
    (o) => o.status?.availableReplicas === 2,
  );
  expect(d.status.conditions.find((c: { type: string }) => c.type === 'Available').status).toBe('True');
});
