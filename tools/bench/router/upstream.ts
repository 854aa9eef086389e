// Bench child process: the sandbox the requests end at, plus a fake sandbox-manager that tells the
// router where it is (the local backend's answer: 127.0.0.1 and a port). Prints one JSON line with
// both ports, then serves until killed.
//   GET /json  small JSON (the throughput rows)
//   GET /sse   an event stream: the first event at once, the end 2 ms later (the TTFB rows)
import http from 'node:http';
import { type AddressInfo } from 'node:net';

const body = JSON.stringify({ ok: true, sandbox: 'sb1', result: { exitCode: 0, stdout: 'hello\n' } });

const upstream = http.createServer((req, res) => {
  if (req.url === '/sse') {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write('data: {"type":"session"}\n\n');
    setTimeout(() => res.end('data: {"type":"result"}\n\n'), 2);
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
upstream.keepAliveTimeout = 60_000;

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

async function main(): Promise<void> {
  const upstreamPort = await listen(upstream, Number(process.env.UPSTREAM_PORT ?? 0));
  const manager = http.createServer((req, res) => {
    const id = /^\/v1\/sandboxes\/([a-z0-9-]+)$/.exec(req.url ?? '')?.[1];
    if (id === undefined) {
      res.writeHead(404).end();
      return;
    }
    const now = new Date().toISOString();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        sandboxId: id,
        threadId: `thread-${id}`,
        namespace: 'default',
        port: upstreamPort,
        podIP: '127.0.0.1',
        reused: true,
        backend: 'local',
        createdAt: now,
        expiresAt: now,
      }),
    );
  });
  const managerPort = await listen(manager, 0);
  process.stdout.write(`${JSON.stringify({ upstreamPort, managerPort })}\n`);
}

void main();
