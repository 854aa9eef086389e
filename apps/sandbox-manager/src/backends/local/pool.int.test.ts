// The adaptive pool and the acquisition queue with real processes: a burst is served in arrival
// order and switches the pool to burst mode; a ceiling of 0 keeps nothing warm; 1,000 acquisitions
// at once are answered (created, 429 or 503, each with Retry-After when refused) and leave nothing
// behind; a program that never becomes healthy fails its waiters within the bounds and leaks nothing.
import http from 'node:http';
import { type PoolStatus, type SandboxDescriptor } from '@foxhound/contracts';
import { type ManagerRuntime } from '../../server/server';
import { driverWorks } from '../../testing/drivers';
import { call, eventually } from '../../testing/http';
import { listTree, managerCgroups, sandboxProcesses } from '../../testing/leaks';
import { localHarness, type LocalHarness } from '../../testing/local-harness';
import { type IsolationDriver } from './isolation';

const everyday: IsolationDriver = driverWorks('bwrap') ? 'bwrap' : 'none';

let harness: LocalHarness | undefined;
let manager: ManagerRuntime | undefined;

afterEach(async () => {
  await manager?.shutdown();
  await harness?.close();
  manager = undefined;
  harness = undefined;
});

async function startManager(env: Record<string, string>) {
  harness = await localHarness(everyday);
  manager = await harness.start(env);
  return manager;
}

const acquire = (threadId: string) =>
  call<SandboxDescriptor & { detail?: string }>(manager!.url, 'POST', '/v1/sandboxes', {
    body: { threadId },
  });
const pool = async () => (await call<PoolStatus>(manager!.url, 'GET', '/v1/pool')).body;

/** Nothing of this manager's is left on the host once it has shut down. */
async function expectNothingLeft() {
  const root = harness!.root;
  await manager!.shutdown();
  manager = undefined;
  expect(await sandboxProcesses(root)).toEqual([]);
  expect(await listTree(root)).toEqual([]);
  expect(await managerCgroups()).toEqual([]);
}

describe(`adaptive pool and queue (${everyday})`, () => {
  it('a burst of 12 threads is served; the pool enters burst mode and the queue depth is a metric', async () => {
    await startManager({
      LOCAL_WARM_POOL_SIZE: '1',
      LOCAL_WARM_POOL_MAX: '4',
      SANDBOX_MAX_PER_OWNER: '20',
      SANDBOX_QUEUE_WAIT_SECONDS: '120',
    });
    await eventually(async () => ((await pool()).ready === 1 ? true : undefined));
    const burst = Array.from({ length: 12 }, (_, i) => acquire(`burst-${i}`));
    await eventually(async () => ((await pool()).queued! > 0 ? true : undefined));
    const metrics = await (await fetch(`${manager!.url}/metrics`)).text();
    expect(metrics).toMatch(/foxhound_sandbox_manager_queue_depth\{backend="local"\} [1-9]/);
    const results = await Promise.all(burst);
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(201));
    expect(new Set(results.map((r) => r.body.sandboxId)).size).toBe(12);
    expect(results.filter((r) => r.body.warm === true)).toHaveLength(1);
    const after = await pool();
    expect(after).toMatchObject({ mode: 'burst', floor: 1, ceiling: 4, desired: 4, queued: 0, active: 12 });
    // In burst mode the pool fills to its ceiling for the next wave.
    await eventually(async () => ((await pool()).ready === 4 ? true : undefined));
    expect(await (await fetch(`${manager!.url}/metrics`)).text()).toContain(
      'foxhound_sandbox_manager_pool_burst{backend="local"} 1',
    );
    await expectNothingLeft();
  });

  it('a ceiling of 0 keeps nothing warm: every acquisition starts its own sandbox', async () => {
    await startManager({ LOCAL_WARM_POOL_SIZE: '0', LOCAL_WARM_POOL_MAX: '0' });
    const results = await Promise.all([acquire('zero-a'), acquire('zero-b'), acquire('zero-c')]);
    expect(results.map((r) => [r.status, r.body.warm])).toEqual([
      [201, false],
      [201, false],
      [201, false],
    ]);
    expect(await pool()).toMatchObject({
      ceiling: 0,
      desired: 0,
      ready: 0,
      starting: 0,
      queued: 0,
      active: 3,
    });
    await expectNothingLeft();
  });

  it('1,000 acquisitions at once: each is answered within the bounds and nothing is left behind', async () => {
    await startManager({
      LOCAL_WARM_POOL_SIZE: '0',
      LOCAL_WARM_POOL_MAX: '2',
      SANDBOX_MAX_TOTAL: '40',
      SANDBOX_MAX_PER_OWNER: '40',
      SANDBOX_QUEUE_MAX: '20',
      SANDBOX_QUEUE_WAIT_SECONDS: '5',
    });
    // All 1,000 are sent at once; the client, like a real one, opens at most 200 connections (more
    // overflow the listen backlog of a process this busy, and the kernel resets them).
    const agent = new http.Agent({ maxSockets: 200 });
    const { port } = new URL(manager!.url);
    const results = await Promise.all(
      Array.from(
        { length: 1000 },
        (_, i) =>
          new Promise<{ status: number; retryAfter: string | undefined }>((resolve, reject) => {
            const req = http.request(
              { host: '127.0.0.1', port, path: '/v1/sandboxes', method: 'POST', agent },
              (res) => {
                res.resume();
                res.once('end', () =>
                  resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string }),
                );
              },
            );
            req.setHeader('content-type', 'application/json');
            req.once('error', reject);
            req.end(JSON.stringify({ threadId: `storm-${i}` }));
          }),
      ),
    );
    agent.destroy();
    const by = (status: number) => results.filter((r) => r.status === status);
    // Sandboxes created never exceed the total limit (none is released during the storm), however
    // the arrivals spread over the 200 connections; the rest are refused with Retry-After.
    expect(by(201).length).toBeGreaterThan(0);
    expect(by(201).length).toBeLessThanOrEqual(40);
    expect(by(201).length + by(429).length + by(503).length).toBe(1000);
    for (const refused of [...by(429), ...by(503)])
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(by(429).length).toBeGreaterThan(0);
    expect(await pool()).toMatchObject({ queued: 0 });
    await expectNothingLeft();
  }, 120_000);

  it('a program that never answers /healthz: waiters get 504 or 503 within the bounds; nothing leaks', async () => {
    await startManager({
      LOCAL_WARM_POOL_SIZE: '0',
      LOCAL_WARM_POOL_MAX: '2',
      SANDBOX_READY_TIMEOUT_SECONDS: '1',
      SANDBOX_QUEUE_WAIT_SECONDS: '3',
      LOCAL_SANDBOX_COMMAND: '["/bin/sleep", "300"]',
    });
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => acquire(`silent-${i}`)));
    // Every waiter is answered (the queue wait and the ready timeout bound it; jest's timeout catches a hang).
    for (const result of results) expect([503, 504]).toContain(result.status);
    expect(
      results.some((r) => r.status === 504 && /no answer on \/healthz within 1 s/.test(r.body.detail!)),
    ).toBe(true);
    // The pool keeps retrying with backoff while the manager runs; shutting down stops every try.
    await expectNothingLeft();
  }, 60_000);
});
