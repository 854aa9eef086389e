// Child processes of the local stack: each service runs in its own process group so stopping it also
// stops what it started (the sandbox-manager's executor processes); output goes to a log file per
// service; readiness is an HTTP probe with a deadline.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { portHolder } from './ports';

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<number | NodeJS.Signals | null>;
}

export function startProcess(options: {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  logDir: string;
}): ServiceProcess {
  mkdirSync(options.logDir, { recursive: true });
  const logFile = path.join(options.logDir, `${options.name}.log`);
  const log = createWriteStream(logFile, { flags: 'w' });
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => {
    child.once('exit', (code, signal) => {
      log.end();
      resolve(code ?? signal);
    });
    child.once('error', () => resolve(null));
  });
  return { name: options.name, child, logFile, exited };
}

/** SIGTERM to the process group, SIGKILL after `graceMs`; resolves when the leader has exited. */
export async function stopProcess(proc: ServiceProcess, graceMs = 10_000): Promise<void> {
  const pid = proc.child.pid;
  if (pid === undefined || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  };
  signalGroup('SIGTERM');
  const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(timer);
  // Whatever the leader left behind in its group goes too.
  signalGroup('SIGKILL');
}

/** The port answered, but another process holds it. */
export class NotOurProcessError extends Error {
  override readonly name = 'NotOurProcessError';
}

/**
 * Polls `url` until it answers 200, the process exits, or the deadline passes. With `ownPort`, a 200
 * counts only when the port is held by `proc` itself (from /proc), so another process answering on a
 * port that was free a moment ago is reported instead of being mistaken for the service.
 */
export async function waitUntilReady(
  proc: ServiceProcess,
  url: string,
  deadlineMs = 60_000,
  options: { ownPort?: boolean } = {},
): Promise<void> {
  const until = Date.now() + deadlineMs;
  let exited = false;
  void proc.exited.then(() => (exited = true));
  let last = 'no answer yet';
  while (Date.now() < until) {
    if (exited) throw new Error(`${proc.name} exited before it was ready; see ${proc.logFile}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok && options.ownPort) {
        const port = Number(new URL(url).port);
        const holder = portHolder(port);
        if (holder?.pid === proc.child.pid) return;
        throw new NotOurProcessError(
          `port ${port} answered, but it is held by ${holder ? `pid ${holder.pid} (${holder.command})` : 'a process this user cannot see'}, not by the ${proc.name} just started (pid ${proc.child.pid}); see ${proc.logFile}`,
        );
      }
      if (response.ok) return;
      last = `HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`;
    } catch (err) {
      if (err instanceof NotOurProcessError) throw err;
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `${proc.name} was not ready at ${url} within ${deadlineMs / 1000} s (${last}); see ${proc.logFile}`,
  );
}

/** A port free right now on 127.0.0.1 (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
