// The pieces the sandbox-acquire benchmark drives: a real sandbox-manager process (apps/sandbox-
// manager/src/main.ts through ts-run), JSON calls to it, a bare spawn of the sandbox program (the
// baseline), and percentile arithmetic.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const ROOT = path.resolve(__dirname, '../../..');
const TS_RUN = path.join(ROOT, 'tools/ts-run.cjs');
const MANAGER_MAIN = path.join(ROOT, 'apps/sandbox-manager/src/main.ts');
export const PROBE_SERVER = path.join(ROOT, 'apps/sandbox-manager/sandbox-programs/probe-server.js');
/** The executor as the image and the local backend run it (`npx nx run @foxhound/executor:build`). */
export const EXECUTOR_DIST = path.join(ROOT, 'apps/executor/dist');

/** The executor's own bundling step (apps/executor/scripts/build.cjs), for the before/after rows. */
export const { bundleExecutor } = createRequire(__filename)(
  path.join(ROOT, 'apps/executor/scripts/build.cjs'),
) as { bundleExecutor: (dir: string, options: { npmExternal: boolean }) => Promise<void> };

export interface Manager {
  url: string;
  stop(): Promise<void>;
}

/** Starts a manager with `env` and resolves once it logs that it listens. */
export function startManager(env: Record<string, string>): Promise<Manager> {
  const child = spawn(process.execPath, ['--conditions=@foxhound/source', '-r', TS_RUN, MANAGER_MAIN], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const failed = (code: number | null) =>
      reject(new Error(`the manager exited early (${code}); env ${JSON.stringify(env)}`));
    child.once('exit', failed);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: { msg?: string; url?: string; level?: string };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        return;
      }
      if (entry.level === 'error') process.stderr.write(`  manager: ${line}\n`);
      if (entry.msg === 'sandbox-manager listening' && entry.url) {
        child.off('exit', failed);
        resolve({ url: entry.url, stop: () => stopChild(child) });
      }
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export async function call<T>(
  url: string,
  method: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Milliseconds `work` takes. */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

export async function until(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Baseline: spawn the sandbox program bare (no manager, no isolation) and time it to /healthz 200. */
export function bareSpawnMs(): Promise<number> {
  return spawnToHealthzMs([PROBE_SERVER]);
}

/**
 * Spawns `node <args>` with `env` (no manager, no isolation), times it to its first /healthz 200,
 * and, when `measure` is given, hands it the process before stopping it.
 */
export async function spawnToHealthzMs(
  args: string[],
  env: Record<string, string> = {},
  measure?: (pid: number) => Promise<void>,
): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: 'ignore',
  });
  try {
    while (!(await healthz(port))) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited ${child.exitCode}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const ms = performance.now() - started;
    if (measure !== undefined && child.pid !== undefined) await measure(child.pid);
    return ms;
  } finally {
    await stopChild(child);
  }
}

/** Resident memory of `pid` and its descendants in MiB: proportional set size, so shared pages count once. */
export async function treePssMiB(pid: number): Promise<number> {
  let kib = 0;
  for (const each of [pid, ...(await descendants(pid))]) {
    const rollup = await readFile(`/proc/${each}/smaps_rollup`, 'utf8').catch(() => '');
    kib += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
  }
  return kib / 1024;
}

async function descendants(pid: number): Promise<number[]> {
  const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => ''))
    .split(' ')
    .filter(Boolean)
    .map(Number);
  const below = await Promise.all(children.map(descendants));
  return [...children, ...below.flat()];
}

function healthz(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    http
      .get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      })
      .once('error', () => resolve(false));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}
