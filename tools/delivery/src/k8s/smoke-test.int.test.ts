// k8s/scripts/smoke-test.sh run for real: the real kubectl against kube-sim holding a release's
// objects, and a stand-in gateway on loopback (readiness and an investigation stream). It follows the
// endpoint the objects describe, requires a Ready warm sandbox on the template's image, and requires
// the investigation to end in a result.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startKubeSim, type KubeSim } from '@foxhound/kube-sim';
import { ensureKubectl } from '../support/helm';
import { fromRoot, type RunResult } from '../support/repo';

const KEY = 'fh_smoke_key_0123456789';
const IMAGE = `registry.example.com/foxhound-executor@sha256:${'b'.repeat(64)}`;

let sim: KubeSim;
let gateway: Server;
let gatewayPort: number;
let scratch: string;
let ending = 'result';
const requests: string[] = [];

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'smoke-test-'));
  // kubectl, curl and the shell tools only: a PATH with kubectl first.
  const bin = path.join(scratch, 'bin');
  mkdirSync(bin);
  symlinkSync(ensureKubectl(), path.join(bin, 'kubectl'));
  chmodSync(path.join(bin, 'kubectl'), 0o755);
  gateway = createServer((req, res) => {
    requests.push(`${req.method} ${req.url} ${req.headers['x-api-key'] ?? ''}`);
    if (req.method === 'GET' && req.url === '/readyz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
      return;
    }
    if (req.method === 'POST' && req.url === '/investigate') {
      if (req.headers['x-api-key'] !== KEY) {
        res.writeHead(401).end('{"error":"unauthenticated"}');
        return;
      }
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('id: 1\nevent: session\ndata: {"type":"session"}\n\n');
      res.write('id: 2\nevent: thought\ndata: {"type":"thought"}\n\n');
      res.end(`id: 3\nevent: ${ending}\ndata: {"type":"${ending}"}\n\n`);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  gatewayPort = (gateway.address() as AddressInfo).port;
  sim = await startKubeSim({ prometheus: false });
  writeFileSync(path.join(scratch, 'kubeconfig'), sim.kubeconfigYaml());
});

afterAll(async () => {
  await sim?.close();
  await new Promise<void>((resolve) => (gateway ? gateway.close(() => resolve()) : resolve()));
  rmSync(scratch, { recursive: true, force: true });
});

let counter = 0;
/** A fresh namespace holding one release: its gateway Service (or Ingress), Secret and warm pool. */
function release(options: { podImage?: string; ingressTls?: boolean } = {}): string {
  const namespace = `smoke-${process.pid}-${++counter}`;
  const create = (resource: string, object: Record<string, unknown>) =>
    sim.store.create(resource, {
      ...object,
      metadata: { namespace, ...(object.metadata as object) },
    } as never);
  sim.store.create('namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespace },
  } as never);
  create('services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'foxhound-gateway' },
    spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: gatewayPort, targetPort: 'http' }] },
    status: { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } },
  });
  if (options.ingressTls !== undefined) {
    create('ingresses.networking.k8s.io', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'foxhound-gateway' },
      spec: {
        rules: [{ host: '127.0.0.1' }],
        ...(options.ingressTls
          ? { tls: [{ secretName: 'foxhound-gateway-tls', hosts: ['127.0.0.1'] }] }
          : {}),
      },
    });
  }
  create('secrets', {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'foxhound-internal' },
    data: { GATEWAY_BOOTSTRAP_ADMIN_KEY: Buffer.from(KEY).toString('base64') },
  });
  create('sandboxtemplates.extensions.agents.x-k8s.io', {
    apiVersion: 'extensions.agents.x-k8s.io/v1beta1',
    kind: 'SandboxTemplate',
    metadata: { name: 'foxhound-executor' },
    spec: { podTemplate: { spec: { containers: [{ name: 'executor', image: IMAGE }] } } },
  });
  create('sandboxwarmpools.extensions.agents.x-k8s.io', {
    apiVersion: 'extensions.agents.x-k8s.io/v1beta1',
    kind: 'SandboxWarmPool',
    metadata: { name: 'foxhound-executor' },
    spec: { replicas: 1, sandboxTemplateRef: { name: 'foxhound-executor' } },
    status: { readyReplicas: 1 },
  });
  create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'foxhound-executor-warm-1',
      labels: { 'app.kubernetes.io/name': 'executor', 'app.kubernetes.io/instance': 'foxhound' },
    },
    spec: { containers: [{ name: 'executor', image: options.podImage ?? IMAGE }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  });
  return namespace;
}

/** Runs the script without blocking this process: kube-sim and the stand-in gateway serve from it. */
function smoke(namespace: string, args: string[] = [], env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [fromRoot('k8s/scripts/smoke-test.sh'), '--timeout', '20', ...args], {
      env: {
        PATH: `${path.join(scratch, 'bin')}:/usr/bin:/bin`,
        HOME: scratch,
        KUBECONFIG: path.join(scratch, 'kubeconfig'),
        FOXHOUND_NAMESPACE: namespace,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

it('passes a healthy release: readiness, a warm sandbox on the template image, an investigation ending in a result', async () => {
  const namespace = release();
  const result = await smoke(namespace);
  expect(result.stderr).toContain(`checking http://127.0.0.1:${gatewayPort}/readyz`);
  expect(result.stderr).toContain(`a warm sandbox is Ready`);
  expect(result.stderr).toContain('the investigation streamed 3 events and ended in a result');
  expect(result.status).toBe(0);
  // The key came from the release's Secret, as a header.
  expect(requests).toContain(`POST /investigate ${KEY}`);
});

it('fails a release whose warm sandboxes run another image than the template names', async () => {
  const result = await smoke(release({ podImage: 'registry.example.com/foxhound-executor:old' }), [
    '--timeout',
    '3',
  ]);
  expect(result.status).toBe(1);
  expect(result.stderr).toContain(`no Ready sandbox pod runs ${IMAGE}`);
});

it('fails when the investigation ends in an error', async () => {
  ending = 'error';
  try {
    const result = await smoke(release());
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the investigation did not end in a result (events: session thought error)');
  } finally {
    ending = 'result';
  }
});

it('fails with a wrong API key', async () => {
  const result = await smoke(release(), [], { FOXHOUND_KEY: 'fh_wrong' });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain(`POST http://127.0.0.1:${gatewayPort}/investigate failed`);
});

it.each([
  [true, 'https'],
  [false, 'http'],
])('follows an Ingress (TLS %s) to its host over %s', async (tls, scheme) => {
  const result = await smoke(release({ ingressTls: tls }), ['--timeout', '2']);
  // Nothing listens on 127.0.0.1:443 or :80 here, so the check fails, naming the URL it followed.
  expect(result.status).toBe(1);
  expect(result.stderr).toContain(`checking ${scheme}://127.0.0.1/readyz`);
});
