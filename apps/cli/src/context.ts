// What every command gets: the UI, the environment, and the gateway client built from the global
// flags, the environment and the config file (built on first use: login and replay need none).
import { GatewayClient } from './client/gateway';
import { resolveConnection } from './config/resolve';
import { usageError } from './errors';
import { createUi, type Ui } from './ui';

export interface GlobalFlags {
  server?: string;
  json?: boolean;
  color?: boolean;
  timeout?: string;
  maxEventMb?: string;
}

export interface Context {
  ui: Ui;
  env: NodeJS.ProcessEnv;
  flags: GlobalFlags;
  client(): GatewayClient;
}

function positive(raw: string | undefined, name: string, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > max) throw usageError(`${name} must be a number between 0 and ${max}`);
  return value;
}

export function createContext(flags: GlobalFlags, env: NodeJS.ProcessEnv): Context {
  const ui = createUi({ json: Boolean(flags.json), color: flags.color !== false, env });
  const timeoutS = positive(flags.timeout, '--timeout', 3600);
  const maxEventMb = positive(flags.maxEventMb, '--max-event-mb', 1024);
  let client: GatewayClient | undefined;
  return {
    ui,
    env,
    flags,
    client() {
      client ??= new GatewayClient(resolveConnection(flags, env), {
        ...(timeoutS ? { timeoutMs: timeoutS * 1000 } : {}),
        ...(maxEventMb ? { maxEventBytes: maxEventMb * 1024 * 1024 } : {}),
      });
      return client;
    },
  };
}
