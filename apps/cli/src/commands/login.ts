// foxhound login --server URL: asks for the credential (hidden on a TTY, or read from stdin in a
// pipe), checks it with GET /v1/whoami, and only then stores server and credential in the config file
// (0600). A refused credential is never written.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { GatewayClient } from '../client/gateway';
import { writeUserConfig } from '../config/file';
import { configPath } from '../config/paths';
import { ENV, parseServerUrl } from '../config/resolve';
import { usageError } from '../errors';
import { type Context } from '../context';

const MAX_CREDENTIAL_BYTES = 16 * 1024;

async function readCredential(ctx: Context): Promise<string> {
  const fromEnv = ctx.env[ENV.credential];
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) {
    // Echo off: the prompt is written, the typed key is not.
    let muted = false;
    const output = new Writable({
      write(chunk, _enc, done) {
        if (!muted) process.stderr.write(chunk);
        done();
      },
    });
    const rl = createInterface({ input: process.stdin, output, terminal: true });
    const answer = new Promise<string>((resolve) => rl.question('API key or token (empty for an open gateway): ', resolve));
    muted = true;
    const value = await answer;
    rl.close();
    process.stderr.write('\n');
    return value.trim();
  }
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.length > MAX_CREDENTIAL_BYTES) throw usageError('the credential on stdin is larger than 16 KiB');
  }
  return text.trim();
}

export async function login(ctx: Context, options: { server?: string }): Promise<number> {
  const raw = options.server ?? ctx.flags.server ?? ctx.env[ENV.server];
  if (!raw) throw usageError('foxhound login needs --server URL');
  const server = parseServerUrl(raw);
  const credential = await readCredential(ctx);
  if (/\s/.test(credential)) throw usageError('the credential must be one word (an fh_ API key or a JWT)');
  const client = new GatewayClient({ server, ...(credential ? { credential } : {}) });
  const me = await client.whoami();
  const file = configPath(ctx.env);
  writeUserConfig(file, { server, ...(credential ? { credential } : {}) });
  ctx.ui.emit({ server, config: file, ...me });
  ctx.ui.say(`logged in to ${server} as ${me.id} (${me.role}); saved to ${file}`);
  return 0;
}
