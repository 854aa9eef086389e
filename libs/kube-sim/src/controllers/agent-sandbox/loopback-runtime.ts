// A PodRuntime that runs each sandbox pod as a real local process on its own loopback address
// (127.0.0.2 … 127.0.0.254, all routed to `lo` on Linux), so every pod can listen on the same port
// (8888) and a router can reach "pod IPs" for real. Ready means GET /healthz answered 200, as the
// template's readiness probe would; deletion stops the process (SIGTERM, then SIGKILL).
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { type StoredObject } from '../../types';
import { type PodRuntime } from './pod-runtime';

export interface LoopbackProcessRuntimeOptions {
  /** The program; it gets HOST (its 127.0.0.N), PORT, POD_NAME, POD_NAMESPACE in its environment. */
  command: string[];
  port?: number;
  /** Extra environment (PATH is passed through). */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
  stopGraceMs?: number;
}

const FIRST_HOST = 2;
const LAST_HOST = 254;

export function loopbackProcessRuntime(options: LoopbackProcessRuntimeOptions): PodRuntime {
  const port = options.port ?? 8888;
  const used = new Set<number>();
  const processes = new Map<string, { child: ChildProcess; host: number }>();

  const stopOne = async (uid: string) => {
    const entry = processes.get(uid);
    if (entry === undefined) return;
    processes.delete(uid);
    await terminate(entry.child, options.stopGraceMs ?? 2000);
    used.delete(entry.host);
  };

  return {
    async start(pod: StoredObject, signal: AbortSignal) {
      let host = FIRST_HOST;
      while (used.has(host) && host <= LAST_HOST) host += 1;
      if (host > LAST_HOST) throw new Error('no free loopback address for another sandbox pod');
      used.add(host);
      const podIP = `127.0.0.${host}`;
      const [file = '', ...args] = options.command;
      const child = spawn(file, args, {
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          ...options.env,
          HOST: podIP,
          PORT: String(port),
          POD_NAME: pod.metadata.name,
          POD_NAMESPACE: pod.metadata.namespace ?? '',
        },
        stdio: 'ignore',
      });
      processes.set(pod.metadata.uid, { child, host });
      let spawnError: Error | undefined;
      const exited = new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.once('error', (err) => {
          spawnError = err;
          resolve();
        });
      });
      const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
      try {
        while (
          !signal.aborted &&
          spawnError === undefined &&
          child.exitCode === null &&
          child.signalCode === null
        ) {
          if (await healthy(podIP, port)) return { podIP };
          if (Date.now() > deadline) throw new Error(`no answer on ${podIP}:${port}/healthz in time`);
          await Promise.race([new Promise((resolve) => setTimeout(resolve, 10)), exited]);
        }
        if (signal.aborted) throw new Error('pod deleted');
        throw new Error(
          spawnError !== undefined
            ? `container could not start: ${spawnError.message}`
            : `container exited with ${child.exitCode ?? child.signalCode}`,
        );
      } catch (err) {
        await stopOne(pod.metadata.uid);
        throw err;
      }
    },
    stop: (pod) => stopOne(pod.metadata.uid),
    async close() {
      await Promise.all([...processes.keys()].map(stopOne));
    },
  };
}

function healthy(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host, port, path: '/healthz', agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
  });
}

function terminate(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
