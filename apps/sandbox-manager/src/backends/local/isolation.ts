// Isolation drivers for local sandboxes: the command line that wraps a sandbox program, and the
// start-up probe that decides which drivers work on this machine. Resource limits are not here
// (cgroups.ts); neither is the process lifecycle (sandbox-process.ts).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export type IsolationDriver = 'gvisor' | 'bwrap' | 'none';
export type IsolationSetting = IsolationDriver | 'auto';

/** Strongest first: `auto` takes the first that works. */
export const DRIVER_PREFERENCE: readonly IsolationDriver[] = ['gvisor', 'bwrap', 'none'];

export interface WrapOptions {
  /** The sandbox's one writable directory; also its working directory. */
  scratchDir: string;
  /**
   * `host`: the sandbox shares the host network, so it can listen on 127.0.0.1 (how it is served).
   * `none`: no network at all (bwrap's default; used by one-shot checks).
   */
  network: 'host' | 'none';
}

/**
 * Where the sandbox program lives when bwrap's private /tmp would hide it (a checkout under /tmp):
 * for each absolute argument under /tmp, the outermost directory above it that has a package.json
 * (so node_modules resolve too), or else its own directory. These are bound back read-only.
 */
export function programRootsUnderTmp(command: readonly string[]): string[] {
  const roots = new Set<string>();
  for (const arg of command) {
    if (!arg.startsWith('/tmp/')) continue;
    let root = path.dirname(arg);
    for (let dir = root; dir !== '/tmp' && dir !== '/'; dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, 'package.json'))) root = dir;
    }
    roots.add(root);
  }
  return [...roots];
}

/** Returns the argv that runs `command` under `driver`. */
export function wrapCommand(
  driver: IsolationDriver,
  command: readonly string[],
  options: WrapOptions,
): string[] {
  const { scratchDir, network } = options;
  switch (driver) {
    case 'none':
      return [...command];
    case 'bwrap':
      // Read-only host root, private /tmp and /dev, own pid/ipc/uts/user/cgroup namespaces,
      // no capabilities; only the scratch directory is writable. --die-with-parent ties the
      // sandbox to bwrap, so killing bwrap kills everything inside.
      return [
        'bwrap',
        '--ro-bind', '/', '/',
        '--dev', '/dev',
        '--proc', '/proc',
        '--tmpfs', '/tmp',
        ...programRootsUnderTmp(command).flatMap((root) => ['--ro-bind', root, root]),
        '--bind', scratchDir, scratchDir,
        '--unshare-all',
        ...(network === 'host' ? ['--share-net'] : []),
        '--die-with-parent',
        '--new-session',
        '--cap-drop', 'ALL',
        '--hostname', 'foxhound-sandbox',
        '--chdir', scratchDir,
        '--',
        ...command,
      ]; // prettier-ignore
    case 'gvisor':
      // `runsc do`: the host root read-only under a private in-memory overlay, so writes (the
      // scratch directory included) never reach the host. `--rootless --network=host` is the
      // variant whose listener is reachable on 127.0.0.1; --ignore-cgroups keeps the sandbox in
      // the cgroup the manager put it in (without it runsc moves itself out of the limits).
      return [
        'runsc',
        '--rootless',
        `--network=${network === 'host' ? 'host' : 'none'}`,
        '--ignore-cgroups',
        'do',
        '--cwd', scratchDir,
        '--',
        ...command,
      ]; // prettier-ignore
  }
}

export interface DriverProbeResult {
  driver: IsolationDriver;
  works: boolean;
  /** Why it does not work (the command's stderr or the spawn error). */
  reason?: string;
}

export interface ProbeOptions {
  /** Run the probe as this uid/gid (what sandboxes will run as). */
  uid?: number;
  gid?: number;
  timeoutMs?: number;
}

/** Runs `/bin/true` under `driver` once, as the sandboxes will run. */
export async function probeDriver(
  driver: IsolationDriver,
  options: ProbeOptions = {},
): Promise<DriverProbeResult> {
  if (driver === 'none') return { driver, works: true };
  const dir = await mkdtemp(path.join(tmpdir(), `foxhound-probe-${driver}-`));
  try {
    if (options.uid !== undefined) await chown(dir, options.uid, options.gid ?? options.uid);
    const argv = wrapCommand(driver, ['/bin/true'], { scratchDir: dir, network: 'none' });
    const outcome = await runOnce(argv, {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, TMPDIR: dir },
      uid: options.uid,
      gid: options.gid,
      timeoutMs: options.timeoutMs ?? 15_000,
    });
    return outcome.code === 0
      ? { driver, works: true }
      : { driver, works: false, reason: outcome.error ?? `exit ${outcome.code}: ${outcome.stderr.trim()}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface RunOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
  error?: string;
}

/** Runs a short command to completion with a deadline; output is capped at 64 KiB per stream. */
export function runOnce(
  argv: readonly string[],
  options: { env: Record<string, string>; uid?: number; gid?: number; timeoutMs: number; cwd?: string },
): Promise<RunOutcome> {
  return new Promise((resolve) => {
    const [file = '', ...args] = argv;
    const child = spawn(file, args, {
      env: options.env,
      cwd: options.cwd,
      uid: options.uid,
      gid: options.gid,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    const cap = 64 * 1024;
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdout.length < cap) stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < cap) stderr += chunk.toString('utf8');
    });
    child.once('error', (err) => resolve({ code: null, stdout, stderr, error: err.message }));
    child.once('close', (code, signal) =>
      resolve({ code, stdout, stderr, ...(signal ? { error: `killed by ${signal}` } : {}) }),
    );
  });
}

/**
 * Resolves the configured setting to a driver: `auto` takes the strongest that works; an explicit
 * driver that does not work is an error naming why (never a silent downgrade).
 */
export async function resolveIsolation(
  setting: IsolationSetting,
  probe: (driver: IsolationDriver) => Promise<DriverProbeResult>,
): Promise<{ driver: IsolationDriver; rejected: DriverProbeResult[] }> {
  if (setting !== 'auto') {
    const result = await probe(setting);
    if (!result.works) {
      throw new Error(
        `LOCAL_ISOLATION=${setting} does not work on this machine: ${result.reason ?? 'unknown'}`,
      );
    }
    return { driver: setting, rejected: [] };
  }
  const rejected: DriverProbeResult[] = [];
  for (const driver of DRIVER_PREFERENCE) {
    const result = await probe(driver);
    if (result.works) return { driver, rejected };
    rejected.push(result);
  }
  return { driver: 'none', rejected };
}
