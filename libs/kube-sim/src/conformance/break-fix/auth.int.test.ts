// Break-then-fix, authentication and authorization. From the Kubernetes docs "Authenticating:
// User impersonation" (https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation:
// the requester needs the `impersonate` verb on users, groups...; the request then runs as the
// impersonated user) and "Using RBAC Authorization" (kubectl create role / rolebinding, which
// kubectl sends as protobuf). Messages are the API server's 403s.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultControllers } from '../../controllers';
import { startKubeSim, type KubeSim } from '../../sim';
import { fastControllers } from '../../testing/cluster';
import { ensureKubectl } from '../../testing/kubectl';

let sim: KubeSim;
let kubectl: string;
let home: string;

beforeAll(async () => {
  kubectl = await ensureKubectl();
  // kubectl sends bearer tokens only over HTTPS.
  sim = await startKubeSim({
    tls: true,
    prometheus: false,
    authorization: 'rbac',
    tokens: [
      { token: 'admin-token-0001', user: 'alice', groups: ['system:masters'] },
      { token: 'support-token-0002', user: 'bob', groups: ['support'] },
    ],
    controllers: defaultControllers(fastControllers()),
  });
  home = await mkdtemp(join(tmpdir(), 'kube-sim-auth-'));
  await sim.writeKubeconfig(join(home, 'alice.yaml'), { user: 'alice', token: 'admin-token-0001' });
  await sim.writeKubeconfig(join(home, 'bob.yaml'), { user: 'bob', token: 'support-token-0002' });
});
afterAll(async () => {
  await sim?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

function run(
  as: 'alice' | 'bob',
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH, HOME: home, KUBECONFIG: join(home, `${as}.yaml`) };
  return new Promise((done) => {
    execFile(kubectl, args, { env, timeout: 30_000 }, (err, stdout, stderr) =>
      done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
async function ok(as: 'alice' | 'bob', ...args: string[]): Promise<string> {
  const r = await run(as, ...args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

describe('impersonation and RBAC objects from kubectl', () => {
  it('kubectl create role and rolebinding (protobuf bodies) grant jane pods, and only pods', async () => {
    await ok('alice', 'create', 'namespace', 'team-a');
    expect(
      await ok(
        'alice',
        '-n',
        'team-a',
        'create',
        'role',
        'pod-reader',
        '--verb=get,list,watch',
        '--resource=pods',
      ),
    ).toBe('role.rbac.authorization.k8s.io/pod-reader created\n');
    await ok(
      'alice',
      '-n',
      'team-a',
      'create',
      'rolebinding',
      'jane-reads-pods',
      '--role=pod-reader',
      '--user=jane',
    );
    const role = JSON.parse(await ok('alice', '-n', 'team-a', 'get', 'role', 'pod-reader', '-o', 'json'));
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]);

    expect(await ok('alice', '-n', 'team-a', 'get', 'pods', '--as=jane')).toBe('');
    const secrets = await run('alice', '-n', 'team-a', 'get', 'secrets', '--as=jane');
    expect(secrets.stderr).toContain(
      'Error from server (Forbidden): secrets is forbidden: User "jane" cannot list resource "secrets" in API group "" in the namespace "team-a"',
    );
    expect((await run('alice', '-n', 'team-a', 'auth', 'can-i', 'list', 'pods', '--as=jane')).stdout).toBe(
      'yes\n',
    );
    expect((await run('alice', '-n', 'team-a', 'auth', 'can-i', 'delete', 'pods', '--as=jane')).stdout).toBe(
      'no\n',
    );
  });

  it('a user without the impersonate verb cannot act as another until a ClusterRole grants it', async () => {
    const denied = await run('bob', '-n', 'team-a', 'get', 'pods', '--as=jane');
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain(
      'Error from server (Forbidden): users "jane" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope',
    );

    await ok('alice', 'create', 'clusterrole', 'impersonate-users', '--verb=impersonate', '--resource=users');
    await ok(
      'alice',
      'create',
      'clusterrolebinding',
      'support-impersonates',
      '--clusterrole=impersonate-users',
      '--group=support',
    );
    expect(await ok('bob', '-n', 'team-a', 'get', 'pods', '--as=jane')).toBe('');

    // Groups are a separate permission.
    const group = await run('bob', '-n', 'team-a', 'get', 'pods', '--as=jane', '--as-group=oncall');
    expect(group.stderr).toContain(
      'groups "oncall" is forbidden: User "bob" cannot impersonate resource "groups" in API group "" at the cluster scope',
    );
  });

  it("the impersonated user has the impersonated groups, not the requester's", async () => {
    await ok(
      'alice',
      '-n',
      'team-a',
      'create',
      'rolebinding',
      'oncall-reads-pods',
      '--role=pod-reader',
      '--group=oncall',
    );
    expect(await ok('alice', '-n', 'team-a', 'get', 'pods', '--as=sam', '--as-group=oncall')).toBe('');
    const masters = await run('alice', '-n', 'team-a', 'get', 'pods', '--as=sam');
    expect(masters.stderr).toContain(
      'User "sam" cannot list resource "pods" in API group "" in the namespace "team-a"',
    );
  });

  it('kubectl create quota and create token send protobuf the server decodes', async () => {
    await ok('alice', '-n', 'team-a', 'create', 'quota', 'small', '--hard=pods=2,requests.cpu=1');
    const quota = JSON.parse(await ok('alice', '-n', 'team-a', 'get', 'quota', 'small', '-o', 'json'));
    expect(quota.spec.hard).toEqual({ pods: '2', 'requests.cpu': '1' });
    const token = (await ok('alice', '-n', 'team-a', 'create', 'token', 'default', '--duration=10m')).trim();
    expect(token.length).toBeGreaterThan(20);
  });
});
