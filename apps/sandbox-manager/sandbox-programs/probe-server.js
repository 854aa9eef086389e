// probe-server: a small HTTP program to run as a local sandbox. It serves GET /healthz like the
// executor, and GET /probe reports what the program can see and do from inside its sandbox (user,
// processes, writable paths, readable files, outbound connections), so tests and operators can
// check an isolation driver for real:
//   curl 'http://127.0.0.1:$PORT/probe?write=/usr/x&read=/etc/shadow&connect=127.0.0.1:8081'
// Plain CommonJS with no dependencies: it starts fast under bwrap and gVisor. Listens on $HOST:$PORT.
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const port = Number(process.env.PORT);
const host = process.env.HOST || '127.0.0.1';
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  process.stderr.write('probe-server: PORT must be a port number\n');
  process.exit(2);
}

const MAX_PROCESSES = 200;

function tryWrite(file) {
  try {
    fs.writeFileSync(file, `written by ${process.pid}\n`);
    return { path: file, ok: true };
  } catch (err) {
    return { path: file, ok: false, code: err.code };
  }
}

function tryRead(file) {
  try {
    return { path: file, ok: true, bytes: fs.readFileSync(file).length };
  } catch (err) {
    return { path: file, ok: false, code: err.code };
  }
}

function visibleProcesses() {
  const list = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || list.length >= MAX_PROCESSES) continue;
    try {
      const cmdline = fs
        .readFileSync(path.join('/proc', entry, 'cmdline'), 'utf8')
        .split('\0')
        .join(' ')
        .trim();
      list.push({ pid: Number(entry), cmdline: cmdline.slice(0, 300) });
    } catch {
      // The process exited while we listed.
    }
  }
  return list;
}

function tryConnect(target) {
  const match = /^([0-9.]+|\[[0-9a-f:]+\]):(\d{1,5})$/i.exec(target);
  if (!match) return Promise.resolve({ target, ok: false, code: 'EINVAL' });
  return new Promise((resolve) => {
    const socket = net.connect({ host: match[1].replace(/^\[|\]$/g, ''), port: Number(match[2]) });
    const done = (result) => {
      socket.destroy();
      resolve({ target, ...result });
    };
    socket.setTimeout(1000, () => done({ ok: false, code: 'ETIMEDOUT' }));
    socket.once('connect', () => done({ ok: true }));
    socket.once('error', (err) => done({ ok: false, code: err.code }));
  });
}

async function probe(query) {
  const scratch = process.env.SANDBOX_SCRATCH_DIR || process.cwd();
  const report = {
    pid: process.pid,
    uid: process.getuid(),
    gid: process.getgid(),
    hostname: os.hostname(),
    cwd: process.cwd(),
    sandboxId: process.env.SANDBOX_ID || null,
    env: Object.keys(process.env).sort(),
    scratch: tryWrite(path.join(scratch, 'probe-scratch.txt')),
    tmp: tryWrite(path.join(os.tmpdir(), 'probe-tmp.txt')),
    processes: visibleProcesses(),
  };
  if (query.get('write')) report.write = tryWrite(query.get('write'));
  if (query.get('read')) report.read = tryRead(query.get('read'));
  if (query.get('connect')) report.connect = await tryConnect(query.get('connect'));
  return report;
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://sandbox');
  const send = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.method === 'GET' && url.pathname === '/healthz') return send(200, { status: 'ok' });
  if (req.method === 'GET' && url.pathname === '/probe') {
    probe(url.searchParams).then(
      (report) => send(200, report),
      (err) => send(500, { detail: String(err && err.message) }),
    );
    return;
  }
  send(404, { detail: `No route for ${req.method} ${url.pathname}.` });
});

server.listen(port, host);
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
