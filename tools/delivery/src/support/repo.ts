// Paths in the repository and a checked way to run the external tools the delivery checks need
// (helm, yamllint, shellcheck, bash, git): a missing tool fails with the command that installs it.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../../../..');
export const chartDir = path.join(repoRoot, 'charts/foxhound');
export const toolsDir = path.join(repoRoot, '.tools');

export const fromRoot = (...parts: string[]): string => path.join(repoRoot, ...parts);

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

const installHints: Record<string, string> = {
  yamllint: 'apt-get install -y --no-install-recommends yamllint',
  shellcheck: 'apt-get install -y --no-install-recommends shellcheck',
  unzip: 'apt-get install -y --no-install-recommends unzip',
  git: 'apt-get install -y --no-install-recommends git',
};

/** Runs a program to completion. Throws only when the program cannot be started at all. */
export function run(command: string, args: readonly string[], options: SpawnSyncOptions = {}): RunResult {
  const result = spawnSync(command, args, {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
    ...options,
  });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    const hint = installHints[path.basename(command)];
    if (code === 'ENOENT' && hint) throw new Error(`${command} is not installed; install it with: ${hint}`);
    throw new Error(`could not run ${command}: ${result.error.message}`);
  }
  return { status: result.status ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Runs a program and returns stdout; a non-zero exit throws with its output. */
export function runOk(command: string, args: readonly string[], options: SpawnSyncOptions = {}): string {
  const result = run(command, args, options);
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.status}:\n${result.stderr}${result.stdout}`,
    );
  }
  return result.stdout;
}
