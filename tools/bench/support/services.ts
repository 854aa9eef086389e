// What the gateway benchmarks stand on: a Foxhound service started from source as its own process
// (compiled as it loads, so slow to become ready on a loaded machine), and a sandbox-manager stand-in
// that hands every thread a "local" sandbox which is the benchmark's fake executor.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, startProcess, stopProcess, waitUntilReady, type ServiceProcess } from '@foxhound/stack';

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

export interface StandaloneGateway {
  url: string;
  /** Its embedded PGlite directory, readable once the gateway has stopped. */
  dataDir: string;
  /** Stops the gateway process (its store is then free to open). */
  stopGateway(): Promise<void>;
  /** Stops everything and removes the data directory. */
  close(): Promise<void>;
}

/**
 * A gateway on embedded PGlite in a temporary directory, with `adminKey` bootstrapped and a stub
 * that answers the manager's readiness (for routes that need no sandbox); ready when it returns.
 */
export async function startStandaloneGateway(
  adminKey: string,
  logDir: string,
  env: NodeJS.ProcessEnv = {},
): Promise<StandaloneGateway> {
  const manager = http.createServer((_req, res) => res.end('{}'));
  await new Promise<void>((resolve) => manager.listen(0, '127.0.0.1', resolve));
  const managerUrl = `http://127.0.0.1:${(manager.address() as AddressInfo).port}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), `foxhound-${logDir}-`));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const gateway = startFromSource(
    'gateway',
    'gateway',
    {
      PORT: String(port),
      SANDBOX_MANAGER_URL: managerUrl,
      SANDBOX_ROUTER_URL: managerUrl,
      GATEWAY_DATA_DIR: dataDir,
      GATEWAY_BOOTSTRAP_ADMIN_KEY: adminKey,
      GATEWAY_RATE_LIMIT_PER_MINUTE: '100000',
      ...env,
    },
    logDir,
  );
  const stopGateway = () => stopProcess(gateway);
  const close = async () => {
    await stopGateway();
    manager.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    // Started from source, the gateway compiles as it loads: slow on a loaded machine.
    await waitUntilReady(gateway, `${url}/readyz`, 180_000);
  } catch (err) {
    await close();
    throw err;
  }
  return { url, dataDir, stopGateway, close };
}
