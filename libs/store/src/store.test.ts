// The store as a whole: options validation, readiness (ping), transactions that leave nothing half
// written, persistence across reopen for PGlite, and shutdown that flushes open event writers.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newInvestigation, thought } from './__fixtures__/data';
import { dropStore, ENGINES, testOptions, useStore } from './__fixtures__/backends';
import { StoreInputError, StoreUnavailableError } from './errors';
import { createStore } from './store';

describe('createStore options', () => {
  it.each([
    [
      'a non-postgres URL',
      { databaseUrl: 'mysql://db/x' },
      'databaseUrl: must be a postgres:// or postgresql:// URL',
    ],
    [
      'both a URL and a data directory',
      { databaseUrl: 'postgres://db/x', dataDir: '/tmp/x' },
      'dataDir: set databaseUrl',
    ],
    [
      'a schema name with a quote',
      { schema: 'x"; DROP TABLE y; --' },
      'schema: must be a lower-case SQL identifier',
    ],
    ['a pool of zero', { poolMax: 0 }, 'poolMax:'],
  ])('refuses %s', async (_name, options, message) => {
    await expect(createStore(options)).rejects.toThrow(StoreInputError);
    await expect(createStore(options)).rejects.toThrow(message);
  });

  it('fails fast with StoreUnavailableError when PostgreSQL is not listening', async () => {
    // Port 1 on loopback: refused at once, no packet leaves the machine.
    const attempt = createStore({
      databaseUrl: 'postgres://postgres@127.0.0.1:1/none',
      connectTimeoutMs: 1000,
    });
    await expect(attempt).rejects.toThrow(StoreUnavailableError);
  });
});

describe('PGlite data directory', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fh-store-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps investigations and events across a close and reopen', async () => {
    const first = await createStore({ dataDir: dir });
    const { investigation } = await first.investigations.create(newInvestigation());
    const writer = await first.openEventWriter(investigation.id);
    writer.append(thought('persisted'));
    await first.close();

    const second = await createStore({ dataDir: dir });
    try {
      expect(await second.investigations.get(investigation.id)).toStrictEqual(investigation);
      expect((await second.events.list(investigation.id)).map((e) => e.seq)).toStrictEqual([1]);
    } finally {
      await second.close();
    }
  });
});

describe.each(ENGINES)('store on %s', (engine) => {
  const { store } = useStore(engine);

  it('answers ping while open', async () => {
    await expect(store().ping()).resolves.toBeUndefined();
  });

  it('rolls back every write of a failed transaction', async () => {
    const input = newInvestigation({ id: `inv_rollback_${Date.now()}` });
    const headBefore = await store().audit.head();
    const attempt = store().transaction(async (repos) => {
      await repos.investigations.create(input);
      await repos.audit.append({ kind: 'request', actor: 'user:alice', action: 'POST /v1/investigations' });
      throw new Error('upstream refused the sandbox');
    });
    await expect(attempt).rejects.toThrow('upstream refused the sandbox');
    expect(await store().investigations.get(input.id as string)).toBeNull();
    expect(await store().audit.head()).toStrictEqual(headBefore);
  });

  it('commits every write of a successful transaction', async () => {
    const { investigation, entry } = await store().transaction(async (repos) => ({
      investigation: (await repos.investigations.create(newInvestigation())).investigation,
      entry: await repos.audit.append({
        kind: 'request',
        actor: 'user:alice',
        action: 'POST /v1/investigations',
      }),
    }));
    expect(await store().investigations.get(investigation.id)).toStrictEqual(investigation);
    expect((await store().audit.list({ limit: 1 })).items).toStrictEqual([entry]);
  });
});

describe.each(ENGINES)('closing a store on %s', (engine) => {
  it('flushes open event writers, then fails pings and queries as unavailable', async () => {
    const options = testOptions(engine);
    const store = await createStore(options);
    const { investigation } = await store.investigations.create(newInvestigation());
    const writer = await store.openEventWriter(investigation.id, { flushIntervalMs: 60_000 });
    writer.append(thought('one'));
    writer.append(thought('two'));

    // Read the result through a second store on the same data before the first one's schema is dropped.
    if (engine === 'postgres') {
      await store.close();
      const reader = await createStore({ ...options, migrate: false });
      expect((await reader.events.list(investigation.id)).map((e) => e.seq)).toStrictEqual([1, 2]);
      await dropStore(reader, options.schema);
    } else {
      await writer.flush();
      expect(writer.persistedSeq).toBe(2);
      await store.close();
    }
    await expect(store.ping()).rejects.toThrow(StoreUnavailableError);
    await expect(store.investigations.get(investigation.id)).rejects.toThrow(StoreUnavailableError);
    await expect(store.close()).resolves.toBeUndefined();
  });
});
