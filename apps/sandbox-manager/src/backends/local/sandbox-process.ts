// One sandbox program as an OS process: spawned in its own process group through a tiny shell
// that first joins the sandbox's cgroups (so nothing it forks can start outside the limits), then
// execs the isolation driver. Owns readiness (/healthz), the output tail kept for error messages,
// and stopping (SIGTERM to the group, SIGKILL after a grace period).
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { type Logger } from '@foxhound/service-kit';
import { sleep } from './host';

/** Joins each cgroup given as `<count> <procs file>...`, then execs the rest of the argv. */
const JOIN_CGROUPS_SCRIPT =
  'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 97; shift; n=$((n-1)); done; exec "$@"';

const OUTPUT_TAIL_BYTES = 4096;

export interface SpawnSpec {
  sandboxId: string;
  /** The driver-wrapped command (isolation.ts). */
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  /** Drop to this uid/gid (when the manager runs as root). */
  uid?: number;
  gid?: number;
  /** cgroup.procs files to join before exec; empty when limits are unavailable. */
  cgroupProcsFiles: string[];
  logger: Logger;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Why a sandbox never became ready; `detail` ends with the program's last output. */
export class SandboxStartError extends Error {
  constructor(
    readonly reason: 'exited' | 'timeout' | 'spawn',
    detail: string,
  ) {
    super(detail);
    this.name = 'SandboxStartError';
  }
}

export class SandboxProcess {
  readonly exited: Promise<ExitInfo>;
  private exitInfo: ExitInfo | undefined;
  private tailText = '';

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => {
      const finish = (info: ExitInfo) => {
        if (this.exitInfo !== undefined) return;
        this.exitInfo = info;
        resolve(info);
      };
      child.once('exit', (code, signal) => finish({ code, signal }));
      child.once('error', (err) => {
        this.append(`spawn failed: ${err.message}\n`);
        finish({ code: null, signal: null });
      });
    });
  }

  static spawn(spec: SpawnSpec): SandboxProcess {
    const argv = ['-c', JOIN_CGROUPS_SCRIPT, 'foxhound-sandbox', String(spec.cgroupProcsFiles.length)];
    argv.push(...spec.cgroupProcsFiles, ...spec.argv);
    const child = spawn('/bin/sh', argv, {
      env: spec.env,
      cwd: spec.cwd,
      uid: spec.uid,
      gid: spec.gid,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const sandboxProcess = new SandboxProcess(child);
    const log = spec.logger.child({ sandboxId: spec.sandboxId });
    const onOutput = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      sandboxProcess.append(text);
      log.debug({ stream, output: text.slice(0, 2000) }, 'sandbox output');
    };
    child.stdout?.on('data', onOutput('stdout'));
    child.stderr?.on('data', onOutput('stderr'));
    return sandboxProcess;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /** The last few KiB the program wrote, for error messages. */
  get outputTail(): string {
    return this.tailText.trim();
  }

  /** Resolves once GET /healthz answers 200; rejects when the program exits or `timeoutMs` passes. */
  async waitHealthy(port: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let delay = 2;
    while (this.running) {
      if (await healthz(port)) return;
      if (Date.now() >= deadline) {
        throw new SandboxStartError(
          'timeout',
          `no answer on /healthz within ${Math.round(timeoutMs / 1000)} s${this.describeOutput()}`,
        );
      }
      // A refused connect on loopback costs microseconds: poll often, so readiness is seen early.
      await Promise.race([sleep(delay), this.exited]);
      delay = Math.min(10, delay + 1);
    }
    const info = this.exitInfo ?? { code: null, signal: null };
    throw new SandboxStartError(
      this.child.pid === undefined ? 'spawn' : 'exited',
      `exited (${describeExit(info)}) before /healthz answered${this.describeOutput()}`,
    );
  }

  /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves once the process has exited. */
  async stop(graceMs: number): Promise<ExitInfo> {
    if (!this.running) return this.exited;
    this.signalGroup('SIGTERM');
    const timer = setTimeout(() => this.signalGroup('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends `signal` to the process group; the group leader's pid is the group id (detached spawn). */
  signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined || !this.running) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is already gone.
    }
  }

  private append(text: string): void {
    this.tailText = (this.tailText + text).slice(-OUTPUT_TAIL_BYTES);
  }

  private describeOutput(): string {
    const tail = this.outputTail;
    return tail === '' ? '' : `; last output: ${tail.slice(-1000)}`;
  }
}

export function describeExit(info: ExitInfo): string {
  return info.signal !== null ? `signal ${info.signal}` : `exit code ${info.code ?? 'unknown'}`;
}

function healthz(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: '/healthz', agent: false, timeout: 1000 },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
  });
}
