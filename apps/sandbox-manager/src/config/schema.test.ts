import { ConfigError, loadConfig } from '@foxhound/service-kit';
import { EXECUTOR_MAIN_PATH } from '../backends/local/sandbox-command';
import { ManagerConfigSchema } from './schema';

describe('ManagerConfigSchema', () => {
  it('defaults to the local backend with the executor as the sandbox program', () => {
    const config = loadConfig(ManagerConfigSchema, {});
    expect(config).toMatchObject({
      PORT: 8081,
      SANDBOX_BACKEND: 'local',
      SANDBOX_MODE: 'claim',
      SANDBOX_NAMESPACE: 'foxhound-sandboxes',
      LOCAL_ISOLATION: 'auto',
      LOCAL_SANDBOX_COMMAND: [process.execPath, EXECUTOR_MAIN_PATH],
      LOCAL_SANDBOX_ROOT: '/var/tmp/foxhound-sandboxes',
    });
    expect(config.MANAGER_AUTH_TOKEN).toBeUndefined();
  });

  it.each([
    [
      'a JSON array',
      '["/usr/bin/node", "/srv/executor.js", "--flag"]',
      ['/usr/bin/node', '/srv/executor.js', '--flag'],
    ],
    ['words split on spaces', '  node   /srv/executor.js ', ['node', '/srv/executor.js']],
  ])('parses LOCAL_SANDBOX_COMMAND as %s', (_name, value, argv) => {
    expect(loadConfig(ManagerConfigSchema, { LOCAL_SANDBOX_COMMAND: value }).LOCAL_SANDBOX_COMMAND).toEqual(
      argv,
    );
  });

  it.each([
    [{ SANDBOX_BACKEND: 'docker' }, 'SANDBOX_BACKEND'],
    [{ MANAGER_AUTH_TOKEN: 'short' }, 'MANAGER_AUTH_TOKEN: must be at least 16 characters'],
    [{ SANDBOX_NAMESPACE: 'Bad_Namespace' }, 'SANDBOX_NAMESPACE'],
    [{ LOCAL_ISOLATION: 'docker' }, 'LOCAL_ISOLATION'],
    [
      { LOCAL_SANDBOX_COMMAND: '["node", 3]' },
      'LOCAL_SANDBOX_COMMAND: expected a JSON array of 1-64 non-empty strings',
    ],
    [
      { LOCAL_SANDBOX_COMMAND: '[not json' },
      'LOCAL_SANDBOX_COMMAND: looks like a JSON array but does not parse',
    ],
    [{ LOCAL_SANDBOX_ROOT: 'relative/dir' }, 'LOCAL_SANDBOX_ROOT: must be an absolute path'],
    [{ SANDBOX_DEFAULT_TTL_SECONDS: '10' }, 'SANDBOX_DEFAULT_TTL_SECONDS'],
    [
      { SANDBOX_MAX_TOTAL: '5', SANDBOX_MAX_PER_OWNER: '6' },
      'SANDBOX_MAX_PER_OWNER: must not exceed SANDBOX_MAX_TOTAL (5)',
    ],
    [
      { SANDBOX_MAX_TOTAL: '2', LOCAL_WARM_POOL_SIZE: '3', SANDBOX_MAX_PER_OWNER: '1' },
      'LOCAL_WARM_POOL_SIZE',
    ],
    [
      { SANDBOX_BACKEND: 'kubernetes', SANDBOX_MODE: 'sandbox' },
      'SANDBOX_IMAGE: is required when SANDBOX_MODE=sandbox',
    ],
    [{ SANDBOX_CPU_LIMIT: 'lots' }, 'SANDBOX_CPU_LIMIT'],
    [
      { LOCAL_WARM_POOL_SIZE: '4', LOCAL_WARM_POOL_MAX: '3' },
      'LOCAL_WARM_POOL_SIZE: must not exceed LOCAL_WARM_POOL_MAX (3)',
    ],
    [
      { SANDBOX_WARM_POOL_MIN: '5', SANDBOX_WARM_POOL_MAX: '2' },
      'SANDBOX_WARM_POOL_MIN: must not exceed SANDBOX_WARM_POOL_MAX (2)',
    ],
    [{ SANDBOX_QUEUE_MAX: '0' }, 'SANDBOX_QUEUE_MAX'],
  ])('rejects %j naming the variable', (env, message) => {
    let error: unknown;
    try {
      loadConfig(ManagerConfigSchema, env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(message);
  });

  it('never echoes the auth token in an error', () => {
    expect(() => loadConfig(ManagerConfigSchema, { MANAGER_AUTH_TOKEN: 'sekrit' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('sekrit') }),
    );
  });
});
