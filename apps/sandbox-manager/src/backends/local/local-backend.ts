// The local backend: each sandbox is an executor process on its own loopback port, under the
// isolation driver chosen at start-up, with cgroup limits where writable. An adaptive warm pool
// hands out ready processes, and acquisitions that find it empty wait in a bounded first-come
// queue for the next start (warm-pool.ts); a process that dies is forgotten and cleaned up at once,
// so the next request for its thread gets a fresh one. State is in memory because the processes
// die with the manager.
import { chmod, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { type PoolStatus } from '@foxhound/contracts';
import {
  GatewayTimeoutError,
  NotFoundError,
  ServiceUnavailableError,
  type Logger,
} from '@foxhound/service-kit';
import { isExpired } from '../../lifecycle/expiry';
import { type ManagerMetrics } from '../../observability/metrics';
import { Demand } from '../../pool/demand';
import { WaitQueue } from '../../pool/wait-queue';
import {
  type BackendCounts,
  type CreateResult,
  type CreateSpec,
  type ReleaseReason,
  type SandboxBackend,
  type SandboxView,
} from '../backend';
import { type Cgroups } from './cgroups';
import { isProcessAlive } from './host';
import { type IsolationDriver } from './isolation';
import { LocalSandbox, type LocalSandboxDeps, type SandboxHooks } from './local-sandbox';
import { PortAllocator } from './ports';
import { type ExitInfo, SandboxStartError, describeExit } from './sandbox-process';
import { WarmPool } from './warm-pool';

export interface LocalBackendOptions {
  namespace: string;
  driver: IsolationDriver;
  command: readonly string[];
  /** Warm sandboxes kept even when idle. */
  warmPoolSize: number;
  /** Most warm sandboxes kept idle; the pool grows toward it with demand and in a burst. */
  warmPoolMax: number;
  /** Sandbox starts in flight at once (the CPU budget). */
  startConcurrency: number;
  /** Acquisitions that may wait for a start (then 429), and how long each waits (then 503). */
  queueMax: number;
  queueWaitMs: number;
  readyTimeoutMs: number;
  memoryMb: number;
  cpuPercent: number;
  pidsMax: number;
  maxLifetimeSeconds: number;
  /** Parent of every manager's sandbox directories; this manager uses `<root>/<pid>-<random>/`. */
  root: string;
  /** Absent when cgroups are not writable (limits then rest on the heap cap and the lifetime cap). */
  cgroups?: Cgroups;
  runAs?: { uid: number; gid: number };
  hostEnv?: NodeJS.ProcessEnv;
  stopGraceMs?: number;
  logger: Logger;
  metrics: ManagerMetrics;
  now?: () => Date;
}

export class LocalBackend implements SandboxBackend {
  readonly name = 'local' as const;
  private readonly assigned = new Map<string, LocalSandbox>();
  private readonly byThread = new Map<string, LocalSandbox>();
  private readonly demand: Demand;
  private readonly warmPool: WarmPool;
  private readonly deps: LocalSandboxDeps;
  private readonly hooks: SandboxHooks;
  private closed = false;
  private readonly now: () => Date;

  constructor(private readonly options: LocalBackendOptions) {
    this.now = options.now ?? (() => new Date());
    this.deps = {
      driver: options.driver,
      command: options.command,
      root: path.join(options.root, `${process.pid}-${randomBytes(3).toString('hex')}`),
      ports: new PortAllocator(),
      cgroups: options.cgroups,
      limits: {
        memoryBytes: options.memoryMb * 1024 * 1024,
        cpuPercent: options.cpuPercent,
        pidsMax: options.pidsMax,
      },
      // Leave a quarter of the cgroup for code, buffers and the driver itself.
      heapMb: Math.max(32, Math.floor(options.memoryMb * 0.75)),
      runAs: options.runAs,
      hostEnv: options.hostEnv ?? process.env,
      maxLifetimeMs: options.maxLifetimeSeconds * 1000,
      stopGraceMs: options.stopGraceMs ?? 2000,
      logger: options.logger,
    };
    this.hooks = {
      onExit: (sandbox, info) => this.onUnexpectedExit(sandbox, info),
      onLifetimeEnd: (sandbox) => void this.retire(sandbox, 'lifetime'),
    };
    this.demand = new Demand({
      floor: options.warmPoolSize,
      ceiling: options.warmPoolMax,
      windowMs: DEMAND_WINDOW_MS,
      burstWaiting: BURST_WAITING,
    });
    const queue: WaitQueue<LocalSandbox> = new WaitQueue<LocalSandbox>({
      maxWaiting: options.queueMax,
      maxWaitMs: options.queueWaitMs,
      // Roughly when a start frees up for one more waiter.
      retryAfterSeconds: (): number =>
        this.demand.startSeconds() * (1 + queue.size / Math.max(1, options.startConcurrency)),
    });
    this.warmPool = new WarmPool({
      demand: this.demand,
      queue,
      concurrency: options.startConcurrency,
      launch: () => this.launchReady(),
      logger: options.logger,
    });
  }

  /** This manager's sandbox directory (for tests and the leak check). */
  get sandboxRoot(): string {
    return this.deps.root;
  }

  async start(): Promise<void> {
    await mkdir(this.options.root, { recursive: true, mode: 0o711 });
    if (this.options.runAs !== undefined) {
      // The sandbox user must be able to pass through to its own directory (it cannot list others).
      const { mode } = await stat(this.options.root);
      if ((mode & 0o001) === 0) {
        await chmod(this.options.root, (mode & 0o7777) | 0o001);
        this.options.logger.info(
          { root: this.options.root },
          'made LOCAL_SANDBOX_ROOT traversable for the sandbox user',
        );
      }
    }
    await mkdir(this.deps.root, { mode: 0o711 });
    const orphans = await this.sweepOrphans();
    if (orphans > 0) this.options.logger.warn({ orphans }, 'removed sandboxes left behind by a dead manager');
    this.warmPool.start();
  }

  checkReady(): void {
    if (this.closed) throw new Error('local backend is closed');
  }

  async findByThread(threadId: string): Promise<SandboxView | undefined> {
    const sandbox = this.byThread.get(threadId);
    if (sandbox?.assignment === undefined || !sandbox.running) return undefined;
    // Expired but not reaped yet: the thread gets a fresh sandbox, the reaper removes this one.
    if (isExpired(sandbox.assignment.expiresAt, this.now())) {
      await this.retire(sandbox, 'expired');
      return undefined;
    }
    return this.view(sandbox);
  }

  async get(sandboxId: string): Promise<SandboxView | undefined> {
    const sandbox = this.assigned.get(sandboxId);
    return sandbox?.running ? this.view(sandbox) : undefined;
  }

  async list(): Promise<SandboxView[]> {
    return [...this.assigned.values()].filter((s) => s.running).map((s) => this.view(s));
  }

  async create(spec: CreateSpec): Promise<CreateResult> {
    if (this.closed) throw new ServiceUnavailableError('The sandbox manager is shutting down.');
    const { sandbox, warm } = await this.warmPool.acquire();
    if (this.closed) {
      await sandbox.destroy();
      throw new ServiceUnavailableError('The sandbox manager is shutting down.');
    }
    sandbox.assignment = {
      threadId: spec.threadId,
      owner: spec.owner,
      ttlSeconds: spec.ttlSeconds,
      labels: spec.labels,
      expiresAt: earlier(spec.expiresAt, sandbox.hardLimit),
      warm,
    };
    this.assigned.set(sandbox.id, sandbox);
    this.byThread.set(spec.threadId, sandbox);
    return { view: this.view(sandbox), reused: false };
  }

  async renew(view: SandboxView, expiresAt: Date): Promise<SandboxView> {
    const sandbox = this.assigned.get(view.sandboxId);
    if (sandbox?.assignment === undefined) throw new NotFoundError(`Sandbox ${view.sandboxId} not found.`);
    sandbox.assignment.expiresAt = earlier(expiresAt, sandbox.hardLimit);
    return this.view(sandbox);
  }

  async release(sandboxId: string, reason: ReleaseReason): Promise<boolean> {
    const sandbox = this.assigned.get(sandboxId);
    if (sandbox === undefined) return false;
    await this.retire(sandbox, reason);
    return true;
  }

  async reap(now: Date): Promise<number> {
    const expired = [...this.assigned.values()].filter(
      (sandbox) => sandbox.assignment !== undefined && isExpired(sandbox.assignment.expiresAt, now),
    );
    await Promise.all(expired.map((sandbox) => this.retire(sandbox, 'expired')));
    return expired.length;
  }

  async pool(): Promise<PoolStatus> {
    const { ready, starting, queued, desired, mode } = this.warmPool.counts();
    return {
      backend: 'local',
      desired,
      ready,
      starting,
      active: this.assigned.size,
      isolation: this.options.driver,
      floor: this.demand.floor,
      ceiling: this.demand.ceiling,
      queued,
      mode,
      acquisitionsPerMinute: Math.round(this.demand.rate() * 60 * 10) / 10,
    };
  }

  count(owner?: string): number {
    let n = 0;
    for (const sandbox of this.assigned.values())
      if (owner === undefined || sandbox.assignment?.owner === owner) n += 1;
    return n;
  }

  counts(): BackendCounts {
    const { ready, starting, queued, desired, mode } = this.warmPool.counts();
    return { active: this.assigned.size, warm: ready, starting, queued, desired, burst: mode === 'burst' };
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.warmPool.close();
    await Promise.all([...this.assigned.values()].map((sandbox) => this.retire(sandbox, 'shutdown')));
    await this.options.cgroups?.close().catch((err: unknown) => {
      this.options.logger.error({ err }, 'could not remove the manager cgroup');
    });
    await rm(this.deps.root, { recursive: true, force: true });
  }

  /** Starts a sandbox and waits for /healthz; cleans up and throws a typed HTTP error on failure. */
  private async launchReady(): Promise<LocalSandbox> {
    const sandbox = await LocalSandbox.launch(this.deps, this.hooks);
    this.options.logger.info(
      { sandboxId: sandbox.id, port: sandbox.port, pid: sandbox.pid, isolation: this.options.driver },
      'sandbox process started',
    );
    try {
      await sandbox.ready(this.options.readyTimeoutMs);
      this.options.logger.info({ sandboxId: sandbox.id, port: sandbox.port }, 'sandbox process ready');
      return sandbox;
    } catch (err) {
      await sandbox.destroy();
      const timeout = err instanceof SandboxStartError && err.reason === 'timeout';
      this.options.metrics.failures.inc({ backend: this.name, reason: timeout ? 'timeout' : 'start' });
      const detail = `Sandbox ${sandbox.id} (${this.options.driver}) did not start: ${(err as Error).message}`;
      throw timeout
        ? new GatewayTimeoutError(detail, { cause: err })
        : new ServiceUnavailableError(detail, { cause: err });
    }
  }

  private onUnexpectedExit(sandbox: LocalSandbox, info: ExitInfo): void {
    const { assignment } = sandbox;
    this.options.logger.warn(
      {
        sandboxId: sandbox.id,
        threadId: assignment?.threadId,
        exit: describeExit(info),
        pooled: !assignment,
      },
      'sandbox process exited unexpectedly; releasing its resources',
    );
    this.options.metrics.failures.inc({ backend: this.name, reason: 'crash' });
    void this.retire(sandbox, 'crashed');
  }

  /** Forgets a sandbox (so its thread gets a fresh one next time) and releases everything it held. */
  private async retire(sandbox: LocalSandbox, reason: ReleaseReason): Promise<void> {
    const threadId = sandbox.assignment?.threadId;
    if (this.assigned.get(sandbox.id) === sandbox) this.assigned.delete(sandbox.id);
    if (threadId !== undefined && this.byThread.get(threadId) === sandbox) this.byThread.delete(threadId);
    this.warmPool.remove(sandbox);
    // Counted when decided, not when cleanup finishes: a reader that no longer finds it sees the count.
    if (reason === 'expired' || reason === 'lifetime') {
      this.options.metrics.reaped.inc({ backend: this.name, reason });
    }
    if (reason !== 'shutdown') {
      this.options.logger.info({ sandboxId: sandbox.id, threadId, reason }, 'sandbox released');
    }
    await sandbox.destroy();
  }

  /** Removes directories of managers that died without cleaning up (their cgroups: cgroups.ts). */
  private async sweepOrphans(): Promise<number> {
    let removed = (await this.options.cgroups?.sweepOrphans()) ?? 0;
    for (const entry of await readdir(this.options.root).catch(() => [] as string[])) {
      const pid = /^(\d+)-[0-9a-f]+$/.exec(entry)?.[1];
      if (pid === undefined || isProcessAlive(Number(pid))) continue;
      await rm(path.join(this.options.root, entry), { recursive: true, force: true });
      removed += 1;
    }
    return removed;
  }

  private view(sandbox: LocalSandbox): SandboxView {
    const assignment = sandbox.assignment;
    if (assignment === undefined) throw new Error(`sandbox ${sandbox.id} is not assigned`);
    return {
      sandboxId: sandbox.id,
      threadId: assignment.threadId,
      namespace: this.options.namespace,
      port: sandbox.port,
      podIP: '127.0.0.1',
      podName: sandbox.id,
      warm: assignment.warm,
      backend: 'local',
      owner: assignment.owner,
      createdAt: sandbox.createdAt.toISOString(),
      expiresAt: assignment.expiresAt.toISOString(),
      ttlSeconds: assignment.ttlSeconds,
    };
  }
}

/** How far back the acquisition rate looks, and how long burst mode outlasts the last queue. */
const DEMAND_WINDOW_MS = 60_000;
/** "Several cold starts queue": this many waiting acquisitions switch on burst mode. */
const BURST_WAITING = 2;

function earlier(a: Date, b: Date): Date {
  return a < b ? a : b;
}
