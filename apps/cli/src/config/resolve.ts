// Which gateway and credential a command uses: the --server flag, else FOXHOUND_SERVER, else the
// config file; the credential from FOXHOUND_API_KEY, else the config file (never a flag, so it does
// not end up in shell history or `ps`).
import { usageError } from '../errors';
import { readUserConfig } from './file';
import { configPath } from './paths';

export const ENV = {
  server: 'FOXHOUND_SERVER',
  credential: 'FOXHOUND_API_KEY',
} as const;

export interface Connection {
  server: string;
  credential?: string;
}

/** A gateway base URL, http(s) only, without a trailing slash. */
export function parseServerUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw usageError(`--server must be a URL such as http://127.0.0.1:8000, not "${raw.slice(0, 100)}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw usageError(`--server must be an http:// or https:// URL, not ${url.protocol}`);
  if (url.username || url.password) throw usageError('--server must not carry credentials; use foxhound login');
  return url.toString().replace(/\/+$/, '');
}

export function resolveConnection(flags: { server?: string }, env: NodeJS.ProcessEnv): Connection {
  const file = readUserConfig(configPath(env));
  const server = flags.server ?? env[ENV.server] ?? file.server;
  if (!server)
    throw usageError(`no gateway configured: run foxhound login --server URL, or set ${ENV.server}`);
  const credential = env[ENV.credential] || file.credential;
  return { server: parseServerUrl(server), ...(credential ? { credential } : {}) };
}
