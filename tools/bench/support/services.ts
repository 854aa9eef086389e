// What the gateway benchmarks stand on: a Foxhound service started from source as its own process
// (compiled as it loads, so slow to become ready on a loaded machine), and a sandbox-manager stand-in
// that hands every thread a "local" sandbox which is the benchmark's fake executor.
import http from 'node:http';
import path from 'node:path';
import { startProcess, type ServiceProcess } from '@foxhound/stack';

const root = path.resolve(__dirname, '../../..');

/** `apps/<app>/src/main.ts` on 127.0.0.1 with `env` (PORT among it); logs under `.foxhound/<logDir>`. */
export function startFromSource(
  app: 'gateway' | 'sandbox-router' | 'sandbox-manager',
  name: string,
  env: NodeJS.ProcessEnv,
  logDir: string,
): ServiceProcess {
  return startProcess({
    name,
    command: process.execPath,
    args: [
      '--conditions=@foxhound/source',
      '-r',
      path.join(root, 'tools/ts-run.cjs'),
      path.join(root, 'apps', app, 'src/main.ts'),
    ],
    env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env },
    cwd: root,
    logDir: path.join(root, '.foxhound', logDir),
  });
}

/** The manager: every thread gets a "local" sandbox that is the fake executor on `executorPort`. */
export function fakeSandboxManager(executorPort: number): http.Server {
  let n = 0;
  return http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    const descriptor = (id: string) => ({
      sandboxId: id,
      threadId: 't',
      namespace: 'local',
      port: executorPort,
      podIP: '127.0.0.1',
      reused: false,
      backend: 'local',
      createdAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    });
    if (req.url === '/readyz') return res.end('{}');
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST') return res.end(JSON.stringify(descriptor(`sbx-${++n}`)));
      if (req.method === 'DELETE') return res.end('{}');
      res.end(JSON.stringify(descriptor(decodeURIComponent((req.url ?? '').split('/').pop() ?? ''))));
    });
  });
}
