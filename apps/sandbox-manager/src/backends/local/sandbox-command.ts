// The program each local sandbox runs. LOCAL_SANDBOX_COMMAND is a JSON array of argv or words
// split on spaces (no shell, so no quoting surprises). The default is the built executor
// (apps/executor/dist/main.js: `make build` first). Tests run the probe server in sandbox-programs/,
// which serves /healthz and reports what it can see and do from inside the sandbox.
import path from 'node:path';
import { z } from 'zod';

/** The executor's entry point, resolved from the manager's src/ or dist/ alike. */
export const EXECUTOR_MAIN_PATH = path.resolve(__dirname, '../../../../executor/dist/main.js');

/** The probe sandbox program the tests run. */
export const PROBE_SERVER_PATH = path.resolve(__dirname, '../../../sandbox-programs/probe-server.js');

const ArgvSchema = z.array(z.string().min(1)).min(1).max(64);

export function parseSandboxCommand(value: string | undefined): string[] {
  if (value === undefined) return [process.execPath, EXECUTOR_MAIN_PATH];
  const trimmed = value.trim();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new Error('looks like a JSON array but does not parse');
    }
    const argv = ArgvSchema.safeParse(parsed);
    if (!argv.success) throw new Error('expected a JSON array of 1-64 non-empty strings');
    return argv.data;
  }
  const words = trimmed.split(/\s+/).filter((word) => word.length > 0);
  if (words.length === 0) throw new Error('must name a program');
  return words;
}
