import http from 'node:http';
import { type AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { startTestRouter, type TestRouter } from '../__fixtures__/harness';

const POD = { 'x-sandbox-id': 'sb-1', 'x-sandbox-pod-ip': '10.1.2.3' };

/** An upstream that upgrades /ws to an echo WebSocket and answers anything else with 403. */
async function startWsUpstream() {
  const server = http.createServer((_req, res) =>
    res.writeHead(403, { 'content-type': 'text/plain' }).end('no upgrade here'),
  );
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has('exec.v1') ? 'exec.v1' : false),
  });
  const seen: http.IncomingHttpHeaders[] = [];
  server.on('upgrade', (req, socket, head) => {
    seen.push(req.headers);
    if (req.url !== '/ws') {
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 15\r\n\r\nno upgrade here');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) =>
      ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    wss,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function open(url: string, headers: Record<string, string>, protocols?: string[]) {
  const ws = new WebSocket(url, protocols, { headers });
  return new Promise<WebSocket>((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) =>
      reject(Object.assign(new Error(`status ${res.statusCode}`), { status: res.statusCode, res })),
    );
  });
}

describe('sandbox-router WebSocket relay', () => {
  let upstream: Awaited<ReturnType<typeof startWsUpstream>> | undefined;
  let router: TestRouter | undefined;
  const sockets: WebSocket[] = [];
  afterEach(async () => {
    for (const ws of sockets.splice(0)) ws.terminate();
    await router?.close();
    await upstream?.close();
    router = undefined;
    upstream = undefined;
  });

  it('relays messages both ways with the negotiated subprotocol', async () => {
    upstream = await startWsUpstream();
    router = await startTestRouter({ targetPort: upstream.port });
    const ws = await open(`${router.url.replace('http', 'ws')}/ws`, POD, ['exec.v1']);
    sockets.push(ws);
    expect(ws.protocol).toBe('exec.v1');
    const echoed = new Promise((resolve) => ws.once('message', (data) => resolve(String(data))));
    ws.send('hello sandbox');
    await expect(echoed).resolves.toBe('hello sandbox');
    expect(router.agent.dials).toStrictEqual(['10.1.2.3:8888']);
    expect(upstream.seen[0]).not.toHaveProperty('x-sandbox-id');
    expect(upstream.seen[0]).toMatchObject({ host: '10.1.2.3:8888', upgrade: 'websocket' });
    expect(await router.metricsText()).toContain(
      'foxhound_sandbox_router_active_streams{kind="websocket"} 1',
    );
  });

  it('closing the client closes the upstream side', async () => {
    upstream = await startWsUpstream();
    router = await startTestRouter({ targetPort: upstream.port });
    const ws = await open(`${router.url.replace('http', 'ws')}/ws`, POD);
    const serverSide = await new Promise<WebSocket>((resolve) => {
      const check = () => {
        const [client] = [...upstream!.wss.clients];
        if (client) resolve(client);
        else setImmediate(check);
      };
      check();
    });
    const closed = new Promise((resolve) => serverSide.once('close', resolve));
    ws.terminate();
    await closed;
  });

  it('relays the upstream answer when it declines the upgrade', async () => {
    upstream = await startWsUpstream();
    router = await startTestRouter({ targetPort: upstream.port });
    await expect(open(`${router.url.replace('http', 'ws')}/not-ws`, POD)).rejects.toMatchObject({
      status: 403,
    });
  });

  it.each([
    ['400 with the SIG message when X-Sandbox-ID is missing', {}, 400, 'X-Sandbox-ID header is required.'],
    [
      '400 for a metadata pod IP, without dialing',
      { 'x-sandbox-id': 'sb', 'x-sandbox-pod-ip': '169.254.169.254' },
      400,
      'Invalid target IP address.',
    ],
  ])('%s', async (_name, headers, status, detail) => {
    upstream = await startWsUpstream();
    router = await startTestRouter({ targetPort: upstream.port });
    const err = (await open(`${router.url.replace('http', 'ws')}/ws`, headers).catch((e: unknown) => e)) as {
      status: number;
      res: http.IncomingMessage;
    };
    expect(err.status).toBe(status);
    let body = '';
    for await (const chunk of err.res) body += String(chunk);
    expect(JSON.parse(body)).toStrictEqual({ detail, code: 'bad_request' });
    expect(router.agent.dials).toStrictEqual([]);
  });

  it('502 when the sandbox refuses the connection', async () => {
    router = await startTestRouter({ targetPort: 1 });
    await expect(open(`${router.url.replace('http', 'ws')}/ws`, POD)).rejects.toMatchObject({ status: 502 });
  });
});
