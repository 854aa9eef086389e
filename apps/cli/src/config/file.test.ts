import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readUserConfig, writeUserConfig } from './file';
import { configPath } from './paths';
import { parseServerUrl, resolveConnection } from './resolve';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'fh-cli-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the user config file', () => {
  it('lives under XDG_CONFIG_HOME, else ~/.config', () => {
    expect(configPath({ XDG_CONFIG_HOME: '/x', HOME: '/h' })).toBe('/x/foxhound/config.json');
    expect(configPath({ HOME: '/h' })).toBe('/h/.config/foxhound/config.json');
    expect(configPath({ XDG_CONFIG_HOME: 'relative', HOME: '/h' })).toBe('/h/.config/foxhound/config.json');
  });

  it('is written 0600 in a 0700 directory and read back', () => {
    const file = path.join(dir, 'foxhound', 'config.json');
    writeUserConfig(file, { server: 'http://127.0.0.1:8000', credential: 'fh_secret' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(readUserConfig(file)).toStrictEqual({ server: 'http://127.0.0.1:8000', credential: 'fh_secret' });
  });

  it.each([
    ['readable by others', '{"server":"http://a"}', 0o644, /is readable by other users \(mode 644\); run: chmod 600/],
    ['not JSON', 'server=http://a', 0o600, /is not valid JSON; fix it or run foxhound login again$/],
    ['not an object', '"http://a"', 0o600, /is not a JSON object$/],
  ])('is refused when %s', (_name, text, mode, message) => {
    const file = path.join(dir, 'config.json');
    writeFileSync(file, text);
    chmodSync(file, mode);
    expect(() => readUserConfig(file)).toThrow(message);
  });

  it('is absent: an empty config', () => {
    expect(readUserConfig(path.join(dir, 'none.json'))).toStrictEqual({});
  });
});

describe('which gateway and credential', () => {
  it('takes --server over FOXHOUND_SERVER over the file, and FOXHOUND_API_KEY over the file', () => {
    const env = { XDG_CONFIG_HOME: dir };
    writeUserConfig(configPath(env), { server: 'http://file:1', credential: 'fh_file' });
    expect(resolveConnection({}, env)).toStrictEqual({ server: 'http://file:1', credential: 'fh_file' });
    expect(resolveConnection({}, { ...env, FOXHOUND_SERVER: 'http://env:2/', FOXHOUND_API_KEY: 'fh_env' })).toStrictEqual({
      server: 'http://env:2',
      credential: 'fh_env',
    });
    expect(resolveConnection({ server: 'https://flag:3' }, env).server).toBe('https://flag:3');
    expect(readFileSync(configPath(env), 'utf8')).toContain('fh_file');
  });

  it.each([
    ['not a URL', '127.0.0.1:8000', /--server must be a URL such as http:\/\/127\.0\.0\.1:8000/],
    ['another scheme', 'ftp://a', /--server must be an http:\/\/ or https:\/\/ URL, not ftp:/],
    ['credentials in the URL', 'http://u:p@a', /--server must not carry credentials; use foxhound login/],
  ])('refuses a server that is %s', (_name, raw, message) => {
    expect(() => parseServerUrl(raw)).toThrow(message);
  });

  it('says how to configure one when there is none', () => {
    expect(() => resolveConnection({}, { XDG_CONFIG_HOME: dir })).toThrow(
      'no gateway configured: run foxhound login --server URL, or set FOXHOUND_SERVER',
    );
  });
});
