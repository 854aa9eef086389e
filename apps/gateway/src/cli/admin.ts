// Admin CLI against the gateway's store (the same DATABASE_URL / GATEWAY_DATA_DIR the gateway reads):
//   node dist/cli/admin.js keys create --name alertmanager --role investigator
//   node dist/cli/admin.js keys list [--all]
//   node dist/cli/admin.js keys revoke <id>
// The audit chain is verified by the store's own CLI (`node libs/store/dist/cli.js verify-audit`) or
// by GET /v1/audit/verify.
// PGlite allows one process at a time: with the embedded store, stop the gateway first (or use the
// HTTP API: POST /v1/keys). Exit codes: 0 ok, 1 failure, 2 usage.
import { parseArgs } from 'node:util';
import { RoleSchema } from '@foxhound/contracts';
import { loadConfig } from '@foxhound/service-kit';
import { createStore, type Store } from '@foxhound/store';
import { z } from 'zod';
import { GatewayConfigSchema } from '../config/schema';

const { DATABASE_URL, GATEWAY_DATA_DIR } = GatewayConfigSchema.shape;
const StoreEnvSchema = z.object({ DATABASE_URL, GATEWAY_DATA_DIR });

const USAGE = `usage:
  admin keys create --name <name> --role <viewer|investigator|approver|admin> [--expires <ISO time>]
  admin keys list [--all]
  admin keys revoke <id>`;

class UsageError extends Error {}

async function run(argv: string[], store: Store): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      expires: { type: 'string' },
      all: { type: 'boolean' },
    },
  });
  const [area, command, arg] = positionals;
  if (area === 'keys' && command === 'create') {
    const role = RoleSchema.safeParse(values.role);
    if (!values.name || !role.success) throw new UsageError('keys create needs --name and a valid --role');
    const created = await store.apiKeys.create({
      name: values.name,
      role: role.data,
      createdBy: 'admin-cli',
      expiresAt: values.expires,
    });
    console.log(
      `created ${created.apiKey.id} (${created.apiKey.role}); the key is shown once, store it now:`,
    );
    console.log(created.key);
    return 0;
  }
  if (area === 'keys' && command === 'list') {
    const keys = await store.apiKeys.list({ includeRevoked: values.all === true });
    for (const k of keys) {
      console.log(
        [
          k.id,
          k.prefix,
          k.role,
          k.name,
          k.createdAt,
          k.lastUsedAt ?? '-',
          k.revokedAt ? `revoked ${k.revokedAt}` : 'active',
        ].join('\t'),
      );
    }
    return 0;
  }
  if (area === 'keys' && command === 'revoke' && arg) {
    const revoked = await store.apiKeys.revoke(arg, 'admin-cli');
    console.log(revoked ? `revoked ${arg}` : `no active key ${arg}`);
    return revoked ? 0 : 1;
  }
  throw new UsageError(`unknown command: ${positionals.join(' ') || '(none)'}`);
}

async function main(): Promise<void> {
  let env: z.infer<typeof StoreEnvSchema>;
  try {
    env = loadConfig(StoreEnvSchema);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  }
  const store = await createStore(
    env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: env.GATEWAY_DATA_DIR },
  );
  let code = 1;
  try {
    code = await run(process.argv.slice(2), store);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(USAGE);
      code = 2;
    }
  } finally {
    await store.close();
  }
  process.exit(code);
}

void main();
