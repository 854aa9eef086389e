// One local sandbox and everything it holds: a port, a private directory (scratch and, for
// gVisor, runsc's state), a cgroup, the process, and a lifetime timer. `launch` acquires them in
// order and gives back what it took when a step fails; `destroy` releases all of it, once.
import { randomBytes } from 'node:crypto';
import { chown, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { type Logger } from '@foxhound/service-kit';
import { type CgroupLimits, type Cgroups, type SandboxCgroup } from './cgroups';
import { type IsolationDriver, wrapCommand } from './isolation';
import { type PortAllocator } from './ports';
import { sandboxEnv } from './sandbox-env';
import { type ExitInfo, SandboxProcess } from './sandbox-process';

export interface LocalSandboxDeps {
  driver: IsolationDriver;
  command: readonly string[];
  /** This manager's directory; each sandbox gets `<root>/<id>/`. */
  root: string;
  ports: PortAllocator;
  /** Absent when cgroups are not writable here. */
  cgroups?: Cgroups;
  limits: CgroupLimits;
  heapMb: number;
  /** Unprivileged identity for sandboxes when the manager runs as root. */
  runAs?: { uid: number; gid: number };
  hostEnv: NodeJS.ProcessEnv;
  maxLifetimeMs: number;
  stopGraceMs: number;
  logger: Logger;
}

export interface Assignment {
  threadId: string;
  owner: string;
  ttlSeconds: number;
  labels: Record<string, string>;
  expiresAt: Date;
  /** Came ready from the warm pool. */
  warm: boolean;
}

export interface SandboxHooks {
  /** The process exited without being asked to. */
  onExit(sandbox: LocalSandbox, info: ExitInfo): void;
  /** LOCAL_MAX_LIFETIME_SECONDS passed. */
  onLifetimeEnd(sandbox: LocalSandbox): void;
}

export class LocalSandbox {
  assignment: Assignment | undefined;
  private destroyed: Promise<void> | undefined;
  private readonly lifetimeTimer: NodeJS.Timeout;

  private constructor(
    readonly id: string,
    readonly port: number,
    readonly dir: string,
    readonly createdAt: Date,
    readonly hardLimit: Date,
    private readonly sandboxProcess: SandboxProcess,
    private readonly cgroup: SandboxCgroup | undefined,
    private readonly deps: LocalSandboxDeps,
    hooks: SandboxHooks,
  ) {
    this.lifetimeTimer = setTimeout(() => hooks.onLifetimeEnd(this), deps.maxLifetimeMs);
    this.lifetimeTimer.unref();
    void sandboxProcess.exited.then((info) => {
      if (this.destroyed === undefined) hooks.onExit(this, info);
    });
  }

  static async launch(deps: LocalSandboxDeps, hooks: SandboxHooks): Promise<LocalSandbox> {
    const id = `fh-local-${randomBytes(5).toString('hex')}`;
    const dir = path.join(deps.root, id);
    const scratchDir = path.join(dir, 'scratch');
    const cleanups: Array<() => Promise<unknown> | void> = [];
    try {
      await mkdir(scratchDir, { recursive: true, mode: 0o700 });
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      let runscTmp: string | undefined;
      if (deps.driver === 'gvisor') {
        runscTmp = path.join(dir, 'runsc');
        await mkdir(runscTmp, { mode: 0o700 });
      }
      if (deps.runAs !== undefined) {
        for (const owned of [dir, scratchDir, runscTmp]) {
          if (owned !== undefined) await chown(owned, deps.runAs.uid, deps.runAs.gid);
        }
      }
      const port = await deps.ports.allocate();
      cleanups.push(() => deps.ports.release(port));
      const cgroup = await deps.cgroups?.create(id, deps.limits, deps.runAs);
      if (cgroup !== undefined) cleanups.push(() => cgroup.destroy());
      const sandboxProcess = SandboxProcess.spawn({
        sandboxId: id,
        argv: wrapCommand(deps.driver, deps.command, { scratchDir, network: 'host' }),
        env: sandboxEnv(deps.hostEnv, {
          sandboxId: id,
          port,
          scratchDir,
          heapMb: deps.heapMb,
          tmpDir: runscTmp,
        }),
        cwd: scratchDir,
        uid: deps.runAs?.uid,
        gid: deps.runAs?.gid,
        cgroupProcsFiles: cgroup?.procsFiles ?? [],
        logger: deps.logger,
      });
      const createdAt = new Date();
      const hardLimit = new Date(createdAt.getTime() + deps.maxLifetimeMs);
      return new LocalSandbox(id, port, dir, createdAt, hardLimit, sandboxProcess, cgroup, deps, hooks);
    } catch (err) {
      for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
      throw err;
    }
  }

  get running(): boolean {
    return this.sandboxProcess.running && this.destroyed === undefined;
  }

  get pid(): number | undefined {
    return this.sandboxProcess.pid;
  }

  /** Resolves once the program answers /healthz; rejects with a SandboxStartError otherwise. */
  ready(timeoutMs: number): Promise<void> {
    return this.sandboxProcess.waitHealthy(this.port, timeoutMs);
  }

  /** Stops the process and releases the cgroup, the directory and the port. Idempotent. */
  destroy(): Promise<void> {
    this.destroyed ??= (async () => {
      clearTimeout(this.lifetimeTimer);
      // Each step runs even if an earlier one failed, so one stuck resource does not leak the rest.
      const steps: Array<[string, () => Promise<unknown>]> = [
        ['stop process', () => this.sandboxProcess.stop(this.deps.stopGraceMs)],
        // The group may still hold processes that left the process group (new sessions, daemons).
        ['remove cgroup', async () => this.cgroup?.destroy()],
        ['remove directory', () => rm(this.dir, { recursive: true, force: true, maxRetries: 3 })],
      ];
      for (const [step, run] of steps) {
        await run().catch((err: unknown) =>
          this.deps.logger.error({ err, sandboxId: this.id, step }, 'sandbox cleanup step failed'),
        );
      }
      this.deps.ports.release(this.port);
    })();
    return this.destroyed;
  }
}
