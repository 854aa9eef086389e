import { resolveIsolation, wrapCommand, type DriverProbeResult, type IsolationDriver } from './isolation';

const command = ['/usr/bin/node', '/srv/app.js'];

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
