// Migrations: applied once even when two processes start together, recorded with checksums, refused
// when a released migration was edited, and all-or-nothing when one fails.
import { dropStore, ENGINES, testOptions } from '../__fixtures__/backends';
import { createStore, type Store } from '../store';
import { StoreConflictError } from '../errors';
import { migrate, MIGRATIONS } from './migrate';
import { type Migration } from './migration';

describe.each(ENGINES)('migrations on %s', (engine) => {
  let first: Store;
  let second: Store | undefined;
  let schema: string | undefined;

  beforeAll(async () => {
    const options = testOptions(engine, { migrate: false });
    schema = options.schema;
    first = await createStore(options);
    // PostgreSQL: a second process on the same schema. PGlite has one connection, so "two processes"
    // are two concurrent callers on it.
    if (engine === 'postgres') second = await createStore(options);
  });
  afterAll(async () => {
    await second?.close();
    await dropStore(first, schema);
  });

  const versions = async () =>
    (
      await first.db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')
    ).rows.map((r) => Number(r.version));

  it('applies each migration exactly once when two processes start at once', async () => {
    const results = await Promise.all([
      migrate(first.db, { schema }),
      migrate((second ?? first).db, { schema }),
      migrate(first.db, { schema }),
    ]);
    const applied = results.map((r) => r.applied).sort((a, b) => b.length - a.length);
    expect(applied).toStrictEqual([MIGRATIONS.map((m) => m.version), [], []]);
    expect(await versions()).toStrictEqual(MIGRATIONS.map((m) => m.version));
  });

  it('applies nothing when the schema is up to date', async () => {
    await expect(migrate(first.db, { schema })).resolves.toStrictEqual({ applied: [] });
  });

  it('applies only a migration it has not seen', async () => {
    const extra: Migration = { version: 100, name: 'extra', sql: 'CREATE TABLE extra (x integer)' };
    await expect(migrate(first.db, { schema, migrations: [...MIGRATIONS, extra] })).resolves.toStrictEqual({
      applied: [100],
    });
    await expect(first.db.query('SELECT x FROM extra')).resolves.toMatchObject({ rows: [] });
  });

  it('refuses to start when an applied migration was edited', async () => {
    const edited = MIGRATIONS.map((m) => ({ ...m, sql: `${m.sql}\n-- edited` }));
    await expect(migrate(first.db, { schema, migrations: edited })).rejects.toThrow(
      new StoreConflictError(
        'migration 1 (initial) changed after it was applied; add a new migration instead of editing a released one',
      ),
    );
  });

  it('leaves no trace of a migration run that fails halfway', async () => {
    const good: Migration = { version: 200, name: 'good', sql: 'CREATE TABLE good (x integer)' };
    const bad: Migration = {
      version: 201,
      name: 'bad',
      sql: 'CREATE TABLE half (x integer); SELECT no_such_fn();',
    };
    await expect(migrate(first.db, { schema, migrations: [...MIGRATIONS, good, bad] })).rejects.toThrow(
      /no_such_fn/,
    );
    const { rows } = await first.db.query<{ good: string | null; half: string | null }>(
      `SELECT to_regclass('good')::text AS good, to_regclass('half')::text AS half`,
    );
    expect(rows).toStrictEqual([{ good: null, half: null }]);
    expect(await versions()).toStrictEqual([...MIGRATIONS.map((m) => m.version), 100]);
  });
});
