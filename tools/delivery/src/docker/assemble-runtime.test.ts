// tools/delivery/docker/assemble-runtime.sh on a small fake workspace laid out as the image build
// leaves it: the assembled tree keeps what runs (dist, data folders, nested dependencies), drops
// sources and configs, and node resolves the workspace libraries from it.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromRoot, run } from '../support/repo';

const script = fromRoot('tools/delivery/docker/assemble-runtime.sh');
let root: string;

function write(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

function tree(dir: string): string[] {
  const entries: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      entries.push(path.relative(dir, full) + (entry.isDirectory() ? '/' : ''));
      if (entry.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return entries.sort();
}

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'assemble-'));
  const src = path.join(root, 'src');
  const deps = path.join(root, 'deps');
  // The built workspace: an app using one lib; another lib the app does not use.
  write(path.join(src, 'apps/app/package.json'), '{"name":"@foxhound/app","main":"./dist/main.js"}');
  write(path.join(src, 'apps/app/dist/main.js'), "process.stdout.write(require('@foxhound/lib').greet());\n");
  write(path.join(src, 'apps/app/src/main.ts'), 'source');
  write(path.join(src, 'apps/app/Dockerfile'), 'FROM scratch');
  write(path.join(src, 'apps/app/tsconfig.json'), '{}');
  write(path.join(src, 'libs/lib/package.json'), '{"name":"@foxhound/lib","main":"./dist/index.js"}');
  write(path.join(src, 'libs/lib/dist/index.js'), "exports.greet = () => require('pad').pad('ok');\n");
  write(path.join(src, 'libs/lib/skills/triage/crashloop.md'), '# skill');
  write(path.join(src, 'libs/lib/README.md'), '# docs');
  write(path.join(src, 'libs/lib/jest.config.cjs'), '');
  write(path.join(src, 'libs/unused/dist/index.js'), '');
  // What `npm install --omit=dev -w @foxhound/app` leaves: links to the workspaces it needs.
  write(path.join(deps, 'package.json'), '{"name":"root","private":true}');
  mkdirSync(path.join(deps, 'node_modules/@foxhound'), { recursive: true });
  symlinkSync('../../apps/app', path.join(deps, 'node_modules/@foxhound/app'));
  symlinkSync('../../libs/lib', path.join(deps, 'node_modules/@foxhound/lib'));
  write(path.join(deps, 'libs/lib/node_modules/pad/index.js'), "exports.pad = (s) => '[' + s + ']';\n");
  write(path.join(deps, 'libs/lib/node_modules/pad/package.json'), '{"name":"pad","main":"index.js"}');
  write(path.join(deps, 'node_modules/express/index.js'), '');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

it('assembles only what runs, and node resolves the libraries from it', () => {
  const out = path.join(root, 'out');
  const result = run('bash', [script, path.join(root, 'src'), path.join(root, 'deps'), out]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(tree(out)).toEqual([
    'apps/',
    'apps/app/',
    'apps/app/dist/',
    'apps/app/dist/main.js',
    'apps/app/package.json',
    'libs/',
    'libs/lib/',
    'libs/lib/dist/',
    'libs/lib/dist/index.js',
    'libs/lib/node_modules/',
    'libs/lib/node_modules/pad/',
    'libs/lib/node_modules/pad/index.js',
    'libs/lib/node_modules/pad/package.json',
    'libs/lib/package.json',
    'libs/lib/skills/',
    'libs/lib/skills/triage/',
    'libs/lib/skills/triage/crashloop.md',
    'node_modules/',
    'node_modules/@foxhound/',
    'node_modules/@foxhound/app',
    'node_modules/@foxhound/lib',
    'node_modules/express/',
    'node_modules/express/index.js',
    'package.json',
  ]);
  const started = run(process.execPath, ['apps/app/dist/main.js'], { cwd: out });
  expect(started).toEqual({ status: 0, stdout: '[ok]', stderr: '' });
});

it('fails, naming the workspace, when a linked package was not built', () => {
  rmSync(path.join(root, 'src/libs/lib/dist'), { recursive: true });
  const result = run('bash', [
    script,
    path.join(root, 'src'),
    path.join(root, 'deps'),
    path.join(root, 'out'),
  ]);
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('libs/lib has no dist/');
});

it('refuses to run without its three arguments', () => {
  const result = run('bash', [script, path.join(root, 'src')]);
  expect(result.status).toBe(2);
  expect(result.stderr).toContain('usage:');
});
