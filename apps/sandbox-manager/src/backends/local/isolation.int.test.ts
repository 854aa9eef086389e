// Isolation checked from inside real sandboxes: the probe server reports what it can see and do
// under bwrap and gVisor (read-only root, private /tmp, no host processes, no root-only files, its
// own writable scratch), and one-shot runs show that without --share-net / --network=host there is
// no network at all.
import { chmod, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { type SandboxDescriptor } from '@foxhound/contracts';
import { type ManagerRuntime } from '../../server/server';
import { SANDBOX_UID, describeWithDriver, runningAsRoot } from '../../testing/drivers';
import { call } from '../../testing/http';
import { localHarness, type LocalHarness } from '../../testing/local-harness';
import { runOnce, wrapCommand, type IsolationDriver } from './isolation';

interface ProbeReport {
  uid: number;
  hostname: string;
  cwd: string;
  scratch: { ok: boolean };
  tmp: { ok: boolean; path: string };
  processes: { pid: number; cmdline: string }[];
  write?: { ok: boolean; code?: string };
  read?: { ok: boolean; code?: string };
  connect?: { ok: boolean; code?: string };
}

/** A listener on the host's loopback, to see whether a sandbox can reach it. */
async function hostListener(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer((socket) => {
    // The probe hangs up as soon as it connected.
    socket.once('error', () => undefined);
    socket.end('hello from the host\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const CONNECT_SCRIPT = `const s = require('node:net').connect(Number(process.argv[1]), '127.0.0.1');
s.once('connect', () => { console.log('connected'); process.exit(0); });
s.once('error', (e) => { console.log(e.code); process.exit(0); });`;

for (const driver of ['bwrap', 'gvisor'] as const satisfies readonly IsolationDriver[]) {
  describeWithDriver(driver, `isolation under ${driver}`, () => {
    let harness: LocalHarness;
    let manager: ManagerRuntime;
    let hostDir: string;
    let sandbox: SandboxDescriptor;
    let listener: Awaited<ReturnType<typeof hostListener>>;

    beforeAll(async () => {
      harness = await localHarness(driver);
      manager = await harness.start({ LOCAL_WARM_POOL_SIZE: '0' });
      hostDir = await mkdtemp(path.join('/var/tmp', 'fh-host-'));
      await chmod(hostDir, 0o777);
      await writeFile(path.join(hostDir, 'root-only.txt'), 'secret', { mode: 0o600 });
      listener = await hostListener();
      sandbox = (
        await call<SandboxDescriptor>(manager.url, 'POST', '/v1/sandboxes', { body: { threadId: 'iso' } })
      ).body;
    });
    afterAll(async () => {
      await manager.shutdown();
      await harness.close();
      await listener.close();
      await rm(hostDir, { recursive: true, force: true });
    });

    const probe = async (query = '') =>
      (await call<ProbeReport>(`http://${sandbox.podIP}:${sandbox.port}`, 'GET', `/probe${query}`)).body;

    it('the sandbox writes its own scratch directory, and its /tmp is private', async () => {
      const report = await probe();
      expect(report.scratch.ok).toBe(true);
      expect(report.tmp.ok).toBe(true);
      await expect(stat(report.tmp.path)).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('nothing it writes outside its scratch directory reaches the host', async () => {
      const target = path.join(hostDir, 'escaped.txt');
      const report = await probe(`?write=${encodeURIComponent(target)}`);
      if (driver === 'bwrap') expect(report.write).toMatchObject({ ok: false, code: 'EROFS' });
      // gVisor's `runsc do` gives the sandbox a private overlay: the write succeeds inside only.
      expect(await readdir(hostDir)).toEqual(['root-only.txt']);
    });

    it('cannot see host processes', async () => {
      const report = await probe();
      expect(report.processes.length).toBeLessThan(10);
      expect(report.processes.map((p) => p.cmdline).join('\n')).not.toMatch(/jest/);
    });

    (runningAsRoot ? it : it.skip)(
      'runs as an unprivileged user that cannot read root-only host files',
      async () => {
        const report = await probe(`?read=${encodeURIComponent(path.join(hostDir, 'root-only.txt'))}`);
        if (driver === 'bwrap') expect(report.uid).toBe(SANDBOX_UID);
        expect(report.read).toMatchObject({ ok: false, code: 'EACCES' });
      },
    );

    it('reaches the host loopback when served (the manager shares the network so it can be routed to)', async () => {
      const report = await probe(`?connect=127.0.0.1:${listener.port}`);
      expect(report.connect).toEqual({ target: `127.0.0.1:${listener.port}`, ok: true });
    });

    it.each([
      ['none', 'has no network at all'],
      ['host', 'reaches the host loopback (the control)'],
    ] as const)('a one-shot run with network %s %s', async (network, _what) => {
      const scratchDir = await mkdtemp(path.join(harness.root, 'oneshot-'));
      if (runningAsRoot) await chmod(scratchDir, 0o777);
      const argv = wrapCommand(driver, [process.execPath, '-e', CONNECT_SCRIPT, String(listener.port)], {
        scratchDir,
        network,
      });
      const outcome = await runOnce(argv, {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: scratchDir, TMPDIR: scratchDir },
        uid: runningAsRoot ? SANDBOX_UID : undefined,
        gid: runningAsRoot ? SANDBOX_UID : undefined,
        timeoutMs: 30_000,
      });
      // With no network namespace of its own there is no route to the host: ENETUNREACH or ECONNREFUSED.
      expect(outcome.stdout.trim()).toEqual(
        network === 'host' ? 'connected' : expect.stringMatching(/^E[A-Z]+$/),
      );
    });

    if (driver === 'bwrap') {
      it('has its own hostname', async () => {
        expect((await probe()).hostname).toBe('foxhound-sandbox');
      });
    }
  });
}
