import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.resolve(__dirname, '../../../..');
const run = promisify(execFile);

async function admin(dataDir: string, ...args: string[]) {
  try {
    const { stdout } = await run(
      process.execPath,
      [
        '--conditions=@foxhound/source',
        '-r',
        path.join(root, 'tools/ts-run.cjs'),
        path.join(__dirname, 'admin.ts'),
        ...args,
      ],
      { env: { PATH: process.env.PATH, GATEWAY_DATA_DIR: dataDir }, cwd: root },
    );
    return { code: 0, stdout, stderr: '' };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('admin CLI', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'fh-admin-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates a key once, lists it without the secret, and refuses a bad role with usage', async () => {
    const created = await admin(
      dataDir,
      'keys',
      'create',
      '--name',
      'alertmanager',
      '--role',
      'investigator',
    );
    expect(created.code).toBe(0);
    const key = created.stdout.trim().split('\n').at(-1)!;
    expect(key).toMatch(/^fh_[A-Za-z0-9_-]{32,}$/);

    const listed = await admin(dataDir, 'keys', 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/\tinvestigator\talertmanager\t.*\tactive/);
    expect(listed.stdout).not.toContain(key);

    const bad = await admin(dataDir, 'keys', 'create', '--name', 'x', '--role', 'root');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('keys create needs --name and a valid --role');
    // Three processes, each compiling the CLI and booting PGlite: slow on a busy 2-core machine.
  }, 180_000);
});
