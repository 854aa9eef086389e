import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  programRootsUnderTmp,
  resolveIsolation,
  wrapCommand,
  type DriverProbeResult,
  type IsolationDriver,
} from './isolation';

const command = ['/usr/bin/node', '/srv/app.js'];

describe('programRootsUnderTmp', () => {
  it('finds the package root of a program a private /tmp would hide, and nothing elsewhere', () => {
    const checkout = mkdtempSync('/tmp/fh-checkout-');
    try {
      mkdirSync(path.join(checkout, 'apps/executor/dist'), { recursive: true });
      writeFileSync(path.join(checkout, 'package.json'), '{}');
      writeFileSync(path.join(checkout, 'apps/executor/package.json'), '{}');
      const program = path.join(checkout, 'apps/executor/dist/main.js');
      expect(programRootsUnderTmp(['/usr/bin/node', program])).toStrictEqual([checkout]);
      expect(wrapCommand('bwrap', ['/usr/bin/node', program], { scratchDir: '/s', network: 'host' })).toEqual(
        expect.arrayContaining(['--ro-bind', checkout, checkout]),
      );
      expect(programRootsUnderTmp(['/usr/bin/node', '/srv/app.js', '--port=1'])).toStrictEqual([]);
    } finally {
      rmSync(checkout, { recursive: true, force: true });
    }
  });
});

describe('wrapCommand', () => {
  it('runs the command as is without isolation', () => {
    expect(wrapCommand('none', command, { scratchDir: '/s', network: 'host' })).toEqual(command);
  });

  it.each([
    ['host', ['--share-net']],
    ['none', []],
  ] as const)(
    'bwrap with %s network: read-only root, private /tmp, only the scratch directory writable',
    (network, share) => {
      expect(wrapCommand('bwrap', command, { scratchDir: '/s', network })).toEqual([
      'bwrap',
      '--ro-bind', '/', '/',
      '--dev', '/dev',
      '--proc', '/proc',
      '--tmpfs', '/tmp',
      '--bind', '/s', '/s',
      '--unshare-all',
      ...share,
      '--die-with-parent',
      '--new-session',
      '--cap-drop', 'ALL',
      '--hostname', 'foxhound-sandbox',
      '--chdir', '/s',
      '--',
      ...command,
    ]); // prettier-ignore
    },
  );

  it.each([
    ['host', '--network=host'],
    ['none', '--network=none'],
  ] as const)('gVisor with %s network stays in the manager cgroup', (network, flag) => {
    expect(wrapCommand('gvisor', command, { scratchDir: '/s', network })).toEqual([
      'runsc', '--rootless', flag, '--ignore-cgroups', 'do', '--cwd', '/s', '--', ...command,
    ]); // prettier-ignore
  });
});

describe('resolveIsolation', () => {
  const probeWith =
    (working: IsolationDriver[]) =>
    async (driver: IsolationDriver): Promise<DriverProbeResult> =>
      working.includes(driver)
        ? { driver, works: true }
        : { driver, works: false, reason: `${driver} missing` };

  it.each([
    [['gvisor', 'bwrap', 'none'], 'gvisor', []],
    [['bwrap', 'none'], 'bwrap', ['gvisor']],
    [['none'], 'none', ['gvisor', 'bwrap']],
  ] as const)('auto with %j working picks %s', async (working, expected, rejected) => {
    const result = await resolveIsolation('auto', probeWith([...working]));
    expect(result.driver).toBe(expected);
    expect(result.rejected.map((r) => r.driver)).toEqual(rejected);
  });

  it('fails loudly when the requested driver does not work instead of downgrading', async () => {
    await expect(resolveIsolation('gvisor', probeWith(['bwrap', 'none']))).rejects.toThrow(
      'LOCAL_ISOLATION=gvisor does not work on this machine: gvisor missing',
    );
  });
});
