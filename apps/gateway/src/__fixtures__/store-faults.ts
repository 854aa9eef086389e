// Store outages at the network edge, for the durability tests. On PostgreSQL, a loopback TCP proxy
// in front of the server: `cut()` drops every connection and refuses new ones, as a failed network or
// a stopped database would; `restore()` lets connections through again. On PGlite, which has no
// connection, a wrapper around the opened database fails every statement while unplugged, as the
// driver would report a dropped connection.
import net from 'node:net';
import { createStore, StoreUnavailableError, type Database, type Store } from '@foxhound/store';
import { randomBytes } from 'node:crypto';

export interface FaultyStore {
  store: Store;
  /** The store becomes unreachable. */
  cut(): void;
  restore(): void;
  /** Statements or connections refused while cut: proof the outage was hit. */
  readonly refused: number;
  close(): Promise<void>;
}

export async function pgliteWithFaults(): Promise<FaultyStore> {
  const state = { down: false, refused: 0 };
  const refuse = () => {
    state.refused += 1;
    return new StoreUnavailableError('connection terminated (unplugged by the test)');
  };
  const wrap = (db: Database): Database => ({
    engine: db.engine,
    query: (sql, params) => (state.down ? Promise.reject(refuse()) : db.query(sql, params)),
    exec: (sql) => (state.down ? Promise.reject(refuse()) : db.exec(sql)),
    transaction: (fn) =>
      state.down
        ? Promise.reject(refuse())
        : db.transaction((tx) =>
            fn({
              query: (sql, params) => (state.down ? Promise.reject(refuse()) : tx.query(sql, params)),
              exec: (sql) => (state.down ? Promise.reject(refuse()) : tx.exec(sql)),
            }),
          ),
    close: () => db.close(),
  });
  const store = await createStore({}, { wrapDatabase: wrap });
  return {
    store,
    cut: () => (state.down = true),
    restore: () => (state.down = false),
    get refused() {
      return state.refused;
    },
    close: () => store.close(),
  };
}

/** PostgreSQL behind a loopback proxy, in a fresh schema dropped on close. */
export async function postgresWithFaults(databaseUrl: string): Promise<FaultyStore> {
  const upstream = new URL(databaseUrl);
  const sockets = new Set<net.Socket>();
  const state = { down: false, refused: 0 };
  const proxy = net.createServer((client) => {
    if (state.down) {
      state.refused += 1;
      client.destroy();
      return;
    }
    const server = net.connect(Number(upstream.port || 5432), upstream.hostname);
    for (const s of [client, server]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(server).pipe(client);
    client.on('close', () => server.destroy());
    server.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const port = (proxy.address() as net.AddressInfo).port;
  const viaProxy = new URL(databaseUrl);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(port);
  const schema = `fh_test_${randomBytes(6).toString('hex')}`;
  const store = await createStore({
    databaseUrl: viaProxy.toString(),
    schema,
    poolMax: 4,
    connectTimeoutMs: 1000,
  });
  return {
    store,
    cut: () => {
      state.down = true;
      for (const s of sockets) s.destroy();
    },
    restore: () => (state.down = false),
    get refused() {
      return state.refused;
    },
    async close() {
      state.down = false;
      await store.db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await store.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}
