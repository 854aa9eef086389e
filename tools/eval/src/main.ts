// The eval CLI: `eval [--scenarios <dir>]... [--engine diagnostics] [--json] [--threshold 0..1]`.
// Prints the table (or JSON for CI) and exits 1 when the pass rate is under the threshold, 2 on bad
// arguments.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ENGINES } from './engines';
import { resolveScenarioDirs, runEval } from './run';
import { formatTable } from './table';

const ArgsSchema = z.object({
  scenarios: z.array(z.string().min(1)).min(1),
  engine: z.enum(Object.keys(ENGINES) as [string, ...string[]]),
  json: z.boolean(),
  threshold: z.coerce.number().min(0).max(1),
});

export type EvalArgs = z.infer<typeof ArgsSchema>;

function defaultScenarios(): string {
  const fromCwd = resolve('scenarios');
  return existsSync(fromCwd) ? fromCwd : resolve(__dirname, '../../../scenarios');
}

export function parseCliArgs(argv: string[]): EvalArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      scenarios: { type: 'string', multiple: true },
      engine: { type: 'string', default: 'diagnostics' },
      json: { type: 'boolean', default: false },
      threshold: { type: 'string', default: '1' },
    },
    strict: true,
  });
  const parsed = ArgsSchema.safeParse({ ...values, scenarios: values.scenarios ?? [defaultScenarios()] });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`--${String(issue.path[0])}: ${issue.message}`);
  }
  return parsed.data;
}

async function main(): Promise<number> {
  let args: EvalArgs;
  try {
    args = parseCliArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`eval: ${err instanceof Error ? err.message : String(err)}`);
    console.error('usage: eval [--scenarios <dir>]... [--engine diagnostics] [--json] [--threshold 0..1]');
    return 2;
  }
  const dirs = await resolveScenarioDirs(args.scenarios);
  if (!dirs.length) {
    console.error(`eval: no scenario directories under ${args.scenarios.join(', ')}`);
    return 2;
  }
  const result = await runEval(
    ENGINES[args.engine],
    dirs,
    args.json ? undefined : (c) => console.error(`${c.verdict.padEnd(5)} ${c.name}`),
  );
  console.log(
    args.json ? JSON.stringify({ ...result, threshold: args.threshold }, null, 2) : formatTable(result),
  );
  return result.passRate >= args.threshold ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => (process.exitCode = code),
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
