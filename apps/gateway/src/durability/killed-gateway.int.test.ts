// A gateway process killed with SIGKILL in the middle of a turn leaves its investigation `running`;
// the next gateway on the same store ends it once the lease lapses, and a replay of it ends with the
// sweeper's `error` event. The killed gateway is a real child process (src/main.ts) on PGlite in a
// temporary directory, talking to this test's fake manager and executor.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type StreamEvent } from '@foxhound/contracts';
import { openEventStream } from '@foxhound/service-kit';
import { createStore, SWEEP_ERROR_CODE, type Store } from '@foxhound/store';
import { startFakeExecutor, startFakeManager, thought } from '../__fixtures__/fakes';
import { startHarness, type Harness } from '../__fixtures__/harness';

const repoRoot = resolve(__dirname, '../../../..');
const ADMIN_KEY = `fh_${'k'.repeat(43)}`;

function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => done(port));
    });
  });
}

let dataDir: string;
let proc: ChildProcess | undefined;
let store: Store | undefined;
let harness: Harness | undefined;
const fakes: { close(): Promise<void> }[] = [];
afterEach(async () => {
  proc?.kill('SIGKILL');
  await harness?.close();
  await store?.close();
  for (const fake of fakes) await fake.close();
  await rm(dataDir, { recursive: true, force: true });
});

it('ends the turn of a gateway killed mid-stream once its lease lapses', async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'foxhound-killed-gateway-'));
  const manager = await startFakeManager();
  const executor = await startFakeExecutor();
  fakes.push(manager, executor);
  executor.script({
    before: (t) => [thought('reading the deployment', t)],
    gate: new Promise(() => undefined),
  });
  const port = await freePort();
  proc = spawn(
    process.execPath,
    [
      '--conditions=@foxhound/source',
      '-r',
      join(repoRoot, 'tools/ts-run.cjs'),
      join(repoRoot, 'apps/gateway/src/main.ts'),
    ],
    {
      cwd: repoRoot,
      stdio: 'ignore',
      env: {
        PATH: process.env.PATH,
        LOG_LEVEL: 'silent',
        HOST: '127.0.0.1',
        PORT: String(port),
        SANDBOX_MANAGER_URL: manager.url,
        SANDBOX_ROUTER_URL: executor.url,
        GATEWAY_DATA_DIR: dataDir,
        GATEWAY_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
      },
    },
  );
  const exited = new Promise<NodeJS.Signals | number | null>((done) =>
    proc!.on('exit', (code, signal) => done(signal ?? code)),
  );
  // Wait for the child to answer, then start a turn and read until the executor's first event.
  let stream: Awaited<ReturnType<typeof openEventStream>> | undefined;
  for (let i = 0; i < 600 && !stream; i++) {
    stream = await openEventStream(`http://127.0.0.1:${port}/investigate`, {
      body: { prompt: 'checkout is down', thread_id: 'killed-gateway' },
      headers: { 'x-api-key': ADMIN_KEY },
    }).catch(() => undefined);
    if (!stream) await new Promise((done) => setTimeout(done, 100));
  }
  expect(stream?.status).toBe(200);
  let investigationId = '';
  for await (const frame of stream!.frames) {
    const event = JSON.parse(frame.data) as StreamEvent;
    if (event.type === 'session') investigationId = event.data.investigation_id!;
    if (event.type === 'thought') break;
  }
  proc.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  stream!.close();

  store = await createStore({ dataDir });
  expect((await store.investigations.get(investigationId))?.status).toBe('running');
  harness = await startHarness(store, { GATEWAY_RUN_LEASE_SECONDS: '2' });
  harness.gateway.startBackground();
  const ended = await harness.waitForStatus(investigationId, 'interrupted');
  expect(ended.error?.code).toBe(SWEEP_ERROR_CODE);
  const replay = await openEventStream(`${harness.url}/v1/investigations/${investigationId}/events`, {
    headers: { 'x-api-key': harness.keys.viewer },
  });
  const types: string[] = [];
  for await (const frame of replay.frames) types.push((JSON.parse(frame.data) as StreamEvent).type);
  expect(types.at(-1)).toBe('error');
  await expect(store.audit.verify()).resolves.toMatchObject({ ok: true });
}, 90_000);
