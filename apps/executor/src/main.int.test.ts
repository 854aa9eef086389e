// main() as a real child process: a bad variable exits 2 naming it; a good configuration serves
// until SIGTERM, then drains and exits 0.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type KubeSim, startKubeSim } from '@foxhound/kube-sim';

const ROOT = path.resolve(__dirname, '../../..');

function startMain(env: Record<string, string>): {
  child: ChildProcess;
  exited: Promise<number | null>;
  stdout: () => string;
  stderr: () => string;
} {
  const child = spawn(
    process.execPath,
    ['--conditions=@foxhound/source', '-r', './tools/ts-run.cjs', 'apps/executor/src/main.ts'],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (err += String(d)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stdout: () => out, stderr: () => err };
}

describe('executor main()', () => {
  let sim: KubeSim;
  let dir: string;
  beforeAll(async () => {
    sim = await startKubeSim();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'executor-main-'));
    await sim.writeKubeconfig(path.join(dir, 'kubeconfig'));
  });
  afterAll(async () => {
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exits 2 naming the bad variable', async () => {
    const run = startMain({ EXECUTOR_MAX_TURNS: 'many' });
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain('EXECUTOR_MAX_TURNS: Invalid input: expected number');
  });

  it('serves until SIGTERM, then exits 0', async () => {
    const run = startMain({
      PORT: '0',
      HOST: '127.0.0.1',
      KUBECONFIG: path.join(dir, 'kubeconfig'),
      LOG_LEVEL: 'info',
    });
    try {
      let url: string | undefined;
      for (let i = 0; i < 600 && !url; i++) {
        url = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(run.stdout())?.[1];
        if (!url) await new Promise((r) => setTimeout(r, 25));
      }
      expect(url).toBeDefined();
      expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok', service: 'executor' });
      expect(run.stdout()).toContain('"msg":"agent ready"');
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    }
  });
});
