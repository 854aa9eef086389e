// Port checks against real sockets and processes: the holder named from /proc, and readiness that
// refuses an answer from a process other than the one started.
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { assertPortsFree, portHolder } from './ports';
import { freePort, NotOurProcessError, startProcess, stopProcess, waitUntilReady } from './processes';

let server: http.Server;
let port: number;
beforeEach(async () => {
  server = http.createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('who holds a port', () => {
  it('names this process for a port it listens on, and nobody for a free one', async () => {
    expect(portHolder(port)).toMatchObject({ pid: process.pid, command: expect.stringContaining('node') });
    expect(portHolder(await freePort())).toBeUndefined();
  });

  it('refuses to start on a taken port, naming the port, the service, the holder and the way out', async () => {
    const holder = portHolder(port)!;
    await expect(
      assertPortsFree([
        { name: 'gateway', port, hint: '--gateway-port or FOXHOUND_GATEWAY_PORT' },
        { name: 'router', port: 0, hint: '--router-port' },
      ]),
    ).rejects.toThrow(
      `port ${port} (gateway) is in use by pid ${holder.pid} (${holder.command}); stop it or choose another with --gateway-port or FOXHOUND_GATEWAY_PORT`,
    );
    await expect(assertPortsFree([{ name: 'gateway', port: await freePort(), hint: '' }])).resolves.toBeUndefined();
  });
});

describe('readiness that it reached the process it started', () => {
  it('rejects a 200 from a port another process holds', async () => {
    const logDir = mkdtempSync(path.join(tmpdir(), 'fh-ports-'));
    // Started, alive, but not listening: whatever answers on `port` is someone else.
    const proc = startProcess({
      name: 'gateway',
      command: process.execPath,
      args: ['-e', 'setInterval(() => {}, 1000)'],
      env: { PATH: process.env.PATH },
      cwd: logDir,
      logDir,
    });
    try {
      const ready = waitUntilReady(proc, `http://127.0.0.1:${port}/readyz`, 20_000, { ownPort: true });
      await expect(ready).rejects.toThrow(NotOurProcessError);
      await expect(ready).rejects.toThrow(
        `port ${port} answered, but it is held by pid ${process.pid} (${portHolder(port)!.command}), not by the gateway just started (pid ${proc.child.pid})`,
      );
    } finally {
      await stopProcess(proc);
      rmSync(logDir, { recursive: true, force: true });
    }
  });
});
