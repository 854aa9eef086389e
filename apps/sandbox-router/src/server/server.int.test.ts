import http from 'node:http';
import request from 'supertest';
import WebSocket, { WebSocketServer } from 'ws';
import { openEventStream } from '@foxhound/service-kit';
import { startTestRouter, startUpstream, type TestRouter, type Upstream } from '../__fixtures__/harness';

const POD = { 'x-sandbox-id': 'sb-1', 'x-sandbox-pod-ip': '10.1.2.3' };

describe('sandbox-router server', () => {
  let upstream: Upstream | undefined;
  let router: TestRouter | undefined;
  afterEach(async () => {
    await router?.close();
    await upstream?.close();
    router = undefined;
    upstream = undefined;
  });

  it('200 on /healthz and /readyz, Prometheus text on /metrics', async () => {
    router = await startTestRouter({ targetPort: 1 });
    await request(router.url).get('/healthz').expect(200, { status: 'ok', service: 'sandbox-router' });
    await request(router.url)
      .get('/readyz')
      .expect(200, { status: 'ready', service: 'sandbox-router', checks: {} });
    const metrics = await request(router.url).get('/metrics').expect(200);
    for (const name of [
      'requests_total',
      'upstream_latency_seconds',
      'requests_in_flight',
      'active_streams',
      'client_connections',
      'bytes_total',
      'upstream_retries_total',
      'process_cpu_seconds_total',
    ]) {
      expect(metrics.text).toContain(`foxhound_sandbox_router_${name}`);
    }
  });

  it('400 with the SIG message for any other path without X-Sandbox-ID', async () => {
    router = await startTestRouter({ targetPort: 1 });
    await request(router.url)
      .post('/execute')
      .expect(400, { detail: 'X-Sandbox-ID header is required.', code: 'bad_request' });
  });

  it("a request that names a sandbox reaches the sandbox's own /healthz", async () => {
    upstream = await startUpstream((_req, res) => res.end('executor healthz'));
    router = await startTestRouter({ targetPort: upstream.port });
    await request(router.url).get('/healthz').set(POD).expect(200, 'executor healthz');
  });

  it('graceful drain: new connections are refused while the open stream finishes', async () => {
    let finish!: () => void;
    const mayFinish = new Promise<void>((resolve) => (finish = resolve));
    upstream = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: started\n\n');
      void mayFinish.then(() => res.end('data: finished\n\n'));
    });
    router = await startTestRouter({ targetPort: upstream.port });
    const stream = await openEventStream(`${router.url}/s`, { headers: POD });
    expect((await stream.frames.next()).value?.data).toBe('started');
    const stopped = router.server.shutdown(60_000);
    expect(router.drain.draining).toBe(true);
    await expect(
      new Promise((resolve, reject) =>
        http.get(`${router!.url}/healthz`, { agent: false }, resolve).once('error', reject),
      ),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    finish();
    const rest = [];
    for await (const frame of stream.frames) rest.push(frame.data);
    expect(rest).toStrictEqual(['finished']);
    await stopped;
  });

  it('the shutdown deadline ends a WebSocket tunnel that is still open', async () => {
    const server = http.createServer();
    const wss = new WebSocketServer({ server });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    router = await startTestRouter({ targetPort: port });
    const ws = new WebSocket(`${router.url.replace('http', 'ws')}/ws`, { headers: POD });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const closed = new Promise((resolve) => ws.once('close', resolve));
    await router.server.shutdown(50);
    await closed;
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
