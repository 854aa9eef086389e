// Environment configuration: one zod schema per service whose keys are the env var names, parsed
// once at startup. A bad value fails fast with a message naming the variable, and main() exits 2.
import { z } from 'zod';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Parses `env` with `schema`. Empty strings count as unset, so `FOO=` falls back to the default
 * instead of failing a number or enum check. Secret values are never echoed in error messages.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: Env = process.env): z.infer<S> {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const variable = issue.path.length > 0 ? issue.path.join('.') : '(configuration)';
    const shown =
      typeof issue.path[0] === 'string' && !isSecretName(issue.path[0]) ? input[issue.path[0]] : undefined;
    return shown === undefined
      ? `${variable}: ${issue.message}`
      : `${variable}: ${issue.message} (got "${shown}")`;
  });
  throw new ConfigError(problems);
}

const isSecretName = (name: string): boolean => /TOKEN|SECRET|KEY|PASSWORD|DATABASE_URL/i.test(name);

/** Field helpers for env schemas: every env value arrives as a string. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  int: (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
    z.coerce.number().int().min(min).max(max).default(fallback),
  number: (fallback: number, min = 0, max = Number.MAX_VALUE) =>
    z.coerce.number().min(min).max(max).default(fallback),
  bool: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
      .transform((v) => v === 'true' || v === '1' || v === 'yes')
      .default(fallback),
  /** Comma-separated list; surrounding whitespace and empty items are dropped. */
  list: (fallback: string[] = []) =>
    z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s.length > 0),
      )
      .default(fallback),
  url: () => z.url({ protocol: /^https?$/, message: 'expected an http(s) URL' }),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** A bearer token: long enough that guessing is hopeless. */
  token: () => z.string().min(16, 'must be at least 16 characters'),
};

/** The variables every Foxhound service reads. Services extend this schema with their own. */
export const baseServiceEnvShape = {
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: env.logLevel(),
  /** How long SIGTERM waits for in-flight requests and open streams before closing them. */
  SHUTDOWN_TIMEOUT_SECONDS: env.int(25, 0, 3600),
};
