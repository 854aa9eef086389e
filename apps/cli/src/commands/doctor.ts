// foxhound doctor: what works and what does not, one line per check, in the order a problem would
// be found: config file, the gateway answering, it being ready (store, sandbox-manager), the
// credential accepted, and the role with what it allows. Exit 0 only when every check passed.
import { type WhoAmI } from '@foxhound/contracts';
import { readUserConfig } from '../config/file';
import { configPath } from '../config/paths';
import { oneLine } from '../errors';
import { EXIT } from '../exit-codes';
import { type Context } from '../context';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export async function doctor(ctx: Context): Promise<number> {
  const checks: Check[] = [];
  const s = ctx.ui.style;
  const record = (check: Check) => {
    checks.push(check);
    ctx.ui.say(`${check.ok ? s.green('✓') : s.red('✗')} ${check.name.padEnd(12)} ${check.detail}`);
  };
  const file = configPath(ctx.env);
  try {
    const config = readUserConfig(file);
    record({ name: 'config', ok: true, detail: config.server ? `${file} (server ${config.server})` : `${file} not written yet (foxhound login)` });
  } catch (err) {
    record({ name: 'config', ok: false, detail: oneLine(err) });
  }
  let exit: number = EXIT.ok;
  try {
    const client = ctx.client();
    const ready = await client.ready().catch((err: unknown) => {
      record({ name: 'reachable', ok: false, detail: oneLine(err) });
      exit = EXIT.unreachable;
      return undefined;
    });
    if (ready) {
      record({ name: 'reachable', ok: true, detail: client.server });
      record({ name: 'ready', ok: ready.ok, detail: ready.detail });
      let me: WhoAmI | undefined;
      try {
        me = await client.whoami();
        record({ name: 'credential', ok: true, detail: `accepted: ${me.id} via ${me.via}` });
      } catch (err) {
        record({ name: 'credential', ok: false, detail: oneLine(err) });
        exit = EXIT.auth;
      }
      if (me) record({ name: 'role', ok: true, detail: `${me.role}: ${me.permissions.join(', ')}` });
      if (!ready.ok && exit === EXIT.ok) exit = EXIT.server;
    }
  } catch (err) {
    record({ name: 'server', ok: false, detail: oneLine(err) });
    exit = EXIT.usage;
  }
  ctx.ui.emit({ ok: checks.every((c) => c.ok), checks });
  return checks.every((c) => c.ok) ? EXIT.ok : exit === EXIT.ok ? EXIT.failed : exit;
}
