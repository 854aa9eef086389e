#!/usr/bin/env node
// foxhound-store: operator commands against the gateway's database. `verify-audit` walks the audit
// hash chain and exits 1 naming the first broken entry; `migrate` applies pending migrations.
// PostgreSQL comes from DATABASE_URL; PGlite from --data-dir (stop the gateway first: PGlite allows
// one process per directory; while it runs, use the gateway's GET /v1/audit/verify instead).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { migrate } from './migrations/migrate';
import { createStore } from './store';
import { StoreInputError } from './errors';

const USAGE = `Usage: foxhound-store <verify-audit | migrate> [--data-dir DIR] [--schema NAME] [--json]

  verify-audit  walk the audit chain; exit 0 when intact, 1 naming the first broken entry
  migrate       apply pending migrations; print the versions applied

Database: DATABASE_URL (postgres://...) or --data-dir (PGlite directory, e.g. GATEWAY_DATA_DIR).`;

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { 'data-dir': { type: 'string' }, schema: { type: 'string' }, json: { type: 'boolean' } },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command, ...extra] = parsed.positionals;
  const { 'data-dir': dataDir, schema, json } = parsed.values;
  if ((command !== 'verify-audit' && command !== 'migrate') || extra.length > 0) {
    console.error(USAGE);
    return 2;
  }
  if (!env.DATABASE_URL && !dataDir) {
    console.error(`Set DATABASE_URL or pass --data-dir.\n\n${USAGE}`);
    return 2;
  }

  // PGlite would create an empty database at a mistyped path; refuse instead.
  if (!env.DATABASE_URL && dataDir && !existsSync(join(dataDir, 'PG_VERSION'))) {
    console.error(`No PGlite database in ${dataDir}.`);
    return 2;
  }
  const options = { databaseUrl: env.DATABASE_URL, dataDir, schema, migrate: false };
  let store;
  try {
    store = await createStore(options);
  } catch (err) {
    console.error(`cannot open the database: ${(err as Error).message}`);
    return err instanceof StoreInputError ? 2 : 1;
  }
  try {
    if (command === 'migrate') {
      const { applied } = await migrate(store.db, { schema });
      console.log(applied.length ? `applied migrations ${applied.join(', ')}` : 'schema is up to date');
      return 0;
    }
    const result = await store.audit.verify();
    if (json) console.log(JSON.stringify(result));
    else if (result.ok) {
      console.log(
        `audit chain intact: ${result.checked} entries, head ${result.head.seq} ${result.head.hash}`,
      );
    } else {
      const b = result.broken;
      console.log(`audit chain BROKEN at entry ${b?.seq} (${b?.reason}): ${b?.detail}`);
    }
    return result.ok ? 0 : 1;
  } catch (err) {
    console.error(`${command} failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).then((code) => process.exit(code));
}
