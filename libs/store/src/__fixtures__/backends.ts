// Test backends: every store suite runs on PGlite, and on PostgreSQL too when DATABASE_URL is set. Each
// PostgreSQL store lives in a fresh schema `fh_test_<random>` that is dropped afterwards, so runs and
// parallel jest workers never see each other's rows.
import { randomBytes } from 'node:crypto';
import { type Engine } from '../db/database';
import { createStore, type Store } from '../store';
import { type StoreOptions } from '../config';

const databaseUrl = process.env.DATABASE_URL;

/** The engines this run covers, for `describe.each`. */
export const ENGINES: Engine[] = databaseUrl ? ['pglite', 'postgres'] : ['pglite'];

export const freshSchema = (): string => `fh_test_${randomBytes(6).toString('hex')}`;

/**
 * Options for an empty database on `engine`: in-memory PGlite, or a new schema on PostgreSQL. Pass
 * `schema` to reach an existing one (a second store on the same data).
 */
export function testOptions(engine: Engine, overrides: Partial<StoreOptions> = {}): StoreOptions {
  if (engine === 'pglite') return overrides;
  return { databaseUrl, schema: freshSchema(), poolMax: 4, ...overrides };
}

export async function dropStore(store: Store, schema: string | undefined): Promise<void> {
  if (store.engine === 'postgres' && schema)
    await store.db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await store.close();
}

/** One store per describe block: opened before its tests, dropped after them. */
export function useStore(engine: Engine): { store: () => Store; options: () => StoreOptions } {
  let store: Store | undefined;
  let options: StoreOptions = {};
  beforeAll(async () => {
    options = testOptions(engine);
    store = await createStore(options);
  });
  afterAll(async () => {
    if (store) await dropStore(store, options.schema);
  });
  return {
    store: () => {
      if (!store) throw new Error('store used outside a test');
      return store;
    },
    options: () => options,
  };
}

/** Polls `condition` until it holds. Tests wait on state this way; they never assert on elapsed time. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}
