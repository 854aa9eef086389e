// The built executor as the image and the local backend run it: scripts/build.cjs into a temporary
// directory, then `node main.js` to /healthz with its code cache accepted, and with a cache that
// does not fit (another Node.js's), which is reported and compiled around.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cacheFileFor } from './boot';

const APP = path.resolve(__dirname, '../..');

describe('cacheFileFor', () => {
  it('names one cache per heap cap, from argv or NODE_OPTIONS', () => {
    expect(cacheFileFor('/d/executor.js', [], undefined)).toBe('/d/executor.js.cache');
    expect(cacheFileFor('/d/executor.js', ['--max-old-space-size=768'], undefined)).toBe(
      '/d/executor.js.heap-768.cache',
    );
    expect(cacheFileFor('/d/executor.js', [], '--max-old-space-size=512 --trace-warnings')).toBe(
      '/d/executor.js.heap-512.cache',
    );
  });
});

describe('the built executor', () => {
  let dir: string;
  let dist: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'executor-boot-'));
    dist = path.join(dir, 'dist');
    execFileSync(process.execPath, [path.join(APP, 'scripts/build.cjs')], {
      env: { ...process.env, EXECUTOR_DIST: dist },
      stdio: 'pipe',
    });
    fs.writeFileSync(
      path.join(dir, 'kubeconfig'),
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]\n' +
        'users: [{name: u, user: {token: t}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\n' +
        'current-context: c\n',
    );
  }, 180_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function start(nodeOptions?: string) {
    const child = spawn(process.execPath, [path.join(dist, 'main.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'info',
        KUBECONFIG: path.join(dir, 'kubeconfig'),
        ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let url: string | undefined;
    for (let i = 0; i < 1200 && !url && child.exitCode === null; i++) {
      url = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out)?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 25));
    }
    const healthz = url ? await (await fetch(`${url}/healthz`)).json() : undefined;
    child.kill('SIGTERM');
    return { healthz, code: await exited, stderr: err };
  }

  it('writes one bundle, the loader, the agent markdown and a cache per heap cap', () => {
    expect(fs.readdirSync(dist).sort()).toEqual([
      'agent',
      'executor.js',
      'executor.js.LEGAL.txt',
      'executor.js.cache',
      'executor.js.heap-768.cache',
      'main.js',
    ]);
    expect(fs.existsSync(path.join(dist, 'agent/roles/shared.md'))).toBe(true);
  });

  it.each([[undefined], ['--max-old-space-size=768']])('serves /healthz with the cache (%s)', async (opts) => {
    const run = await start(opts);
    expect(run.healthz).toEqual({ status: 'ok', service: 'executor' });
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain('does not fit');
  }, 60_000);

  it('says so and still serves when the cache does not fit', async () => {
    fs.writeFileSync(path.join(dist, 'executor.js.cache'), Buffer.alloc(1024, 7));
    const run = await start();
    expect(run.healthz).toEqual({ status: 'ok', service: 'executor' });
    expect(run.stderr).toContain('executor.js.cache does not fit this Node.js; compiling instead');
  }, 60_000);
});
