// Memory, CPU and pids limits for local sandboxes through cgroups, where this process may write
// them. Each manager gets a parent group `foxhound-<pid>-<random>` below its own cgroup (never an absolute
// path that escapes it), each sandbox a child group. A group is also the reliable way to find and
// kill every process a sandbox started, whatever sessions or process groups they made.
import { chown, mkdir, readFile, readdir, rmdir, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { isProcessAlive, sleep } from './host';

export interface CgroupLimits {
  memoryBytes: number;
  /** Percent of one CPU (200 = two CPUs). */
  cpuPercent: number;
  pidsMax: number;
}

const CPU_PERIOD_US = 100_000;
const V1_CONTROLLERS = ['memory', 'cpu', 'pids'] as const;

export type CgroupSupport =
  { available: true; version: 1 | 2; parents: string[] } | { available: false; reason: string };

/** One sandbox's groups (one per controller on v1, one on v2). */
export class SandboxCgroup {
  constructor(readonly dirs: string[]) {}

  /** The files a process writes its pid into to join every group. */
  get procsFiles(): string[] {
    return this.dirs.map((dir) => path.join(dir, 'cgroup.procs'));
  }

  async pids(): Promise<number[]> {
    const found = new Set<number>();
    for (const file of this.procsFiles) {
      const text = await readFile(file, 'utf8').catch(() => '');
      for (const line of text.split('\n')) if (line.trim() !== '') found.add(Number(line));
    }
    return [...found];
  }

  /** SIGKILLs every process in the group until it is empty (bounded), then removes the groups. */
  async destroy(): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const pids = await this.pids();
      if (pids.length === 0) break;
      for (const pid of pids) killQuietly(pid);
      await sleep(10);
    }
    for (const dir of this.dirs) await removeGroup(dir);
  }
}

export class Cgroups {
  private constructor(
    private readonly support: Extract<CgroupSupport, { available: true }>,
    readonly managerGroup: string,
  ) {}

  /**
   * Detects whether limits can be enforced and creates this manager's parent groups. Returns the
   * reason when they cannot (not root, read-only cgroupfs, v2 without delegated controllers).
   */
  static async open(root = '/sys/fs/cgroup', managerGroup = managerGroupName()): Promise<Cgroups | string> {
    const support = await detect(root, managerGroup);
    if (!support.available) return support.reason;
    return new Cgroups(support, managerGroup);
  }

  get version(): 1 | 2 {
    return this.support.version;
  }

  /** Creates a sandbox's groups with `limits`; `owner` may then join them without privileges. */
  async create(
    name: string,
    limits: CgroupLimits,
    owner?: { uid: number; gid: number },
  ): Promise<SandboxCgroup> {
    const dirs = this.support.parents.map((parent) => path.join(parent, name));
    const group = new SandboxCgroup(dirs);
    try {
      for (const dir of dirs) await mkdir(dir);
      if (this.support.version === 1) {
        const [memory, cpu, pids] = dirs as [string, string, string];
        await writeFile(path.join(memory, 'memory.limit_in_bytes'), String(limits.memoryBytes));
        await writeFile(path.join(cpu, 'cpu.cfs_period_us'), String(CPU_PERIOD_US));
        await writeFile(path.join(cpu, 'cpu.cfs_quota_us'), String(cpuQuota(limits.cpuPercent)));
        await writeFile(path.join(pids, 'pids.max'), String(limits.pidsMax));
      } else {
        const [dir] = dirs as [string];
        await writeFile(path.join(dir, 'memory.max'), String(limits.memoryBytes));
        await writeFile(path.join(dir, 'memory.swap.max'), '0').catch(() => undefined);
        await writeFile(path.join(dir, 'cpu.max'), `${cpuQuota(limits.cpuPercent)} ${CPU_PERIOD_US}`);
        await writeFile(path.join(dir, 'pids.max'), String(limits.pidsMax));
      }
      if (owner !== undefined) {
        for (const file of group.procsFiles) await chown(file, owner.uid, owner.gid);
      }
      return group;
    } catch (err) {
      await group.destroy();
      throw new Error(`create cgroup ${name}`, { cause: err });
    }
  }

