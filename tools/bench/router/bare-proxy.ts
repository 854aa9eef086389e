// Bench child process: the calibration baseline, a bare http-proxy that only checks the id. With
// BARE_KEEPALIVE=1 it gets a keep-alive agent (http-proxy's default opens a connection per request).
import http from 'node:http';
import httpProxy from 'http-proxy';

const agent =
  process.env.BARE_KEEPALIVE === '1' ? new http.Agent({ keepAlive: true, maxSockets: 64 }) : undefined;
const proxy = httpProxy.createProxyServer({ target: process.env.BARE_TARGET, agent });
proxy.on('error', (_err, _req, res) => {
  if (res instanceof http.ServerResponse && !res.headersSent) res.writeHead(502).end();
});
const server = http.createServer((req, res) => {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(String(req.headers['x-sandbox-id']))) {
    res.writeHead(400).end();
    return;
  }
  proxy.web(req, res);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`);
});
