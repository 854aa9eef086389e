import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import request from 'supertest';
import { openEventStream } from '@foxhound/service-kit';
import {
  closedPort,
  fakeDns,
  readBody,
  startTestRouter,
  startUpstream,
  type TestRouter,
  type Upstream,
} from '../__fixtures__/harness';
import { bearerAuthorizer } from '../authz/bearer';

const POD = { 'x-sandbox-id': 'sb-1', 'x-sandbox-pod-ip': '10.1.2.3' };

describe('sandbox-router HTTP relay', () => {
  let upstream: Upstream | undefined;
  let router: TestRouter | undefined;
  afterEach(async () => {
    await router?.close();
    await upstream?.close();
    router = undefined;
    upstream = undefined;
  });

  async function echoSetup(env: Record<string, string> = {}) {
    upstream = await startUpstream((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ method: req.method, url: req.url }));
    });
    router = await startTestRouter({ targetPort: upstream.port, env });
    return { upstream, router };
  }

  it('200: forwards to the pod IP and port, path and query byte for byte', async () => {
    const { router, upstream } = await echoSetup({ ROUTER_ALLOWED_PORTS: '8888,9000' });
    const path = '/a//b/../c/%2e%2e/http:/x?q=1&q=2';
    const res = await request(router.url)
      .get(path)
      .set({ ...POD, 'x-sandbox-port': '9000' })
      .expect(200);
    expect(res.body).toStrictEqual({ method: 'GET', url: path });
    expect(router.agent.dials).toStrictEqual(['10.1.2.3:9000']);
    expect(upstream.seen[0]!.headers.host).toBe('10.1.2.3:9000');
  });

  it.each([
    [
      'the metadata address as pod IP',
      { 'x-sandbox-pod-ip': '169.254.169.254' },
      'Invalid target IP address.',
    ],
    [
      'an IPv4-mapped metadata address',
      { 'x-sandbox-pod-ip': '::ffff:169.254.169.254' },
      'Invalid target IP address.',
    ],
    ['loopback as pod IP', { 'x-sandbox-pod-ip': '127.0.0.1' }, 'Invalid target IP address.'],
    ['a pod IP outside the pod CIDRs', { 'x-sandbox-pod-ip': '192.168.0.10' }, 'Invalid target IP address.'],
    ['a host name as pod IP', { 'x-sandbox-pod-ip': 'evil.example.com' }, 'Invalid target IP address.'],
    ['a host and port in the id', { 'x-sandbox-id': 'evil.example.com:80' }, 'Invalid sandbox ID format.'],
    ['userinfo in the id', { 'x-sandbox-id': 'a@evil' }, 'Invalid sandbox ID format.'],
    [
      'a percent-encoded dot in the namespace',
      { 'x-sandbox-namespace': 'x%2eevil' },
      'Invalid namespace format.',
    ],
    ['a path in the namespace', { 'x-sandbox-namespace': 'x/../y' }, 'Invalid namespace format.'],
    ['a host in the port', { 'x-sandbox-port': '80@evil.example.com' }, 'Invalid port format.'],
    ['a port outside the allow-list', { 'x-sandbox-port': '22' }, 'Sandbox port is not allowed.'],
  ])('400 without dialing for an SSRF attempt: %s', async (_name, hostile, detail) => {
    const { router } = await echoSetup();
    await request(router.url)
      .get('/latest/meta-data/')
      .set({ ...POD, ...hostile })
      .expect(400, { detail, code: 'bad_request' });
    expect(router.agent.dials).toStrictEqual([]);
    // The client gets one message per class; the debug log says which value it was.
    expect(router.lines).toContainEqual(
      expect.objectContaining({ level: 'debug', msg: detail, headers: expect.objectContaining(hostile) }),
    );
  });

  it('200: an absolute-form request target keeps its path and loses its authority', async () => {
    const { router, upstream } = await echoSetup();
    const res = await rawRequest(router.url, 'GET http://169.254.169.254/latest/meta-data?x=1', POD);
    expect(res.status).toBe(200);
    expect(upstream.seen[0]!.url).toBe('/latest/meta-data?x=1');
    expect(router.agent.dials).toStrictEqual(['10.1.2.3:8888']);
  });

  it('200: a path that looks like an authority stays a path', async () => {
    const { router, upstream } = await echoSetup();
    await request(router.url).get('//evil.example.com/x').set(POD).expect(200);
    expect(upstream.seen[0]!.url).toBe('//evil.example.com/x');
    expect(upstream.seen[0]!.headers.host).toBe('10.1.2.3:8888');
    expect(router.agent.dials).toStrictEqual(['10.1.2.3:8888']);
  });

  it.each(['HEAD', 'OPTIONS', 'DELETE', 'PATCH', 'PUT'])(
    '%s is forwarded (the Python router 405s HEAD and OPTIONS)',
    async (method) => {
      const { router, upstream } = await echoSetup();
      const res = await rawRequest(router.url, `${method} /m`, POD);
      expect(res.status).toBe(200);
      expect(upstream.seen[0]!.method).toBe(method);
    },
  );

  it('strips hop-by-hop, Authorization and X-Sandbox-* headers both ways; adds X-Forwarded-*; passes traceparent', async () => {
    upstream = await startUpstream((_req, res) => {
      res.writeHead(200, {
        'content-type': 'text/plain',
        connection: 'close, x-upstream-private',
        'keep-alive': 'timeout=5',
        'x-upstream-private': 'secret',
        'x-kept': 'yes',
        'proxy-authenticate': 'Basic',
      });
      res.end('ok');
    });
    router = await startTestRouter({ targetPort: upstream.port });
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const res = await rawRequest(router.url, 'GET /h', {
      ...POD,
      'x-sandbox-namespace': 'team-a',
      'x-sandbox-port': '8888',
      'x-sandbox-timeout': '30',
      'x-sandbox-something-new': 'x',
      authorization: 'Bearer router-token',
      'proxy-authorization': 'Basic abc',
      connection: 'keep-alive, x-client-private',
      'x-client-private': 'hop',
      te: 'trailers',
      'x-forwarded-for': '203.0.113.9',
      traceparent,
      tracestate: 'vendor=1',
      'x-end-to-end': 'kept',
    });
    const seen = upstream.seen[0]!.headers;
    for (const name of [
      'authorization',
      'proxy-authorization',
      'x-client-private',
      'te',
      'x-sandbox-id',
      'x-sandbox-namespace',
      'x-sandbox-port',
      'x-sandbox-pod-ip',
      'x-sandbox-timeout',
      'x-sandbox-something-new',
    ]) {
      expect(seen).not.toHaveProperty(name);
    }
    expect(seen).toMatchObject({
      host: '10.1.2.3:8888',
      'x-end-to-end': 'kept',
      'x-forwarded-for': '203.0.113.9, 127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      traceparent,
      tracestate: 'vendor=1',
    });
    expect(res.status).toBe(200);
    expect(res.headers['x-kept']).toBe('yes');
    expect(res.headers).not.toHaveProperty('x-upstream-private');
    expect(res.headers).not.toHaveProperty('proxy-authenticate');
    expect(res.headers.connection).toBe('keep-alive'); // the router's own hop, not the upstream's close
  });

  it('drops a malformed traceparent instead of passing it on', async () => {
    const { router, upstream } = await echoSetup();
    await request(router.url)
      .get('/t')
      .set({ ...POD, traceparent: '00-0000-bad', tracestate: 'a=1' })
      .expect(200);
    expect(upstream.seen[0]!.headers).not.toHaveProperty('traceparent');
    expect(upstream.seen[0]!.headers).not.toHaveProperty('tracestate');
  });

  it('keeps one Date header: the upstream one', async () => {
    upstream = await startUpstream((_req, res) => {
      res.setHeader('date', 'Tue, 01 Jan 2030 00:00:00 GMT');
      res.end('x');
    });
    router = await startTestRouter({ targetPort: upstream.port });
    const res = await rawRequest(router.url, 'GET /', POD);
    expect(res.rawHeaders.filter((h) => h.toLowerCase() === 'date')).toHaveLength(1);
    expect(res.headers.date).toBe('Tue, 01 Jan 2030 00:00:00 GMT');
  });

  it('streams SSE: the head arrives before any event, each event while the upstream is still open', async () => {
    let sendFirst!: () => void;
    const firstMayGo = new Promise<void>((resolve) => (sendFirst = resolve));
    let finish!: () => void;
    const upstreamOpen = new Promise<void>((resolve) => (finish = resolve));
    upstream = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.flushHeaders();
      void firstMayGo.then(() => res.write('data: {"n":1}\n\n'));
      void upstreamOpen.then(() => res.end('data: {"n":2}\n\n'));
    });
    router = await startTestRouter({ targetPort: upstream.port });
    // openEventStream resolves on the response head, which the upstream sent alone.
    const stream = await openEventStream(`${router.url}/execute`, { headers: POD, method: 'POST', body: {} });
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream');
    sendFirst();
    const first = await stream.frames.next();
    expect(first.value?.data).toBe('{"n":1}');
    expect(await router.metricsText()).toContain('foxhound_sandbox_router_active_streams{kind="sse"} 1');
    finish();
    const rest = [];
    for await (const frame of stream.frames) rest.push(frame.data);
    expect(rest).toStrictEqual(['{"n":2}']);
  });

  it('client abort closes the upstream request', async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    upstream = await startUpstream((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
      req.socket.once('close', upstreamClosed);
    });
    router = await startTestRouter({ targetPort: upstream.port });
    const stream = await openEventStream(`${router.url}/stream`, { headers: POD });
    await stream.frames.next();
    stream.close();
    await closed; // resolves only if the router tore down the upstream connection
  });

  it('client abort during a slow request body closes the upstream request', async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    let gotFirstChunk!: () => void;
    const firstChunk = new Promise<void>((resolve) => (gotFirstChunk = resolve));
    upstream = await startUpstream((req) => {
      req.once('data', gotFirstChunk);
      req.socket.once('close', upstreamClosed);
    });
    router = await startTestRouter({ targetPort: upstream.port });
    const req = http.request(`${router.url}/upload`, {
      method: 'POST',
      headers: { ...POD, 'transfer-encoding': 'chunked' },
    });
    req.on('error', () => undefined);
    req.write('part one');
    await firstChunk;
    req.destroy();
    await closed;
  });

  it('streams large bodies both ways unchanged', async () => {
    const size = 24 * 1024 * 1024;
    upstream = await startUpstream((req, res) => {
      const hash = createHash('sha256');
      let length = 0;
      req.on('data', (chunk: Buffer) => {
        length += chunk.length;
        hash.update(chunk);
      });
      req.on('end', () => {
        res.setHeader('x-received-sha256', hash.digest('hex'));
        res.setHeader('x-received-length', String(length));
        // Answer with a large body of our own, chunked (no content-length).
        const block = Buffer.alloc(1024 * 1024, 7);
        for (let i = 0; i < 16; i += 1) res.write(block);
        res.end();
      });
    });
    router = await startTestRouter({ targetPort: upstream.port });
    const body = randomBytes(size);
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request(`${router!.url}/big`, { method: 'POST', headers: POD }, resolve);
      req.on('error', reject);
      req.end(body);
    });
    const received = await readBody(res);
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-received-length']).toBe(String(size));
    expect(res.headers['x-received-sha256']).toBe(createHash('sha256').update(body).digest('hex'));
    expect(received.length).toBe(16 * 1024 * 1024);
    expect(received.every((b) => b === 7)).toBe(true);
  });

  it('a chunked DELETE body still arrives framed', async () => {
    upstream = await startUpstream(async (req, res) => res.end(await readBody(req)));
    router = await startTestRouter({ targetPort: upstream.port });
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request(
        `${router!.url}/d`,
        { method: 'DELETE', headers: { ...POD, 'transfer-encoding': 'chunked' } },
        resolve,
      );
      req.on('error', reject);
      req.write('abc');
      req.end('def');
    });
    expect((await readBody(res)).toString()).toBe('abcdef');
  });

  it('502 when the sandbox refuses the connection, after the connect retries', async () => {
    router = await startTestRouter({ targetPort: await closedPort() });
    await request(router.url)
      .get('/x')
      .set(POD)
      .expect(502, { detail: 'Could not connect to the backend sandbox: sb-1', code: 'bad_gateway' });
    expect(router.agent.dials).toStrictEqual(Array(4).fill('10.1.2.3:8888'));
    expect(await router.metricsText()).toContain('foxhound_sandbox_router_upstream_retries_total 3');
  });

  it('502 when the upstream hangs up before answering', async () => {
    upstream = await startUpstream((req) => req.socket.destroy());
    router = await startTestRouter({ targetPort: upstream.port });
    await request(router.url)
      .post('/x')
      .set(POD)
      .send({ a: 1 })
      .expect(502, { detail: 'Could not connect to the backend sandbox: sb-1', code: 'bad_gateway' });
  });

  it('504 when the upstream sends nothing within the idle timeout', async () => {
    upstream = await startUpstream(() => undefined);
    router = await startTestRouter({
      targetPort: upstream.port,
      env: { ROUTER_IDLE_TIMEOUT_SECONDS: '0.2' },
    });
    await request(router.url)
      .get('/slow')
      .set(POD)
      .expect(504, { detail: 'Timed out waiting for the backend sandbox: sb-1', code: 'gateway_timeout' });
  });

  it('504 sooner with X-Sandbox-Timeout, which lowers the idle timeout for one request', async () => {
    upstream = await startUpstream(() => undefined);
    router = await startTestRouter({ targetPort: upstream.port });
    await request(router.url)
      .get('/slow')
      .set({ ...POD, 'x-sandbox-timeout': '0.1' })
      .expect(504, { detail: 'Timed out waiting for the backend sandbox: sb-1', code: 'gateway_timeout' });
  });

  it('504 when no connection to the sandbox frees up within the connect timeout', async () => {
    upstream = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: holding the only connection\n\n');
    });
    router = await startTestRouter({
      targetPort: upstream.port,
      maxSockets: 1,
      env: { ROUTER_CONNECT_TIMEOUT_SECONDS: '0.1' },
    });
    const stream = await openEventStream(`${router.url}/hold`, { headers: POD });
    await stream.frames.next();
    await request(router.url)
      .get('/queued')
      .set(POD)
      .expect(504, { detail: 'Timed out waiting for the backend sandbox: sb-1', code: 'gateway_timeout' });
    stream.close();
  });

  it('an idle timeout mid-stream cuts the connection instead of sending an error body', async () => {
    upstream = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: one\n\n');
    });
    router = await startTestRouter({
      targetPort: upstream.port,
      env: { ROUTER_IDLE_TIMEOUT_SECONDS: '0.2' },
    });
    const stream = await openEventStream(`${router.url}/s`, { headers: POD });
    expect((await stream.frames.next()).value?.data).toBe('one');
    await expect(stream.frames.next()).rejects.toThrow(/aborted|socket hang up|ECONNRESET/);
  });

  it('401 with the SIG messages when the bearer token is missing or wrong; 200 with it', async () => {
    const { router: r } = await echoSetup();
    await r.close();
    router = await startTestRouter({
      targetPort: upstream!.port,
      authorizer: bearerAuthorizer('router-token-0123456789'),
    });
    await request(router.url)
      .get('/x')
      .set(POD)
      .expect(401, { detail: 'Missing or invalid Authorization header.', code: 'unauthenticated' });
    const wrong = await request(router.url)
      .get('/x')
      .set({ ...POD, authorization: 'Bearer router-token-0123456789x' })
      .expect(401, { detail: 'Invalid token.', code: 'unauthenticated' });
    expect(wrong.headers['www-authenticate']).toBe('Bearer');
    // Auth comes first: an unauthenticated caller learns nothing about header validation.
    await request(router.url).get('/x').expect(401);
    await request(router.url)
      .get('/x')
      .set({ ...POD, authorization: 'Bearer router-token-0123456789' })
      .expect(200);
    expect(upstream!.seen.at(-1)!.headers).not.toHaveProperty('authorization');
    await request(router.url).get('/healthz').expect(200);
  });

  it('DNS routing: dials <id>.<ns>.svc.<domain> when no pod IP is given', async () => {
    upstream = await startUpstream((_req, res) => res.end('dns'));
    const lookup = fakeDns(['10.96.0.12']);
    router = await startTestRouter({
      targetPort: upstream.port,
      lookup,
      env: { ROUTER_CLUSTER_DOMAIN: 'cluster.example' },
    });
    await request(router.url)
      .get('/')
      .set({ 'x-sandbox-id': 'sb-1', 'x-sandbox-namespace': 'ns-2' })
      .expect(200, 'dns');
    expect(lookup.asked).toStrictEqual(['sb-1.ns-2.svc.cluster.example']);
    expect(router.agent.dials).toStrictEqual(['sb-1.ns-2.svc.cluster.example:8888']);
    expect(upstream.seen[0]!.headers.host).toBe('sb-1.ns-2.svc.cluster.example:8888');
  });

  it.each([
    ['the metadata address', ['169.254.169.254']],
    ['loopback', ['127.0.0.1']],
    ['a good address mixed with a metadata one', ['10.96.0.12', '169.254.169.254']],
    ['an IPv4-mapped metadata address', ['::ffff:169.254.169.254']],
  ])('502 without dialing when the Service name resolves to %s', async (_name, addresses) => {
    const lookup = fakeDns(addresses);
    router = await startTestRouter({ targetPort: await closedPort(), lookup });
    await request(router.url)
      .get('/')
      .set({ 'x-sandbox-id': 'sb-1' })
      .expect(502, { detail: 'Could not connect to the backend sandbox: sb-1', code: 'bad_gateway' });
    expect(lookup.asked).toStrictEqual(['sb-1.default.svc.cluster.local']);
    expect(router.agent.dials).toStrictEqual([]);
  });

  it('counts requests by status class and source in /metrics', async () => {
    const { router } = await echoSetup();
    await request(router.url).get('/').set(POD).expect(200);
    await request(router.url).get('/').expect(400);
    const text = await router.metricsText();
    expect(text).toContain(
      'foxhound_sandbox_router_requests_total{method="GET",code="2xx",source="pod-ip"} 1',
    );
    expect(text).toContain('foxhound_sandbox_router_requests_total{method="GET",code="4xx",source="none"} 1');
    expect(text).toContain('foxhound_sandbox_router_upstream_latency_seconds_count{source="pod-ip"} 1');
    expect(text).toMatch(/foxhound_sandbox_router_bytes_total\{direction="sent"\} [1-9]\d*/);
  });
});

/** A request with a hand-written request line (supertest cannot send absolute-form or odd methods). */
function rawRequest(
  base: string,
  requestLine: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; rawHeaders: string[]; body: string }> {
  const [method, ...rest] = requestLine.split(' ');
  const path = rest.join(' ');
  return new Promise((resolve, reject) => {
    const req = http.request(base, { method, path, headers, agent: false }, async (res) => {
      const body = (await readBody(res)).toString();
      resolve({ status: res.statusCode!, headers: res.headers, rawHeaders: res.rawHeaders, body });
    });
    req.on('error', reject);
    req.end();
  });
}
