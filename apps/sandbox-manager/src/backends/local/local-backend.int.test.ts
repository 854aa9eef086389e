// The local backend with real processes: crashes (killed again and again) release everything and
// the thread gets a fresh sandbox, start failures name their cause, the warm pool refills, the
// lifetime cap and the memory cgroup end sandboxes, and leftovers of a dead manager are swept.
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type SandboxDescriptor, type PoolStatus } from '@foxhound/contracts';
import { type ManagerRuntime } from '../../server/server';
import { driverWorks, runningAsRoot } from '../../testing/drivers';
import { call, eventually } from '../../testing/http';
import { listTree, managerCgroups, pidsOfSandbox, portRefuses, sandboxProcesses } from '../../testing/leaks';
import { localHarness, type LocalHarness } from '../../testing/local-harness';
import { type IsolationDriver } from './isolation';
import { type LocalBackend } from './local-backend';

const drivers = (['none', 'bwrap', 'gvisor'] as const).filter((driver) => {
  if (driverWorks(driver)) return true;
  process.stderr.write(
    `\n*** SKIPPED local backend crash tests under ${driver}: not usable on this machine ***\n\n`,
  );
  return false;
});
/** The strongest cheap driver here, for tests that are about the backend rather than the driver. */
const everyday: IsolationDriver = driverWorks('bwrap') ? 'bwrap' : 'none';

let harness: LocalHarness | undefined;
let manager: ManagerRuntime | undefined;

afterEach(async () => {
  await manager?.shutdown();
  await harness?.close();
  manager = undefined;
  harness = undefined;
});

async function startManager(
  driver: IsolationDriver,
  env: Record<string, string> = {},
  hostEnv?: NodeJS.ProcessEnv,
) {
  harness = await localHarness(driver, { hostEnv });
  manager = await harness.start(env);
  return manager;
}

const acquire = (threadId: string) =>
  call<SandboxDescriptor>(manager!.url, 'POST', '/v1/sandboxes', { body: { threadId } });

async function parentOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

async function expectReleased(descriptor: SandboxDescriptor, sandboxRoot: string) {
  await eventually(async () =>
    (await call(manager!.url, 'GET', `/v1/sandboxes/${descriptor.sandboxId}`)).status === 404
      ? true
      : undefined,
  );
  const ownDir = path.join(sandboxRoot, descriptor.sandboxId);
  await eventually(async () =>
    (await sandboxProcesses(ownDir, [descriptor.sandboxId])).length === 0 ? true : undefined,
  );
  await eventually(async () =>
    (await listTree(path.join(sandboxRoot, descriptor.sandboxId))).length === 0 ? true : undefined,
  );
  expect(await portRefuses(descriptor.port)).toBe(true);
  expect((await managerCgroups()).filter((dir) => dir.endsWith(descriptor.sandboxId))).toEqual([]);
}

describe.each(drivers)('under %s', (driver) => {
  it('a sandbox killed again and again: each next request gets a fresh one and nothing leaks', async () => {
    await startManager(driver);
    const sandboxRoot = (manager!.backend as LocalBackend).sandboxRoot;
    const seen: SandboxDescriptor[] = [];
    for (let round = 0; round < 4; round += 1) {
      const { status, body } = await acquire('thread-crashy');
      expect(status).toBe(201);
      expect(seen.map((d) => d.sandboxId)).not.toContain(body.sandboxId);
      seen.push(body);
      const pids = await pidsOfSandbox(body.sandboxId);
      const parents = await Promise.all(pids.map(parentOf));
      const driverProcess = pids.filter((_, i) => parents[i] === process.pid);
      expect(driverProcess).toHaveLength(1);
      // Even rounds kill the driver process (bwrap, runsc or the program itself); odd rounds kill
      // everything below it, the way an out-of-memory kill takes the program.
      const victims = round % 2 === 0 ? driverProcess : pids.filter((pid) => !driverProcess.includes(pid));
      for (const pid of victims.length > 0 ? victims : driverProcess) killIfAlive(pid);
      await expectReleased(body, sandboxRoot);
    }
    const metrics = await (await fetch(`${manager!.url}/metrics`)).text();
    expect(metrics).toContain(
      'foxhound_sandbox_manager_sandbox_failures_total{backend="local",reason="crash"} 4',
    );
    await manager!.shutdown();
    expect(
      await sandboxProcesses(
        harness!.root,
        seen.map((d) => d.sandboxId),
      ),
    ).toEqual([]);
    expect(await listTree(harness!.root)).toEqual([]);
    expect(await managerCgroups()).toEqual([]);
  });
});

