// What a local sandbox can leave behind, read straight from the host: processes (found by the
// SANDBOX_ID in their environment or a path under the test's sandbox root in their command line
// or working directory), sandbox directories, cgroups and listening ports.
import { readFile, readdir, readlink } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

export interface HostProcess {
  pid: number;
  cmdline: string;
}

/** Processes that belong to a sandbox in `sandboxIds`, or that mention `root` (runsc's gofer and sandbox). */
export async function sandboxProcesses(
  root: string,
  sandboxIds: Iterable<string> = [],
): Promise<HostProcess[]> {
  const ids = [...sandboxIds].map((id) => `SANDBOX_ID=${id}`);
  const found: HostProcess[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const dir = path.join('/proc', entry);
    const cmdline = (await readFile(path.join(dir, 'cmdline'), 'utf8').catch(() => '')).split('\0').join(' ');
    const environ = (await readFile(path.join(dir, 'environ'), 'utf8').catch(() => '')).split('\0');
    const cwd = await readlink(path.join(dir, 'cwd')).catch(() => '');
    if (cmdline.includes(root) || cwd.startsWith(root) || environ.some((v) => ids.includes(v))) {
      found.push({ pid: Number(entry), cmdline: cmdline.trim() });
    }
  }
  return found;
}

/** Host pids of one sandbox's processes (its environment carries SANDBOX_ID). */
export async function pidsOfSandbox(sandboxId: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const environ = await readFile(path.join('/proc', entry, 'environ'), 'utf8').catch(() => '');
    if (environ.split('\0').includes(`SANDBOX_ID=${sandboxId}`)) pids.push(Number(entry));
  }
  return pids;
}

/** Cgroup directories this test process's managers created (`foxhound-<pid>-*`), per controller. */
export async function managerCgroups(): Promise<string[]> {
  const self = await readFile('/proc/self/cgroup', 'utf8').catch(() => '');
  const found: string[] = [];
  for (const line of self.split('\n')) {
    const [, controllers = '', own = ''] = line.split(':');
    const controller = controllers.split(',').find((c) => ['memory', 'cpu', 'pids'].includes(c));
    const base =
      controller === undefined
        ? line.startsWith('0::')
          ? '/sys/fs/cgroup'
          : undefined
        : `/sys/fs/cgroup/${controller}`;
    if (base === undefined) continue;
    const parent = path.join(base, own);
    for (const entry of await readdir(parent).catch(() => [] as string[])) {
      if (entry.startsWith(`foxhound-${process.pid}-`)) found.push(path.join(parent, entry));
    }
  }
  return found;
}

/** Every entry below `dir` (recursively), for "nothing left" checks. */
export async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return entries.map((entry) => path.join(dir, entry.toString()));
}

export function portRefuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}
