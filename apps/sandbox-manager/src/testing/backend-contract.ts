// The contract every backend meets, run over HTTP against a real manager: one sandbox per thread,
// reuse with TTL renewal, concurrency, lookups, deletion, expiry and reaping, limits, owners,
// input validation, auth, pool status and metrics. Each backend's int test calls
// describeBackendContract() with a harness that starts managers for it.
import { type SandboxDescriptor, type SandboxList } from '@foxhound/contracts';
import http from 'node:http';
import { type ManagerRuntime } from '../server/server';
import { testClock, type TestClock } from './clock';
import { call } from './http';

export interface ContractHarness {
  backend: 'local' | 'kubernetes';
  /** Starts a manager with these env overrides (on top of the harness's own). */
  start(env?: Record<string, string>, options?: { now?: () => Date }): Promise<ManagerRuntime>;
  /** Forgets what one test left (sandboxes outlive a manager on Kubernetes, by design). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

const TOKEN = 'contract-test-token-0123456789';

/** GET /healthz on the sandbox itself, as the router would reach it. */
export function sandboxHealth(descriptor: SandboxDescriptor): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(
        { host: descriptor.podIP, port: descriptor.port, path: '/healthz', agent: false, timeout: 5000 },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      )
      .once('error', reject);
  });
}

