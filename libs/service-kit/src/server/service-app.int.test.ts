import { Writable } from 'node:stream';
import request from 'supertest';
import { z } from 'zod';
import { ConflictError, InputError } from '../errors/http-errors';
import { jsonBody, parseInput } from '../middleware/json-body';
import { createLogger } from '../observability/logger';
import { createServiceApp } from './create-app';
import { startServer, type RunningServer } from './lifecycle';

function memoryLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, logger: createLogger({ service: 'test', level: 'debug', destination }) };
}

describe('createServiceApp', () => {
  let running: RunningServer | undefined;
  afterEach(async () => {
    await running?.shutdown(1000);
    running = undefined;
  });

  async function start(options: { dependencyUp?: () => boolean; authToken?: string } = {}) {
    const { logger, lines } = memoryLogger();
    const { app } = createServiceApp({
      service: 'test-svc',
      logger,
      authToken: options.authToken,
      readiness: [
        {
          name: 'store',
          check: () => {
            if (options.dependencyUp && !options.dependencyUp()) throw new Error('connection refused');
          },
        },
      ],
      routes: (a) => {
        a.post('/v1/things/:id', jsonBody({ limit: 64 }), (req, res) => {
          const body = parseInput(z.object({ name: z.string().min(1) }), req.body);
          if (body.name === 'taken') throw new ConflictError('Thing already exists.');
          res.status(201).json({ id: req.params.id, name: body.name });
        });
        a.get('/boom', () => {
          throw new Error('secret internals');
        });
        a.get('/bad', () => {
          throw new InputError('Nope.');
        });
      },
    });
    running = await startServer(app, { port: 0, host: '127.0.0.1', logger });
    return { url: running.url, lines };
  }

  it('200 on /healthz', async () => {
    const { url } = await start();
    await request(url).get('/healthz').expect(200, { status: 'ok', service: 'test-svc' });
  });

  it('503 on /readyz naming the dependency that is down, 200 once it is up', async () => {
    let up = false;
    const { url } = await start({ dependencyUp: () => up });
    await request(url)
      .get('/readyz')
      .expect(503, { status: 'not ready', service: 'test-svc', checks: { store: 'connection refused' } });
    up = true;
    await request(url)
      .get('/readyz')
      .expect(200, { status: 'ready', service: 'test-svc', checks: { store: 'ok' } });
  });

  it('201 with a valid body, and the request duration lands in /metrics under the route template', async () => {
    const { url } = await start();
    await request(url).post('/v1/things/abc').send({ name: 'x' }).expect(201, { id: 'abc', name: 'x' });
    const metrics = await request(url).get('/metrics').expect(200);
    expect(metrics.text).toContain(
      'foxhound_test_svc_http_request_duration_seconds_count{method="POST",route="/v1/things/:id",code="201"} 1',
    );
    expect(metrics.text).toContain('foxhound_test_svc_process_cpu_seconds_total');
  });

  it.each([
    [
      '400 when the body is not JSON',
      '{nope',
      400,
      { detail: 'Request body is not valid JSON.', code: 'bad_request' },
    ],
    [
      '400 naming the bad field',
      '{"name":""}',
      400,
      { detail: expect.stringMatching(/^Invalid body\.name: /), code: 'bad_request' },
    ],
    [
      '413 when the body is over the limit',
      JSON.stringify({ name: 'x'.repeat(100) }),
      413,
      { detail: 'Request body is too large.', code: 'payload_too_large' },
    ],
    [
      '409 from a typed error',
      '{"name":"taken"}',
      409,
      { detail: 'Thing already exists.', code: 'conflict' },
    ],
  ])('%s', async (_name, body, status, expected) => {
    const { url } = await start();
    const res = await request(url)
      .post('/v1/things/a')
      .set('content-type', 'application/json')
      .send(body)
      .expect(status);
    expect(res.body).toStrictEqual(expected);
  });

  it('500 with an opaque message, the cause logged at error', async () => {
    const { url, lines } = await start();
    await request(url).get('/boom').expect(500, { detail: 'Internal server error.', code: 'internal' });
    expect(lines.some((l) => l.level === 'error' && JSON.stringify(l).includes('secret internals'))).toBe(
      true,
    );
  });

  it('404 as JSON for an unknown route', async () => {
    const { url } = await start();
    await request(url).get('/nope').expect(404, { detail: 'No route for GET /nope.', code: 'not_found' });
  });

  it('401 without the bearer token, 200 with it, probes stay open', async () => {
    const { url } = await start({ authToken: 'a-very-long-internal-token' });
    await request(url)
      .get('/bad')
      .expect(401, { detail: 'Missing or invalid bearer token.', code: 'unauthenticated' });
    await request(url)
      .get('/bad')
      .set('authorization', 'Bearer a-very-long-internal-token-but-longer')
      .expect(401);
    await request(url).get('/bad').set('authorization', 'Bearer a-very-long-internal-token').expect(400);
    await request(url).get('/healthz').expect(200);
  });

  it('reuses a plain X-Request-ID and replaces a hostile one', async () => {
    const { url, lines } = await start();
    const plain = await request(url).get('/healthz').set('x-request-id', 'abc-123').expect(200);
    expect(plain.headers['x-request-id']).toBe('abc-123');
    const hostile = await request(url).get('/healthz').set('x-request-id', 'a b\tinjected').expect(200);
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines.some((l) => l.requestId === 'abc-123')).toBe(true);
  });

  it('redacts credentials from logs', async () => {
    const { logger, lines } = memoryLogger();
    logger.info(
      { headers: { authorization: 'Bearer sk-live' }, config: { apiKey: 'sk-ant-x', token: 't' } },
      'x',
    );
    expect(JSON.stringify(lines)).not.toMatch(/sk-live|sk-ant-x|"t"/);
    expect(lines[0]).toMatchObject({
      headers: { authorization: '[redacted]' },
      config: { apiKey: '[redacted]' },
    });
  });
});