describe(`local backend (${everyday})`, () => {
  it('503 naming the exit code and output when the sandbox program dies at start; nothing leaks', async () => {
    await startManager(everyday, {
      LOCAL_WARM_POOL_SIZE: '0',
      LOCAL_SANDBOX_COMMAND: '["/bin/sh", "-c", "echo missing ANTHROPIC_API_KEY >&2; exit 3"]',
    });
    const { status, body } = await call<{ detail: string; code: string }>(
      manager!.url,
      'POST',
      '/v1/sandboxes',
      {
        body: { threadId: 'thread-broken' },
      },
    );
    expect(status).toBe(503);
    expect(body.code).toBe('service_unavailable');
    expect(body.detail).toMatch(
      new RegExp(
        `^Sandbox fh-local-[0-9a-f]{10} \\(${everyday}\\) did not start: exited \\(exit code 3\\) before /healthz answered; last output: missing ANTHROPIC_API_KEY$`,
      ),
    );
    expect(await listTree((manager!.backend as LocalBackend).sandboxRoot)).toEqual([]);
  });

  it('504 when the sandbox never answers /healthz within SANDBOX_READY_TIMEOUT_SECONDS; the process is stopped', async () => {
    await startManager(everyday, {
      LOCAL_WARM_POOL_SIZE: '0',
      SANDBOX_READY_TIMEOUT_SECONDS: '1',
      LOCAL_SANDBOX_COMMAND: '["/bin/sleep", "300"]',
    });
    const { status, body } = await call<{ detail: string }>(manager!.url, 'POST', '/v1/sandboxes', {
      body: { threadId: 'thread-silent' },
    });
    expect(status).toBe(504);
    expect(body.detail).toContain('did not start: no answer on /healthz within 1 s');
    expect(await sandboxProcesses((manager!.backend as LocalBackend).sandboxRoot)).toEqual([]);
  });

  it('the warm pool hands out a ready sandbox and refills behind it', async () => {
    await startManager(everyday, { LOCAL_WARM_POOL_SIZE: '2' });
    const pool = () => call<PoolStatus>(manager!.url, 'GET', '/v1/pool');
    await eventually(async () => ((await pool()).body.ready === 2 ? true : undefined));
    const { body } = await acquire('thread-warm');
    expect(body.warm).toBe(true);
    await eventually(async () => ((await pool()).body.ready === 2 ? true : undefined));
    expect((await pool()).body).toEqual({
      backend: 'local',
      desired: 2,
      ready: 2,
      starting: 0,
      active: 1,
      isolation: everyday,
      floor: 2,
      ceiling: 8,
      queued: 0,
      mode: 'steady',
      acquisitionsPerMinute: 1,
    });
  });

  it('passes only the allow-listed environment into the sandbox', async () => {
    await startManager(
      everyday,
      { LOCAL_WARM_POOL_SIZE: '0' },
      {
        PATH: process.env.PATH,
        FOXHOUND_TRACE: '1',
        MANAGER_AUTH_TOKEN: 'never-in-a-sandbox-0123456789',
        AWS_SECRET_ACCESS_KEY: 'never-either',
      },
    );
    const { body } = await acquire('thread-env');
    const probe = await call<{ env: string[] }>(`http://${body.podIP}:${body.port}`, 'GET', '/probe');
    expect(probe.body.env).toEqual([
      'FOXHOUND_TRACE',
      'HOME',
      'HOST',
      'NODE_OPTIONS',
      'PATH',
      'PORT',
      // The shell that joins the cgroups exports it: the scratch directory.
      'PWD',
      'SANDBOX_ID',
      'SANDBOX_SCRATCH_DIR',
    ]);
  });

  it('LOCAL_MAX_LIFETIME_SECONDS caps the expiry and ends the sandbox whatever its TTL', async () => {
    await startManager(everyday, { LOCAL_WARM_POOL_SIZE: '0', LOCAL_MAX_LIFETIME_SECONDS: '2' });
    const { body } = await acquire('thread-short');
    expect(Date.parse(body.expiresAt) - Date.parse(body.createdAt)).toBeLessThanOrEqual(2000);
    await expectReleased(body, (manager!.backend as LocalBackend).sandboxRoot);
    const metrics = await (await fetch(`${manager!.url}/metrics`)).text();
    expect(metrics).toContain(
      'foxhound_sandbox_manager_sandboxes_reaped_total{backend="local",reason="lifetime"} 1',
    );
  });

  (runningAsRoot ? it : it.skip)(
    'a sandbox that outgrows LOCAL_MEMORY_MB is killed by its cgroup and released',
    async () => {
      const hog = `require('node:http').createServer((q, s) => {
      if (q.url === '/allocate') { const kept = []; for (;;) kept.push(Buffer.alloc(16 << 20, 1)); }
      s.end('ok');
    }).listen(Number(process.env.PORT), process.env.HOST);`;
      await startManager(everyday, {
        LOCAL_WARM_POOL_SIZE: '0',
        LOCAL_MEMORY_MB: '96',
        LOCAL_SANDBOX_COMMAND: JSON.stringify([process.execPath, '-e', hog]),
      });
      const { body } = await acquire('thread-hog');
      await call(`http://127.0.0.1:${body.port}`, 'GET', '/allocate').catch(() => undefined);
      await expectReleased(body, (manager!.backend as LocalBackend).sandboxRoot);
    },
  );

  (runningAsRoot ? it : it.skip)(
    'start-up removes what a dead manager left: directories and cgroups',
    async () => {
      harness = await localHarness(everyday);
      const orphanDir = path.join(harness.root, '999999999-abcdef', 'fh-local-0000000000', 'scratch');
      await mkdir(orphanDir, { recursive: true });
      await writeFile(path.join(orphanDir, 'notes.txt'), 'left behind');
      const ownMemory = (await readFile('/proc/self/cgroup', 'utf8'))
        .split('\n')
        .find((line) => line.split(':')[1]?.split(',').includes('memory'))
        ?.split(':')[2];
      const orphanGroup =
        ownMemory === undefined
          ? undefined
          : path.join('/sys/fs/cgroup/memory', ownMemory, 'foxhound-999999999-abcd');
      if (orphanGroup !== undefined)
        await mkdir(path.join(orphanGroup, 'fh-local-0000000000'), { recursive: true });
      manager = await harness.start({ LOCAL_WARM_POOL_SIZE: '0' });
      expect(await listTree(path.join(harness.root, '999999999-abcdef'))).toEqual([]);
      if (orphanGroup !== undefined)
        await expect(readdir(orphanGroup)).rejects.toMatchObject({ code: 'ENOENT' });
    },
  );
});

/** SIGKILL, where a process that already ended between listing and killing (ESRCH) is the same outcome. */
function killIfAlive(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}