  /** Removes this manager's parent groups once its sandboxes are gone. */
  async close(): Promise<void> {
    for (const parent of this.support.parents) await removeGroup(parent);
  }

  /**
   * Kills what managers that died without cleaning up left behind: sibling `foxhound-<pid>-*`
   * groups whose pid is gone. Returns the number of sandbox groups removed.
   */
  async sweepOrphans(): Promise<number> {
    let removed = 0;
    for (const parent of this.support.parents) {
      const siblings = await readdir(path.dirname(parent)).catch(() => [] as string[]);
      for (const sibling of siblings) {
        const pid = /^foxhound-(\d+)-[a-z0-9]+$/.exec(sibling)?.[1];
        if (pid === undefined || isProcessAlive(Number(pid))) continue;
        const orphanParent = path.join(path.dirname(parent), sibling);
        for (const child of await readdir(orphanParent, { withFileTypes: true }).catch(() => [])) {
          if (!child.isDirectory()) continue;
          await new SandboxCgroup([path.join(orphanParent, child.name)]).destroy();
          removed += 1;
        }
        await removeGroup(orphanParent);
      }
    }
    return removed;
  }
}

/** Unique per backend instance: several managers (tests) may share one process. */
export function managerGroupName(): string {
  return `foxhound-${process.pid}-${randomBytes(4).toString('hex')}`;
}

function cpuQuota(percent: number): number {
  return Math.max(1000, Math.round((CPU_PERIOD_US * percent) / 100));
}

async function detect(root: string, managerGroup: string): Promise<CgroupSupport> {
  const self = await readFile('/proc/self/cgroup', 'utf8').catch(() => '');
  const lines = self.split('\n').filter((line) => line !== '');
  const unified = await readFile(path.join(root, 'cgroup.controllers'), 'utf8').catch(() => undefined);
  try {
    if (unified !== undefined) return await detectV2(root, lines, unified, managerGroup);
    return await detectV1(root, lines, managerGroup);
  } catch (err) {
    return { available: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

async function detectV1(root: string, lines: string[], managerGroup: string): Promise<CgroupSupport> {
  const parents: string[] = [];
  for (const controller of V1_CONTROLLERS) {
    const line = lines.find((l) => l.split(':')[1]?.split(',').includes(controller));
    if (line === undefined)
      return { available: false, reason: `cgroup v1 controller ${controller} not found` };
    const own = line.split(':').slice(2).join(':');
    const parent = path.join(root, controller, own, managerGroup);
    await mkdir(parent, { recursive: true });
    parents.push(parent);
  }
  return { available: true, version: 1, parents };
}

async function detectV2(
  root: string,
  lines: string[],
  controllers: string,
  managerGroup: string,
): Promise<CgroupSupport> {
  const own = lines.find((l) => l.startsWith('0::'))?.slice(3) ?? '/';
  const missing = ['memory', 'cpu', 'pids'].filter((c) => !controllers.split(/\s+/).includes(c));
  if (missing.length > 0)
    return { available: false, reason: `cgroup v2 lacks controllers: ${missing.join(', ')}` };
  const ownDir = path.join(root, own);
  const parent = path.join(ownDir, managerGroup);
  // Delegating controllers to children fails (EBUSY) when our own group holds processes and is not
  // the root; that is the "no internal processes" rule, and then limits are unavailable.
  await writeFile(path.join(ownDir, 'cgroup.subtree_control'), '+memory +cpu +pids');
  await mkdir(parent, { recursive: true });
  await writeFile(path.join(parent, 'cgroup.subtree_control'), '+memory +cpu +pids');
  return { available: true, version: 2, parents: [parent] };
}

async function removeGroup(dir: string): Promise<void> {
  // rmdir of a group can fail with EBUSY for a moment after its last process exits.
  for (let attempt = 0; attempt < 50; attempt += 1) {
    try {
      await rmdir(dir);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'EBUSY' || attempt === 49) throw new Error(`remove cgroup ${dir}`, { cause: err });
      await sleep(20);
    }
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone between reading cgroup.procs and the kill.
  }
}
