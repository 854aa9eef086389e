// The store's options as one zod schema, so the gateway can embed it in its own config and a bad value
// fails at startup with the field's name. DATABASE_URL selects PostgreSQL; otherwise PGlite.
import { z } from 'zod';
import { SCHEMA_NAME_PATTERN } from './db/database';

export const StoreOptionsSchema = z
  .object({
    /** `postgres://` or `postgresql://` URL (DATABASE_URL): use PostgreSQL through a pg pool. */
    databaseUrl: z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    /** PGlite's data directory; in memory when neither this nor databaseUrl is set. */
    dataDir: z.string().min(1).optional(),
    /** Schema to keep the tables in (created if missing); the driver's default (public) when unset. */
    schema: z.string().regex(SCHEMA_NAME_PATTERN, 'must be a lower-case SQL identifier').optional(),
    poolMax: z.number().int().min(1).max(100).default(10),
    connectTimeoutMs: z.number().int().min(100).max(60_000).default(5_000),
    statementTimeoutMs: z.number().int().min(100).max(600_000).default(30_000),
    /** Apply pending migrations on open. Default true. */
    migrate: z.boolean().default(true),
  })
  .superRefine((o, ctx) => {
    if (o.databaseUrl && o.dataDir) {
      ctx.addIssue({
        code: 'custom',
        path: ['dataDir'],
        message: 'set databaseUrl (DATABASE_URL, PostgreSQL) or dataDir (PGlite), not both',
      });
    }
  });
export type StoreOptions = z.input<typeof StoreOptionsSchema>;
