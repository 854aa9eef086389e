// foxhound-store: exit codes and messages an operator sees, against a real database on each engine.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropStore, ENGINES, testOptions } from './__fixtures__/backends';
import { main } from './cli';
import { type StoreOptions } from './config';
import { createStore } from './store';

describe.each(ENGINES)('foxhound-store on %s', (engine) => {
  let dir: string;
  let options: StoreOptions;
  let args: string[];
  let env: NodeJS.ProcessEnv;
  let out: string[];
  let err: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fh-cli-'));
    options = testOptions(engine, engine === 'pglite' ? { dataDir: dir } : {});
    args = engine === 'pglite' ? ['--data-dir', dir] : ['--schema', options.schema as string];
    env = engine === 'pglite' ? {} : { DATABASE_URL: options.databaseUrl };
    const store = await createStore(options);
    for (const action of ['POST /v1/keys', 'POST /v1/investigations', 'DELETE /v1/keys/key_1']) {
      await store.audit.append({ kind: 'request', actor: 'user:admin', action });
    }
    await store.close();
  });
  afterAll(async () => {
    await dropStore(await createStore({ ...options, migrate: false }), options.schema);
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    out = [];
    err = [];
    jest.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
    jest.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line));
  });
  afterEach(() => jest.restoreAllMocks());

  it('exits 0 on an intact chain', async () => {
    expect(await main(['verify-audit', ...args], env)).toBe(0);
    expect(out).toStrictEqual([
      expect.stringMatching(/^audit chain intact: 3 entries, head 3 [0-9a-f]{64}$/),
    ]);
  });

  it('exits 1 naming the first broken entry', async () => {
    const store = await createStore({ ...options, migrate: false });
    await store.db.exec('ALTER TABLE audit_log DISABLE TRIGGER USER');
    await store.db.query(`UPDATE audit_log SET actor = 'user:mallory' WHERE seq = 2`);
    await store.close();

    expect(await main(['verify-audit', ...args], env)).toBe(1);
    expect(out).toStrictEqual([
      'audit chain BROKEN at entry 2 (hash_mismatch): entry 2 was changed after it was written',
    ]);
    expect(await main(['verify-audit', '--json', ...args], env)).toBe(1);
    expect(JSON.parse(out[1] as string)).toMatchObject({ ok: false, checked: 1, broken: { seq: 2 } });
  });

  it('reports an up-to-date schema on migrate', async () => {
    expect(await main(['migrate', ...args], env)).toBe(0);
    expect(out).toStrictEqual(['schema is up to date']);
  });
});

describe('foxhound-store usage errors', () => {
  let err: string[];
  beforeEach(() => {
    err = [];
    jest.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line));
  });
  afterEach(() => jest.restoreAllMocks());

  it.each([
    ['no command', [], {}, 'Usage: foxhound-store'],
    ['an unknown command', ['drop-everything', '--data-dir', '/tmp'], {}, 'Usage: foxhound-store'],
    ['an unknown flag', ['verify-audit', '--force'], {}, "Unknown option '--force'"],
    ['no database', ['verify-audit'], {}, 'Set DATABASE_URL or pass --data-dir.'],
    ['a directory without a database', ['verify-audit', '--data-dir', tmpdir()], {}, 'No PGlite database in'],
    [
      'both a URL and a directory',
      ['verify-audit', '--data-dir', tmpdir()],
      { DATABASE_URL: 'postgres://127.0.0.1:1/x' },
      'not both',
    ],
  ])('exits 2 on %s', async (_name, argv, env, message) => {
    expect(await main(argv, env)).toBe(2);
    expect(err.join('\n')).toContain(message);
  });
});
