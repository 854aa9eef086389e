import http from 'node:http';
import { type AddressInfo } from 'node:net';
import { type SandboxDescriptor } from '@foxhound/contracts';
import request from 'supertest';
import { createAddressPolicy } from '../proxy/address';
import { startTestRouter, startUpstream, type TestRouter, type Upstream } from '../__fixtures__/harness';
import { createManagerLocator } from './manager-locator';

const TOKEN = 'manager-token-0123456789';

function descriptor(overrides: Partial<SandboxDescriptor> = {}): SandboxDescriptor {
  return {
    sandboxId: 'sb-1',
    threadId: 'thread-1',
    namespace: 'default',
    port: 41234,
    podIP: '127.0.0.1',
    reused: false,
    backend: 'local',
    createdAt: '2030-01-01T00:00:00Z',
    expiresAt: '2030-01-01T01:00:00Z',
    ...overrides,
  };
}

/** A fake sandbox-manager: answers GET /v1/sandboxes/:id from `sandboxes`, counting requests. */
async function startFakeManager(sandboxes: Map<string, unknown>, options: { delayMs?: number } = {}) {
  const asked: { path: string; authorization: string | undefined }[] = [];
  const server = http.createServer((req, res) => {
    asked.push({ path: req.url!, authorization: req.headers.authorization });
    const answer = () => {
      const id = /^\/v1\/sandboxes\/([^/]+)$/.exec(req.url!)?.[1];
      const found = id === undefined ? undefined : sandboxes.get(id);
      if (found === undefined) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"not found"}');
      } else if (typeof found === 'number') {
        res.writeHead(found).end();
      } else {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(typeof found === 'string' ? found : JSON.stringify(found));
      }
    };
    if (options.delayMs) setTimeout(answer, options.delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    asked,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('sandbox-manager locator', () => {
  const closers: (() => unknown)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function setup(
    sandboxes: Map<string, unknown>,
    opts: { allowLoopback?: boolean; delayMs?: number } = {},
  ) {
    let now = 1_000;
    const manager = await startFakeManager(sandboxes, { delayMs: opts.delayMs });
    closers.push(manager.close);
    const locator = createManagerLocator({
      baseUrl: manager.url,
      token: TOKEN,
      addressPolicy: createAddressPolicy({ podCidrs: [], allowLoopbackUpstream: opts.allowLoopback ?? true }),
      positiveTtlMs: 5_000,
      negativeTtlMs: 1_000,
      now: () => now,
    });
    closers.push(() => locator.close());
    return { manager, locator, advance: (ms: number) => (now += ms) };
  }

  it('answers with the descriptor address, sends the bearer token, caches for the TTL', async () => {
    const { manager, locator, advance } = await setup(new Map([['sb-1', descriptor()]]));
    await expect(locator.locate('sb-1', 'default')).resolves.toStrictEqual({
      address: '127.0.0.1',
      port: 41234,
    });
    await expect(locator.locate('sb-1', 'default')).resolves.toStrictEqual({
      address: '127.0.0.1',
      port: 41234,
    });
    expect(manager.asked).toStrictEqual([{ path: '/v1/sandboxes/sb-1', authorization: `Bearer ${TOKEN}` }]);
    advance(5_001);
    await locator.locate('sb-1', 'default');
    expect(manager.asked).toHaveLength(2);
  });

  it('caches "no such sandbox" for the shorter negative TTL', async () => {
    const { manager, locator, advance } = await setup(new Map());
    await expect(locator.locate('sb-9', 'default')).resolves.toBeUndefined();
    await expect(locator.locate('sb-9', 'default')).resolves.toBeUndefined();
    expect(manager.asked).toHaveLength(1);
    advance(1_001);
    await locator.locate('sb-9', 'default');
    expect(manager.asked).toHaveLength(2);
  });

  it('shares one manager request among concurrent lookups of one sandbox', async () => {
    const { manager, locator } = await setup(new Map([['sb-1', descriptor()]]), { delayMs: 20 });
    const answers = await Promise.all(Array.from({ length: 20 }, () => locator.locate('sb-1', 'default')));
    expect(new Set(answers.map((a) => `${a?.address}:${a?.port}`))).toStrictEqual(
      new Set(['127.0.0.1:41234']),
    );
    expect(manager.asked).toHaveLength(1);
  });

  it('asks again after an eviction', async () => {
    const { manager, locator } = await setup(new Map([['sb-1', descriptor()]]));
    await locator.locate('sb-1', 'default');
    locator.evict('sb-1', 'default');
    await locator.locate('sb-1', 'default');
    expect(manager.asked).toHaveLength(2);
  });

  it('treats the same name in another namespace as unknown', async () => {
    const { locator } = await setup(new Map([['sb-1', descriptor({ namespace: 'team-a' })]]));
    await expect(locator.locate('sb-1', 'default')).resolves.toBeUndefined();
  });

  it.each([
    ['a 500 from the manager', 500, /answered 500/],
    ['invalid JSON', '{nope', /invalid JSON/],
    ['a descriptor that fails the contract', { sandboxId: 'sb-1' }, /descriptor is invalid/],
    ['a sandbox without an address yet', descriptor({ podIP: undefined }), /has no address yet/],
    ['a metadata address', descriptor({ podIP: '169.254.169.254' }), /may not connect to/],
  ])('throws (and caches nothing) on %s', async (_name, answer, message) => {
    const { manager, locator } = await setup(new Map([['sb-1', answer]]));
    await expect(locator.locate('sb-1', 'default')).rejects.toThrow(message);
    await expect(locator.locate('sb-1', 'default')).rejects.toThrow(message);
    expect(manager.asked).toHaveLength(2);
  });

  it('refuses a loopback address unless ROUTER_ALLOW_LOOPBACK_UPSTREAM is set', async () => {
    const { locator } = await setup(new Map([['sb-1', descriptor()]]), { allowLoopback: false });
    await expect(locator.locate('sb-1', 'default')).rejects.toThrow(/may not connect to/);
  });

  it('throws when the manager is unreachable', async () => {
    const locator = createManagerLocator({
      baseUrl: 'http://127.0.0.1:1',
      addressPolicy: createAddressPolicy({ podCidrs: [], allowLoopbackUpstream: true }),
    });
    closers.push(() => locator.close());
    await expect(locator.locate('sb-1', 'default')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('sandbox-router with ROUTER_RESOLVER=manager (the local backend)', () => {
  let upstream: Upstream | undefined;
  let router: TestRouter | undefined;
  const closers: (() => unknown)[] = [];
  afterEach(async () => {
    await router?.close();
    await upstream?.close();
    for (const close of closers.splice(0).reverse()) await close();
  });

  it('routes to the loopback port the manager names, and asks again once a connect fails', async () => {
    upstream = await startUpstream((_req, res) => res.end('from the sandbox'));
    const sandboxes = new Map<string, unknown>([['sb-1', descriptor({ port: upstream.port })]]);
    const manager = await startFakeManager(sandboxes);
    closers.push(manager.close);
    const locator = createManagerLocator({
      baseUrl: manager.url,
      token: TOKEN,
      addressPolicy: createAddressPolicy({ podCidrs: [], allowLoopbackUpstream: true }),
    });
    closers.push(() => locator.close());
    router = await startTestRouter({ targetPort: upstream.port, locator });
    // The recording agent dials the real upstream, so the address the manager named is what it records.
    await request(router.url).get('/').set('x-sandbox-id', 'sb-1').expect(200, 'from the sandbox');
    await request(router.url).get('/').set('x-sandbox-id', 'sb-1').expect(200);
    expect(router.agent.dials).toStrictEqual([`127.0.0.1:${upstream.port}`]);
    expect(manager.asked).toHaveLength(1);

    // The sandbox goes away: connects are refused, the router evicts and asks the manager again.
    router.agent.targetPort = 1;
    router.agent.destroy();
    await request(router.url)
      .get('/')
      .set('x-sandbox-id', 'sb-1')
      .expect(502, { detail: 'Could not connect to the backend sandbox: sb-1', code: 'bad_gateway' });
    expect(manager.asked.length).toBeGreaterThan(1);
    expect(await router.metricsText()).toMatch(
      /foxhound_sandbox_router_requests_total\{method="GET",code="5xx",source="manager"\} 1/,
    );
  });

  it('502 for a sandbox the manager does not know', async () => {
    const manager = await startFakeManager(new Map());
    closers.push(manager.close);
    const locator = createManagerLocator({
      baseUrl: manager.url,
      addressPolicy: createAddressPolicy({ podCidrs: [], allowLoopbackUpstream: true }),
    });
    closers.push(() => locator.close());
    router = await startTestRouter({ targetPort: 1, locator });
    await request(router.url)
      .get('/')
      .set('x-sandbox-id', 'sb-unknown')
      .expect(502, { detail: 'Could not connect to the backend sandbox: sb-unknown', code: 'bad_gateway' });
    expect(router.agent.dials).toStrictEqual([]);
  });
});
