// Which isolation drivers work on this machine, checked once per test file the way the manager
// checks them (as the unprivileged sandbox user when running as root). A suite for a missing
// driver is skipped with a loud message instead of silently passing; CI installs both.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, chownSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type IsolationDriver, wrapCommand } from '../backends/local/isolation';

export const SANDBOX_UID = 65_534;
export const runningAsRoot = process.getuid?.() === 0;

export function driverWorks(driver: IsolationDriver): boolean {
  if (driver === 'none') return true;
  const dir = mkdtempSync(path.join(tmpdir(), `fh-driver-${driver}-`));
  try {
    if (runningAsRoot) chownSync(dir, SANDBOX_UID, SANDBOX_UID);
    const [file = '', ...args] = wrapCommand(driver, ['/bin/true'], { scratchDir: dir, network: 'none' });
    const result = spawnSync(file, args, {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, TMPDIR: dir },
      uid: runningAsRoot ? SANDBOX_UID : undefined,
      gid: runningAsRoot ? SANDBOX_UID : undefined,
      timeout: 20_000,
      stdio: 'ignore',
    });
    return result.status === 0;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `describe` when the driver works here, otherwise a skipped suite and a warning naming it; with
 * FOXHOUND_REQUIRE_ISOLATION=1 (CI sets it) a missing driver fails the suite instead, so a green run
 * cannot hide isolation tests that never ran. */
export function describeWithDriver(driver: IsolationDriver, name: string, body: () => void): void {
  if (driverWorks(driver)) {
    describe(name, body);
    return;
  }
  if (process.env.FOXHOUND_REQUIRE_ISOLATION === '1') {
    describe(name, () => {
      it(`needs the ${driver} isolation driver (FOXHOUND_REQUIRE_ISOLATION=1)`, () => {
        throw new Error(
          `the ${driver} isolation driver does not work on this machine: install ${driver === 'gvisor' ? 'runsc' : 'bubblewrap'}, or unset FOXHOUND_REQUIRE_ISOLATION to let the suite skip`,
        );
      });
    });
    return;
  }
  process.stderr.write(
    `\n*** SKIPPED "${name}": the ${driver} isolation driver does not work on this machine ` +
      `(install ${driver === 'gvisor' ? 'runsc' : 'bubblewrap'}; CI installs it). ***\n\n`,
  );
  describe.skip(name, body);
}
