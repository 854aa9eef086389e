import { z } from 'zod';
import { ConfigError, baseServiceEnvShape, env, loadConfig } from './load-config';

const schema = z.object({
  ...baseServiceEnvShape,
  PORT: env.port(8080),
  ENABLED: env.bool(false),
  PORTS: env.list(['8888']),
  UPSTREAM_URL: env.url().optional(),
  ROUTER_AUTH_TOKEN: env.token().optional(),
});

describe('loadConfig', () => {
  it('applies defaults when nothing is set', () => {
    expect(loadConfig(schema, {})).toStrictEqual({
      HOST: '0.0.0.0',
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT_SECONDS: 25,
      PORT: 8080,
      ENABLED: false,
      PORTS: ['8888'],
    });
  });

  it('parses numbers, booleans and lists, and treats empty strings as unset', () => {
    const config = loadConfig(schema, {
      PORT: '9000',
      ENABLED: 'yes',
      PORTS: ' 8888, 9000 ,',
      LOG_LEVEL: '',
    });
    expect(config).toMatchObject({ PORT: 9000, ENABLED: true, PORTS: ['8888', '9000'], LOG_LEVEL: 'info' });
  });

  it.each([
    ['a port that is not a number', { PORT: 'http' }, /^PORT: .*\(got "http"\)$/],
    ['a port out of range', { PORT: '70000' }, /^PORT: /],
    ['a boolean that is not one', { ENABLED: 'maybe' }, /^ENABLED: expected true or false/],
    [
      'a URL with another scheme',
      { UPSTREAM_URL: 'file:///etc/passwd' },
      /^UPSTREAM_URL: expected an http\(s\) URL/,
    ],
    ['an unknown log level', { LOG_LEVEL: 'loud' }, /^LOG_LEVEL: /],
  ])('names the variable for %s', (_name, input, message) => {
    const err = captureConfigError(() => loadConfig(schema, input));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatch(message);
  });

  it('never echoes a secret value in the error', () => {
    const err = captureConfigError(() => loadConfig(schema, { ROUTER_AUTH_TOKEN: 'short-secret' }));
    expect(err.message).toContain('ROUTER_AUTH_TOKEN: must be at least 16 characters');
    expect(err.message).not.toContain('short-secret');
  });

  it('reports every bad variable at once', () => {
    const err = captureConfigError(() => loadConfig(schema, { PORT: 'x', ENABLED: 'x' }));
    expect(err.problems.map((p) => p.split(':')[0])).toStrictEqual(['PORT', 'ENABLED']);
  });
});

function captureConfigError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}
