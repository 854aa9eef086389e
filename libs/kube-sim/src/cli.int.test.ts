// The CLI as a real child process (TypeScript run through the repository's swc loader, no build):
// `serve` prints its URLs and a KUBECONFIG line that a real client can use, and exits on SIGTERM;
// `check` reports each scenario; bad arguments exit 2 with the usage.
import * as k8s from '@kubernetes/client-node';
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CRASHLOOP_SCENARIO, Collector } from './testing/client';

const REPO = resolve(__dirname, '../../..');
const NODE_ARGS = [
  '--conditions=@foxhound/source',
  '-r',
  join(REPO, 'tools/ts-run.cjs'),
  join(__dirname, 'cli.ts'),
];

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [...NODE_ARGS, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('kube-sim serve', () => {
  let dir: string;
  let child: ChildProcessWithoutNullStreams | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-sim-cli-'));
  });
  afterEach(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  function serve(args: string[]): Collector<string> {
    child = spawn(process.execPath, [...NODE_ARGS, 'serve', '--port', '0', ...args]);
    const lines = new Collector<string>();
    let buffered = '';
    child.stdout.on('data', (c: Buffer) => {
      buffered += c.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      parts.forEach(lines.push);
    });
    return lines;
  }

  it('serves the scenario, writes a working kubeconfig and exits cleanly on SIGTERM', async () => {
    const kubeconfigPath = join(dir, 'kubeconfig.yaml');
    const lines = serve([
      '--scenario',
      CRASHLOOP_SCENARIO,
      '--kubeconfig-out',
      kubeconfigPath,
      '--log-requests',
    ]);
    const out = await lines.until((l) => l.some((x) => x.startsWith('KUBECONFIG=')));
    expect(out[0]).toMatch(/^kube-sim serving the Kubernetes API at http:\/\/127\.0\.0\.1:\d+$/);
    expect(out).toContain('  scenario crashloop: 9 objects (checkout crash-loops on a missing DATABASE_URL)');
    expect(out).toContain(`KUBECONFIG=${kubeconfigPath}`);
    const kc = new k8s.KubeConfig();
    kc.loadFromString(await readFile(kubeconfigPath, 'utf8'));
    const pods = await kc.makeApiClient(k8s.CoreV1Api).listNamespacedPod({ namespace: 'shop' });
    expect(pods.items.map((p) => p.metadata?.name)).toEqual(['checkout-7d9f8b6c5-x2x9q']);
    await lines.until((l) => l.some((x) => /^GET \/api\/v1\/namespaces\/shop\/pods 200 \d+\.\dms$/.test(x)));
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child!.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('serves HTTPS with tokens and an RBAC policy loaded from a file', async () => {
    await writeFile(join(dir, 'tokens.yaml'), '- {token: reader-token-0001, user: reader}\n');
    await writeFile(
      join(dir, 'policy.yaml'),
      `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: shop}
rules: [{apiGroups: [""], resources: [pods], verbs: [get, list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
subjects: [{kind: User, name: reader}]
`,
    );
    const kubeconfigPath = join(dir, 'kubeconfig.yaml');
    const args = [
      '--tls',
      '--tokens',
      join(dir, 'tokens.yaml'),
      '--authorization',
      'rbac',
      '--load',
      join(dir, 'policy.yaml'),
    ];
    const lines = serve([...args, '--scenario', CRASHLOOP_SCENARIO, '--kubeconfig-out', kubeconfigPath]);
    const out = await lines.until((l) => l.some((x) => x.startsWith('KUBECONFIG=')));
    expect(out).toContain(`  loaded 2 objects from ${join(dir, 'policy.yaml')}`);
    expect(out.find((l) => l.startsWith('kube-sim serving'))).toMatch(/at https:\/\/127\.0\.0\.1:\d+$/);
    const kc = new k8s.KubeConfig();
    kc.loadFromString(await readFile(kubeconfigPath, 'utf8'));
    const core = kc.makeApiClient(k8s.CoreV1Api);
    expect((await core.listNamespacedPod({ namespace: 'shop' })).items).toHaveLength(1);
    await expect(core.listNamespacedSecret({ namespace: 'shop' })).rejects.toMatchObject({ code: 403 });
  });
});

describe('kube-sim check and usage', () => {
  it('check reports a scenario that loads', async () => {
    const r = await runCli(['check', CRASHLOOP_SCENARIO]);
    expect(r).toEqual({
      code: 0,
      stdout: 'ok   crashloop: 9 objects, shop: checkout crash-loops on a missing DATABASE_URL\n',
      stderr: '',
    });
  });

  it('check fails for a directory without a scenario', async () => {
    const r = await runCli(['check', __dirname]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`FAIL ${__dirname}: ${__dirname}: no scenario.yaml, so not a scenario directory\n`);
  });

  it.each([
    ['no command', [], 'kube-sim: no command given'],
    ['an unknown command', ['frobnicate'], 'kube-sim: unknown command "frobnicate"'],
    [
      'a port out of range',
      ['serve', '--port', '70000'],
      'kube-sim: --port: Too big: expected number to be <=65535',
    ],
    [
      'a non-loopback host without tokens',
      ['serve', '--host', '0.0.0.0'],
      'kube-sim: --host 0.0.0.0 without --tokens would give everyone who can reach it cluster-admin',
    ],
  ])('exits 2 with the usage for %s', async (_name, args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('usage:');
  });
});
