// Applies pending migrations in order, in one transaction, under an advisory lock so that two processes
// starting at once against the same PostgreSQL cannot both apply them. Each applied migration is
// recorded with a checksum, and an applied migration whose text changed stops the store from starting.
import { createHash } from 'node:crypto';
import { type Database, type Queryable } from '../db/database';
import { StoreConflictError } from '../errors';
import { initial } from './001-initial';
import { durability } from './002-durability';
import { replicas } from './003-replicas';
import { type Migration } from './migration';

export const MIGRATIONS: readonly Migration[] = [initial, durability, replicas];

export interface MigrationResult {
  /** Versions applied by this call, in order; empty when the schema was up to date. */
  applied: number[];
}

const checksum = (m: Migration) => createHash('sha256').update(m.sql).digest('hex');

export async function migrate(
  db: Database,
  options: { schema?: string; migrations?: readonly Migration[] } = {},
): Promise<MigrationResult> {
  const migrations = [...(options.migrations ?? MIGRATIONS)].sort((a, b) => a.version - b.version);
  return db.transaction(async (tx) => {
    // Per schema, so test runs in their own schemas do not wait for each other.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `foxhound:migrate:${options.schema ?? ''}`,
    ]);
    // Safe to splice: the store validates the name against SCHEMA_NAME_PATTERN.
    if (options.schema) await tx.exec(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const recorded = await appliedChecksums(tx);
    const applied: number[] = [];
    for (const migration of migrations) {
      const sum = checksum(migration);
      const previous = recorded.get(migration.version);
      if (previous !== undefined) {
        if (previous !== sum) {
          throw new StoreConflictError(
            `migration ${migration.version} (${migration.name}) changed after it was applied; ` +
              'add a new migration instead of editing a released one',
          );
        }
        continue;
      }
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        sum,
      ]);
      applied.push(migration.version);
    }
    return { applied };
  });
}

async function appliedChecksums(tx: Queryable): Promise<Map<number, string>> {
  const { rows } = await tx.query<{ version: number; checksum: string }>(
    'SELECT version, checksum FROM schema_migrations',
  );
  return new Map(rows.map((r) => [Number(r.version), r.checksum]));
}
