// The foxhound CLI end to end: the built CLI as a real child process against a real stack (`make up`
// as it starts it, from dist/), with NO_COLOR and no TTY as in a script; and the bad inputs the issue
// lists: unreachable gateway, wrong key, expired JWT, a key revoked after login, an action id that does
// not exist, a 10 MB event (from a local server at the network edge), a config file others can read.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import { type StoredProposal, type StreamEvent } from '@foxhound/contracts';
import { scenarioPrompt } from './options';
import { freePort } from './processes';
import { startStack, type RunningStack } from './stack';

const root = path.resolve(__dirname, '../../..');
const bin = path.join(root, 'apps/cli/bin/foxhound.cjs');
const JWT_SECRET = `cli-test-secret-${'x'.repeat(32)}`;
const incident = path.join(root, 'scenarios', 'quota-blocks-admission');
const { prompt, namespaces } = scenarioPrompt(incident);
const scope = namespaces.flatMap((ns) => ['-n', ns]);
let stack: RunningStack;
let stateDir: string;
let home: string;

beforeAll(async () => {
  stateDir = mkdtempSync(path.join(tmpdir(), 'fh-cli-e2e-'));
  home = mkdtempSync(path.join(tmpdir(), 'fh-cli-home-'));
  stack = await startStack({
    root,
    mode: 'dist',
    stateDir,
    scenarios: [incident],
    authMode: 'keys',
    warmPoolSize: 1,
    logLevel: 'warn',
    env: {
      GATEWAY_ALLOW_SELF_APPROVAL: 'true',
      GATEWAY_RATE_LIMIT_PER_MINUTE: '100000',
      GATEWAY_JWT_SECRET: JWT_SECRET,
      GATEWAY_JWT_ISSUER: 'https://issuer.test',
      GATEWAY_JWT_AUDIENCE: 'foxhound',
    },
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(stateDir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI with a private config home, no colour and no TTY; bounded at 120 s. */
function foxhound(args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

const asAdmin = () => ({ FOXHOUND_SERVER: stack.urls.gateway, FOXHOUND_API_KEY: stack.adminKey! });
const jsonLines = (text: string) => text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('with a working gateway', () => {
  it('logs in (credential from stdin, config 0600 in a 0700 dir) and doctor passes every check', async () => {
    const login = await foxhound(['login', '--server', stack.urls.gateway], { input: `${stack.adminKey}\n` });
    expect(login).toMatchObject({ code: 0, stderr: '' });
    expect(login.stdout).toMatch(/^logged in to http:\/\/127\.0\.0\.1:\d+ as key:\S+ \(admin\); saved to /);
    const file = path.join(home, 'config', 'foxhound', 'config.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);

    const doctor = await foxhound(['doctor']);
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toMatch(/^✓ reachable/m);
    expect(doctor.stdout).toMatch(/^✓ ready +\{"status":"ready"/m);
    expect(doctor.stdout).toMatch(/^✓ role +admin: investigations:read/m);
  });

  let investigationId: string;

  it('investigates: the stream rendered as lines without colour, the report, exit 0', async () => {
    const run = await foxhound(['investigate', ...scope, prompt], {
      env: asAdmin(),
    });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('\u001b[');
    expect(run.stdout).toMatch(/^ +\d+\.\ds session thread \S+, sandbox \S+/m);
    expect(run.stdout).toMatch(/^Root cause$/m);
    expect(run.stdout).toMatch(/^completed in \d+\.\d+ s {2}investigation (\S+), thread/m);
    investigationId = /investigation (\S+), thread/.exec(run.stdout)![1]!;
  });

  it('--json streams the raw events, one per line, ending with the result', async () => {
    const run = await foxhound(['--json', 'investigate', ...scope, prompt], {
      env: asAdmin(),
    });
    expect(run.code).toBe(0);
    const events = jsonLines(run.stdout) as unknown as StreamEvent[];
    expect(events[0]!.type).toBe('session');
    expect(events.at(-1)!.type).toBe('result');
  });

  it('lists, shows and follows (replay) the investigation', async () => {
    const list = await foxhound(['list', '--json'], { env: asAdmin() });
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { items: { id: string }[] }).items.map((i) => i.id)).toContain(investigationId);
    const table = await foxhound(['list'], { env: asAdmin() });
    expect(table.stdout).toMatch(new RegExp(`^${investigationId} +completed +\\d+[smhd] +key:`, 'm'));

    const show = await foxhound(['show', investigationId], { env: asAdmin() });
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^Root cause$/m);

    const follow = await foxhound(['follow', investigationId], { env: asAdmin() });
    expect(follow.code).toBe(0);
    expect(follow.stdout).toMatch(/session thread/);
    expect(follow.stdout).toMatch(new RegExp(`^completed in .* investigation ${investigationId},`, 'm'));
  });

  it('snapshots the cluster read-only into a scenario and replays it offline to the same root cause', async () => {
    const out = path.join(home, `snapshot-${Date.now()}`);
    const snap = await foxhound(['snapshot', '--kubeconfig', stack.kubeconfig, ...scope, '-o', out]);
    expect(snap.code).toBe(0);
    expect(snap.stdout).toMatch(new RegExp(`^wrote \\d+ objects and \\d+ logs to ${out} \\(\\d+ secret values redacted\\); replay it with: foxhound replay ${out}\n$`));
    expect(statSync(path.join(out, 'scenario.yaml')).isFile()).toBe(true);

    const again = await foxhound(['snapshot', '--kubeconfig', stack.kubeconfig, ...scope, '-o', out]);
    expect(again).toMatchObject({ code: 2, stderr: `foxhound: ${out} is not empty; choose a new directory with -o\n` });

    const replay = await foxhound(['replay', out, prompt]);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toMatch(/result success \(offline/);
    expect(replay.stdout).toMatch(/^Root cause\n {2}.*quota/im);
  });

  it('approves the proposed fix and follows it until the cluster recovered, then proposes its rollback', async () => {
    const pending = await foxhound(['actions', '--pending', '--investigation', investigationId, '--json'], {
      env: asAdmin(),
    });
    expect(pending.code).toBe(0);
    const [action] = (JSON.parse(pending.stdout) as { items: StoredProposal[] }).items;
    expect(action).toBeDefined();
    const id = action!.proposal.id;

    // The incident's quota is managed by Argo CD: the gateway refuses a live patch unless asked for.
    const refused = await foxhound(['approve', id, '--reason', 'cli test: quota raise'], { env: asAdmin() });
    expect(refused.code).toBe(6);
    expect(refused.stderr).toMatch(/^foxhound: could not approve action \S+: HTTP 409: .*Argo CD.* \(foxhound approve --live-patch-on-gitops\)\n$/);
    const approve = await foxhound(['approve', id, '--reason', 'cli test: quota raise', '--live-patch-on-gitops'], {
      env: asAdmin(),
    });
    expect(approve.stderr).toBe('');
    expect(approve.code).toBe(0);
    const states = [...approve.stdout.matchAll(/^ +\d+\.\ds (\w+) {2}by/gm)].map((m) => m[1]);
    expect(states.slice(0, 2)).toStrictEqual(['proposed', 'approved']);
    expect(states.at(-1)).toBe('recovered');

    const rollback = await foxhound(['rollback', id, '--reason', 'cli test: undo'], { env: asAdmin() });
    expect(rollback.code).toBe(0);
    expect(rollback.stdout).toMatch(/^rollback proposed as \S+ \(proposed\)/);
  });
});

describe('bad input: one clear line on stderr and a documented exit code', () => {
  it('exit 3 when nothing listens at the server', async () => {
    const port = await freePort();
    const run = await foxhound(['list'], { env: { FOXHOUND_SERVER: `http://127.0.0.1:${port}`, FOXHOUND_API_KEY: 'x' } });
    expect(run).toStrictEqual({
      code: 3,
      stdout: '',
      stderr: `foxhound: cannot reach the gateway at http://127.0.0.1:${port}: connection refused\n`,
    });
  });

  it('exit 4 for a wrong key, and login stores nothing', async () => {
    const run = await foxhound(['list'], { env: { FOXHOUND_SERVER: stack.urls.gateway, FOXHOUND_API_KEY: 'fh_wrong' } });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/^foxhound: the gateway refused the credential \(HTTP 401: .+\); run foxhound login or set FOXHOUND_API_KEY\n$/);

    const other = mkdtempSync(path.join(tmpdir(), 'fh-cli-home-'));
    try {
      const login = await foxhound(['login', '--server', stack.urls.gateway], {
        input: 'fh_wrong\n',
        env: { XDG_CONFIG_HOME: other },
      });
      expect(login.code).toBe(4);
      expect(() => statSync(path.join(other, 'foxhound', 'config.json'))).toThrow();
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('exit 4 for an expired JWT, while a valid one is accepted', async () => {
    const sign = (exp: number) =>
      new SignJWT({ foxhound_role: 'viewer' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('alice')
        .setIssuer('https://issuer.test')
        .setAudience('foxhound')
        .setIssuedAt(exp - 600)
        .setExpirationTime(exp)
        .sign(new TextEncoder().encode(JWT_SECRET));
    const now = Math.floor(Date.now() / 1000);
    const valid = await foxhound(['doctor'], { env: { FOXHOUND_SERVER: stack.urls.gateway, FOXHOUND_API_KEY: await sign(now + 600) } });
    expect(valid.stdout).toMatch(/^✓ credential +accepted: user:alice via jwt$/m);
    const expired = await foxhound(['list'], { env: { FOXHOUND_SERVER: stack.urls.gateway, FOXHOUND_API_KEY: await sign(now - 60) } });
    expect(expired.code).toBe(4);
    expect(expired.stderr).toMatch(/^foxhound: the gateway refused the credential \(HTTP 401: .+\)/);
    expect(expired.stderr.split('\n')).toHaveLength(2);
  });

  it('exit 4 once the logged-in key is revoked', async () => {
    const created = await fetch(`${stack.urls.gateway}/v1/keys`, {
      method: 'POST',
      headers: { 'x-api-key': stack.adminKey!, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `cli-revoke-${Date.now()}`, role: 'viewer' }),
    });
    const { key, apiKey } = (await created.json()) as { key: string; apiKey: { id: string } };
    const other = mkdtempSync(path.join(tmpdir(), 'fh-cli-home-'));
    try {
      const env = { XDG_CONFIG_HOME: other };
      expect((await foxhound(['login', '--server', stack.urls.gateway], { input: key, env })).code).toBe(0);
      expect((await foxhound(['list'], { env })).code).toBe(0);
      const revoked = await fetch(`${stack.urls.gateway}/v1/keys/${apiKey.id}`, {
        method: 'DELETE',
        headers: { 'x-api-key': stack.adminKey! },
      });
      expect(revoked.status).toBe(204);
      const after = await foxhound(['list'], { env });
      expect(after.code).toBe(4);
      expect(after.stderr).toMatch(/^foxhound: the gateway refused the credential/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('exit 3 for a snapshot of a cluster that does not answer, 5 for a namespace it does not have; nothing written', async () => {
    const port = await freePort();
    const kubeconfig = path.join(home, `dead-${port}.yaml`);
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'dead', cluster: { server: `http://127.0.0.1:${port}` } }],
        users: [{ name: 'u', user: {} }],
        contexts: [{ name: 'dead', context: { cluster: 'dead', user: 'u' } }],
        'current-context': 'dead',
      }),
    );
    const out = path.join(home, `dead-snapshot-${port}`);
    const run = await foxhound(['snapshot', '--kubeconfig', kubeconfig, '-n', 'orders', '-o', out]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(new RegExp(`^foxhound: could not read the cluster at http://127\\.0\\.0\\.1:${port}: .+\n$`, 'm'));
    expect(existsSync(out)).toBe(false);

    const missing = await foxhound(['snapshot', '--kubeconfig', stack.kubeconfig, '-n', 'no-such-ns', '-o', out]);
    expect(missing.code).toBe(5);
    expect(missing.stderr.endsWith(`\nfoxhound: namespace no-such-ns does not exist on ${stack.urls.kubeApi}\n`)).toBe(true);
    expect(existsSync(out)).toBe(false);
  });

  it('exit 5 for an action id that does not exist, and nothing is recorded', async () => {
    const run = await foxhound(['approve', 'act-does-not-exist', '--reason', 'no such thing'], { env: asAdmin() });
    expect(run.code).toBe(5);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^foxhound: .*act-does-not-exist.* \(HTTP 404\)\n$/);
  });

  it('exit 2 for bad usage: no prompt, a missing --reason, a bad namespace, a config others can read', async () => {
    expect((await foxhound(['investigate'], { env: asAdmin() })).code).toBe(2);
    expect((await foxhound(['approve', 'a-1'], { env: asAdmin() })).code).toBe(2);
    const ns = await foxhound(['investigate', '-n', 'Bad_NS', 'x'], { env: asAdmin() });
    expect(ns).toMatchObject({ code: 2, stderr: 'foxhound: -n Bad_NS is not a namespace name\n' });
    const other = mkdtempSync(path.join(tmpdir(), 'fh-cli-home-'));
    try {
      const env = { XDG_CONFIG_HOME: other };
      expect((await foxhound(['login', '--server', stack.urls.gateway], { input: stack.adminKey, env })).code).toBe(0);
      const file = path.join(other, 'foxhound', 'config.json');
      chmodSync(file, 0o644);
      const run = await foxhound(['list'], { env });
      expect(run).toStrictEqual({
        code: 2,
        stdout: '',
        stderr: `foxhound: ${file} is readable by other users (mode 644); run: chmod 600 ${file}\n`,
      });
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('exit 6 for a 10 MB event: stops reading at the bound instead of buffering it', async () => {
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    // A gateway at the network edge that sends one session event, then a 10 MB one.
    const server = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const session = { type: 'session', data: { thread_id: 't', sandbox_id: 's', reused: false, investigation_id: 'inv-big' } };
      res.write(`id: 1\ndata: ${JSON.stringify(session)}\n\n`);
      const big = { type: 'thought', data: { text: 'x'.repeat(10 * 1024 * 1024) } };
      res.write(`id: 2\ndata: ${JSON.stringify(big)}\n\n`);
      res.on('close', closed);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const run = await foxhound(['investigate', 'x'], { env: { FOXHOUND_SERVER: `http://127.0.0.1:${port}` } });
      expect(run.code).toBe(6);
      expect(run.stdout).toMatch(/session thread t, sandbox s/);
      expect(run.stderr).toBe(
        'foxhound: the gateway sent an event larger than 8 MiB; stopped reading (raise --max-event-mb to accept it)\n',
      );
      await connectionClosed;
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
