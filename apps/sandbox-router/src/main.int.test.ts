import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const MAIN = path.join(__dirname, 'main.ts');

// Every child this file starts; whatever a failing test leaves running is killed after it.
const children = new Set<ChildProcess>();
afterEach(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
});

/** Runs the real entry point as a child process with `env`; resolves with its exit and output. */
function runRouter(
  env: Record<string, string>,
  onLine?: (line: string, child: ReturnType<typeof spawn>) => void,
) {
  const child = spawn(process.execPath, ['--conditions=@foxhound/source', '-r', './tools/ts-run.cjs', MAIN], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += String(chunk);
    for (const line of String(chunk).split('\n')) if (line) onLine?.(line, child);
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout, stderr })),
  );
}

describe('sandbox-router main', () => {
  it('exits 2 naming the bad variable', async () => {
    const { code, stderr } = await runRouter({ ROUTER_RESOLVER: 'manager', ROUTER_ALLOWED_PORTS: 'http' });
    expect(code).toBe(2);
    expect(stderr).toContain('ROUTER_ALLOWED_PORTS: "http" is not a port in 1-65535');
    expect(stderr).toContain('SANDBOX_MANAGER_URL: required when ROUTER_RESOLVER=manager');
  });

  it('starts, warns loudly about the loopback opt-in, and exits 0 on SIGTERM', async () => {
    const lines: Record<string, unknown>[] = [];
    const { code } = await runRouter(
      {
        PORT: '0',
        HOST: '127.0.0.1',
        ROUTER_RESOLVER: 'manager',
        SANDBOX_MANAGER_URL: 'http://127.0.0.1:1',
        ROUTER_ALLOW_LOOPBACK_UPSTREAM: 'true',
      },
      (line, child) => {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        lines.push(parsed);
        // One request answered means start() has returned and runMain has installed its signal handlers.
        if (parsed.msg === 'sandbox-router listening') {
          void fetch(`${String(parsed.url)}/healthz`).then(() => child.kill('SIGTERM'));
        }
      },
    );
    expect(code).toBe(0);
    expect(lines.find((l) => l.msg === 'sandbox-router listening')).toMatchObject({
      resolver: 'manager',
      auth: 'disabled',
    });
    expect(
      lines.some(
        (l) => l.level === 'warn' && String(l.msg).startsWith('ROUTER_ALLOW_LOOPBACK_UPSTREAM=true'),
      ),
    ).toBe(true);
    expect(lines.some((l) => l.msg === 'shutting down')).toBe(true);
  });
});