export function describeBackendContract(name: string, createHarness: () => Promise<ContractHarness>): void {
  describe(`${name}: the sandbox contract`, () => {
    let harness: ContractHarness;
    const running: ManagerRuntime[] = [];
    let clock: TestClock;

    const start = async (env: Record<string, string> = {}) => {
      const runtime = await harness.start(env, { now: clock.now });
      running.push(runtime);
      return runtime;
    };
    const acquire = (runtime: ManagerRuntime, body: Record<string, unknown>) =>
      call<SandboxDescriptor>(runtime.url, 'POST', '/v1/sandboxes', { body });

    beforeAll(async () => {
      harness = await createHarness();
    });
    afterAll(async () => {
      await harness.close();
    });
    beforeEach(() => {
      clock = testClock();
    });
    afterEach(async () => {
      await Promise.all(running.splice(0).map((runtime) => runtime.shutdown()));
      await harness.reset();
    });

    describe('on one manager with MANAGER_AUTH_TOKEN set', () => {
      let shared: ManagerRuntime;
      beforeAll(async () => {
        shared = await harness.start({ MANAGER_AUTH_TOKEN: TOKEN, LOCAL_WARM_POOL_SIZE: '0' });
      });
      afterAll(async () => {
        await shared.shutdown();
      });

      it.each([
        ['a path in the thread id', { threadId: '../../etc' }, 'Invalid body.threadId'],
        ['a thread id over 128 characters', { threadId: 'x'.repeat(129) }, 'Invalid body.threadId'],
        ['spaces in the thread id', { threadId: 'a b' }, 'Invalid body.threadId'],
        ['an empty thread id', { threadId: '' }, 'Invalid body.threadId'],
        ['a unicode thread id', { threadId: 'thréad' }, 'Invalid body.threadId'],
        ['a leading dash', { threadId: '-x' }, 'Invalid body.threadId'],
        ['no thread id', {}, 'Invalid body.threadId'],
        ['a TTL under a minute', { threadId: 't', ttlSeconds: 30 }, 'Invalid body.ttlSeconds'],
        ['a TTL over a day', { threadId: 't', ttlSeconds: 86_401 }, 'Invalid body.ttlSeconds'],
        [
          'a reserved label',
          { threadId: 't', labels: { 'foxhound.dev/thread-hash': 'x' } },
          'foxhound.dev/thread-hash is reserved',
        ],
        ['an invalid label key', { threadId: 't', labels: { 'bad key': 'x' } }, 'Invalid body.labels'],
        ['an invalid owner', { threadId: 't', owner: 'a b' }, 'Invalid body.owner'],
      ])('400 for %s', async (_name, body, detail) => {
        const response = await call<{ detail: string; code: string }>(shared.url, 'POST', '/v1/sandboxes', {
          body,
          token: TOKEN,
        });
        expect(response.status).toBe(400);
        expect(response.body.code).toBe('bad_request');
        expect(response.body.detail).toContain(detail);
      });

      it.each([
        [
          'a body that is not JSON',
          'POST',
          '/v1/sandboxes',
          '{"threadId":',
          'Request body is not valid JSON.',
        ],
        ['an upper-case sandbox id', 'GET', '/v1/sandboxes/Not_A_Label', undefined, 'Invalid sandbox id'],
        [
          'a bad thread id in the query',
          'GET',
          '/v1/sandboxes?threadId=a%20b',
          undefined,
          'Invalid query.threadId',
        ],
      ])('400 for %s', async (_name, method, path, rawBody, detail) => {
        const response = await call<{ detail: string }>(shared.url, method, path, { rawBody, token: TOKEN });
        expect(response.status).toBe(400);
        expect(response.body.detail).toContain(detail);
      });

      it('401 without the bearer token when MANAGER_AUTH_TOKEN is set; the probes stay open', async () => {
        const manager = shared;
        expect(await call(manager.url, 'GET', '/v1/pool')).toMatchObject({
          status: 401,
          body: { detail: 'Missing or invalid bearer token.', code: 'unauthenticated' },
        });
        expect((await call(manager.url, 'GET', '/v1/pool', { token: `${TOKEN}x` })).status).toBe(401);
        expect((await call(manager.url, 'GET', '/v1/pool', { token: TOKEN })).status).toBe(200);
        expect((await call(manager.url, 'GET', '/healthz')).status).toBe(200);
        expect((await call(manager.url, 'GET', '/readyz')).status).toBe(200);
      });
    });

    it('201 with a ready sandbox for a new thread, reachable at its podIP and port', async () => {
      const manager = await start();
      const { status, body } = await acquire(manager, { threadId: 'thread-new', owner: 'alice' });
      expect(status).toBe(201);
      expect(body).toEqual({
        sandboxId: expect.stringMatching(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/),
        threadId: 'thread-new',
        namespace: expect.any(String),
        port: expect.any(Number),
        podIP: expect.any(String),
        podName: expect.any(String),
        reused: false,
        warm: expect.any(Boolean),
        backend: harness.backend,
        owner: 'alice',
        createdAt: expect.any(String),
        expiresAt: expect.any(String),
        ttlSeconds: 1800,
      });
      expect(await sandboxHealth(body)).toBe(200);
    });

    it('200 with the same sandbox for a follow-up, its expiry pushed forward', async () => {
      const manager = await start();
      const first = await acquire(manager, { threadId: 'thread-follow', ttlSeconds: 600 });
      clock.advance(120_000);
      const second = await acquire(manager, { threadId: 'thread-follow' });
      expect(second.status).toBe(200);
      expect(second.body).toMatchObject({ sandboxId: first.body.sandboxId, reused: true, ttlSeconds: 600 });
      expect(Date.parse(second.body.expiresAt) - Date.parse(first.body.expiresAt)).toBeGreaterThanOrEqual(
        119_000,
      );
    });

    it('concurrent requests for one thread get one sandbox', async () => {
      const manager = await start();
      const results = await Promise.all(
        Array.from({ length: 8 }, () => acquire(manager, { threadId: 'thread-race' })),
      );
      expect(new Set(results.map((r) => r.body.sandboxId)).size).toBe(1);
      expect(results.every((r) => r.status === 201 || r.status === 200)).toBe(true);
      const listed = await call<SandboxList>(manager.url, 'GET', '/v1/sandboxes');
      expect(listed.body.items.filter((d) => d.threadId === 'thread-race')).toHaveLength(1);
    });

    it('different threads get different sandboxes', async () => {
      const manager = await start();
      const [a, b] = await Promise.all([
        acquire(manager, { threadId: 'thread-a' }),
        acquire(manager, { threadId: 'thread-b' }),
      ]);
      expect(a.body.sandboxId).not.toBe(b.body.sandboxId);
    });

    it('200 for GET by id and by thread; an unknown thread lists nothing; 404 for an unknown id', async () => {
      const manager = await start();
      const { body: acquired } = await acquire(manager, { threadId: 'thread-get' });
      const byId = await call<SandboxDescriptor>(manager.url, 'GET', `/v1/sandboxes/${acquired.sandboxId}`);
      expect(byId).toMatchObject({ status: 200, body: { ...acquired, reused: true } });
      const byThread = await call<SandboxList>(manager.url, 'GET', '/v1/sandboxes?threadId=thread-get');
      expect(byThread.body).toEqual({ items: [{ ...acquired, reused: true }] });
      expect((await call(manager.url, 'GET', '/v1/sandboxes?threadId=nobody')).body).toEqual({ items: [] });
      expect(await call(manager.url, 'GET', '/v1/sandboxes/fh-does-not-exist')).toMatchObject({
        status: 404,
        body: { detail: 'Sandbox fh-does-not-exist not found.', code: 'not_found' },
      });
    });

    it('204 for DELETE, then 404; the thread gets a fresh sandbox next time', async () => {
      const manager = await start();
      const { body: acquired } = await acquire(manager, { threadId: 'thread-del' });
      expect((await call(manager.url, 'DELETE', `/v1/sandboxes/${acquired.sandboxId}`)).status).toBe(204);
      expect((await call(manager.url, 'GET', `/v1/sandboxes/${acquired.sandboxId}`)).status).toBe(404);
      expect((await call(manager.url, 'DELETE', `/v1/sandboxes/${acquired.sandboxId}`)).status).toBe(404);
      const again = await acquire(manager, { threadId: 'thread-del' });
      expect(again).toMatchObject({ status: 201, body: { reused: false } });
    });

    it('201 with a fresh sandbox once the old one expired', async () => {
      const manager = await start();
      await acquire(manager, { threadId: 'thread-exp', ttlSeconds: 60 });
      clock.advance(61_000);
      const next = await acquire(manager, { threadId: 'thread-exp', ttlSeconds: 60 });
      expect(next).toMatchObject({ status: 201, body: { reused: false } });
      expect(await sandboxHealth(next.body)).toBe(200);
    });

    it('the reaper removes sandboxes past their expiry', async () => {
      const manager = await start({ SANDBOX_REAP_GRACE_SECONDS: '5' });
      await acquire(manager, { threadId: 'thread-reap', ttlSeconds: 60 });
      clock.advance(66_000);
      await expect(manager.reaper.runOnce()).resolves.toBe(1);
      expect((await call(manager.url, 'GET', '/v1/sandboxes?threadId=thread-reap')).body).toEqual({
        items: [],
      });
      const metrics = await (await fetch(`${manager.url}/metrics`)).text();
      expect(metrics).toContain(
        `foxhound_sandbox_manager_sandboxes_reaped_total{backend="${harness.backend}",reason="expired"} 1`,
      );
    });

    it('429 past the per-owner limit; another owner is unaffected', async () => {
      const manager = await start({ SANDBOX_MAX_PER_OWNER: '1' });
      expect((await acquire(manager, { threadId: 'thread-o1', owner: 'bob' })).status).toBe(201);
      const refused = await acquire(manager, { threadId: 'thread-o2', owner: 'bob' });
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({
        detail:
          'Sandbox limit reached for owner bob: 1 of 1 sandboxes (SANDBOX_MAX_PER_OWNER). ' +
          'Delete one of your sandboxes or wait for one to expire.',
        code: 'rate_limited',
      });
      expect(refused.headers.get('retry-after')).toBe('30');
      expect((await acquire(manager, { threadId: 'thread-o1', owner: 'bob' })).status).toBe(200);
      expect((await acquire(manager, { threadId: 'thread-o3', owner: 'carol' })).status).toBe(201);
    });

    it('429 past the total limit', async () => {
      const manager = await start({
        SANDBOX_MAX_TOTAL: '2',
        SANDBOX_MAX_PER_OWNER: '2',
        LOCAL_WARM_POOL_SIZE: '1',
      });
      await acquire(manager, { threadId: 'thread-t1', owner: 'a' });
      await acquire(manager, { threadId: 'thread-t2', owner: 'b' });
      const refused = await acquire(manager, { threadId: 'thread-t3', owner: 'c' });
      expect(refused).toMatchObject({ status: 429, body: { code: 'rate_limited' } });
      expect((refused.body as unknown as { detail: string }).detail).toContain(
        '2 of 2 sandboxes are in use (SANDBOX_MAX_TOTAL)',
      );
    });

    it('403 when another owner asks for a thread', async () => {
      const manager = await start();
      await acquire(manager, { threadId: 'thread-owned', owner: 'alice' });
      expect(await acquire(manager, { threadId: 'thread-owned', owner: 'mallory' })).toMatchObject({
        status: 403,
        body: { detail: 'Thread thread-owned belongs to another owner.', code: 'forbidden' },
      });
    });

    it('200 for GET /v1/pool with the pool status', async () => {
      const manager = await start();
      const { status, body } = await call(manager.url, 'GET', '/v1/pool');
      expect(status).toBe(200);
      expect(body).toEqual(
        expect.objectContaining({
          backend: harness.backend,
          desired: expect.any(Number),
          ready: expect.any(Number),
          starting: expect.any(Number),
          active: 0,
        }),
      );
    });

    it('counts acquisitions by outcome and start, and active sandboxes', async () => {
      const manager = await start();
      await acquire(manager, { threadId: 'thread-metrics' });
      await acquire(manager, { threadId: 'thread-metrics' });
      const metrics = await (await fetch(`${manager.url}/metrics`)).text();
      const b = harness.backend;
      expect(metrics).toMatch(
        new RegExp(`acquisitions_total\\{backend="${b}",outcome="created",start="(warm|cold)"\\} 1`),
      );
      expect(metrics).toContain(`acquisitions_total{backend="${b}",outcome="reused",start="none"} 1`);
      expect(metrics).toContain(`foxhound_sandbox_manager_sandboxes_active{backend="${b}"} 1`);
      expect(metrics).toContain('foxhound_sandbox_manager_acquisition_duration_seconds_bucket');
    });
  });
}
