// The faults the chaos suite injects into a running stack, each at the level a real failure happens:
// a store whose connections drop (a loopback TCP proxy in front of PostgreSQL that can cut every
// connection and refuse new ones), processes frozen and killed by signal, and the store contents the
// suite checks afterwards, read straight from PostgreSQL.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { Client } from 'pg';

export interface StoreProxy {
  /** The database URL through the proxy: what the gateway gets. */
  url: string;
  /** Drops every open connection and refuses new ones, as a dead network or database would. */
  cut(): void;
  restore(): void;
  /** Connections refused while cut: proof the outage was hit. */
  readonly refused: number;
  close(): Promise<void>;
}

export async function startStoreProxy(databaseUrl: string): Promise<StoreProxy> {
  const upstream = new URL(databaseUrl);
  const sockets = new Set<net.Socket>();
  const state = { down: false, refused: 0 };
  const server = net.createServer((client) => {
    if (state.down) {
      state.refused += 1;
      client.destroy();
      return;
    }
    const db = net.connect(Number(upstream.port || 5432), upstream.hostname);
    for (const s of [client, db]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(db).pipe(client);
    client.on('close', () => db.destroy());
    db.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const via = new URL(databaseUrl);
  via.hostname = '127.0.0.1';
  via.port = String((server.address() as net.AddressInfo).port);
  return {
    url: via.toString(),
    cut() {
      state.down = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      state.down = false;
    },
    get refused() {
      return state.refused;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A database of its own for one run, dropped with everything in it by `drop`. */
export async function createScratchDatabase(
  databaseUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `fh_chaos_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

export interface StoredTurn {
  status: string;
  errorCode: string | null;
  /** The stored events, in seq order: [seq, type]. */
  events: [number, string][];
}

/** What the store holds for one investigation, read directly (not through the gateway). */
export async function readTurn(databaseUrl: string, investigationId: string): Promise<StoredTurn> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const inv = await db.query<{ status: string; error_code: string | null }>(
      'SELECT status, error_code FROM investigations WHERE id = $1',
      [investigationId],
    );
    const events = await db.query<{ seq: number; type: string }>(
      'SELECT seq, type FROM events WHERE investigation_id = $1 ORDER BY seq',
      [investigationId],
    );
    return {
      status: inv.rows[0]?.status ?? 'missing',
      errorCode: inv.rows[0]?.error_code ?? null,
      events: events.rows.map((r) => [Number(r.seq), r.type]),
    };
  } finally {
    await db.end();
  }
}

/**
 * Host processes of a local sandbox (the manager passes SANDBOX_ID in each one's environment), with
 * their descendants: an isolation driver (gVisor's sentry and gofer) runs the executor in children
 * that do not carry the sandbox's environment.
 */
export function sandboxPids(sandboxId: string): number[] {
  const marker = `SANDBOX_ID=${sandboxId}\0`;
  const pids = new Set<number>();
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(marker)) pids.add(Number(entry));
      // stat: "pid (comm) state ppid ...", comm may hold spaces and parentheses.
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, parent] of parents)
      if (!pids.has(pid) && pids.has(parent)) {
        pids.add(pid);
        grew = true;
      }
  }
  return [...pids];
}

/** Sends `signal` to each pid that still exists. */
export function signal(pids: readonly number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // Already gone.
    }
  }
}
