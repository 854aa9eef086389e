// The user config file: the gateway URL and the credential `foxhound login` stored. It holds a
// secret, so it is written 0600 in a 0700 directory (atomically, through a temp file created with that
// mode), and a file others can read is refused, as ssh refuses a readable private key.
import { chmodSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';

export interface UserConfig {
  server?: string;
  /** An API key (fh_...) or a JWT, sent as a bearer token. */
  credential?: string;
}

/** Bigger than any config a human writes; a larger file is not ours. */
const MAX_CONFIG_BYTES = 64 * 1024;

export function readUserConfig(file: string): UserConfig {
  let stat;
  try {
    stat = statSync(file);
  } catch {
    return {};
  }
  if ((stat.mode & 0o077) !== 0)
    throw new CliError(
      `${file} is readable by other users (mode ${(stat.mode & 0o777).toString(8)}); run: chmod 600 ${file}`,
      EXIT.usage,
    );
  if (stat.size > MAX_CONFIG_BYTES) throw new CliError(`${file} is larger than 64 KiB; not a foxhound config`, EXIT.usage);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CliError(`${file} is not valid JSON; fix it or run foxhound login again`, EXIT.usage, { cause: err });
  }
  if (typeof parsed !== 'object' || parsed === null) throw new CliError(`${file} is not a JSON object`, EXIT.usage);
  const { server, credential } = parsed as Record<string, unknown>;
  return {
    ...(typeof server === 'string' ? { server } : {}),
    ...(typeof credential === 'string' ? { credential } : {}),
  };
}

export function writeUserConfig(file: string, config: UserConfig): void {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = path.join(dir, `.config.${process.pid}.${Date.now()}.json`);
  // 'wx' with mode 0600: the secret is never in a file with a wider mode, not even for a moment.
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(config, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
  try {
    chmodSync(temp, 0o600);
    renameSync(temp, file);
  } catch (err) {
    unlinkSync(temp);
    throw err;
  }
}
