// The eval CLI. `eval [flags]` scores engines over the scenario lanes, prints a table per engine and
// lane and the lane summary, and writes the JSON report; `eval calibrate [--out FILE]` measures how
// often each root-cause class is right and writes the table the diagnostics report reads. Exit 0 when
// every engine's plain lane meets the threshold and every lane is within 5 points of plain, 1 when
// not, 2 on bad arguments or no scenarios.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { CALIBRATION_FILE, calibrate, formatCalibration } from './calibrate';
import { type Engine } from './engine';
import { OFFLINE_ENGINES } from './engines';
import { CLAUDE_ENGINE, claudeEngine } from './engines/claude';
import { evaluate } from './evaluate';
import { LANES, type Lane } from './lanes';
import { type Recorder, startRecorder } from './claude/recorder';
import { buildReport } from './report';
import { type EvalResult } from './run';
import { readScenarios, resolveScenarioDirs } from './scenarios';
import { formatSummary, formatTable, laneVerdicts } from './table';

const ENGINE_NAMES: [string, ...string[]] = [CLAUDE_ENGINE, ...Object.keys(OFFLINE_ENGINES)];

const ArgsSchema = z.object({
  command: z.enum(['run', 'calibrate']),
  scenarios: z.array(z.string().min(1)).min(1),
  engine: z.array(z.enum(ENGINE_NAMES)).min(1),
  lanes: z.array(z.enum(LANES)).min(1),
  json: z.boolean(),
  out: z.string().min(1),
  threshold: z.coerce.number().min(0).max(1),
  repeat: z.coerce.number().int().min(1).max(20),
  maxCost: z.coerce.number().positive().optional(),
  ablate: z.array(z.string().regex(/^[a-z_]+$/, 'a tool name')).default([]),
  record: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  healthy: z.string().min(1).optional(),
});

export type EvalArgs = z.infer<typeof ArgsSchema>;

function repoPath(path: string): string {
  const fromCwd = resolve(path);
  return existsSync(fromCwd) ? fromCwd : resolve(__dirname, '../../..', path);
}

export function parseCliArgs(argv: string[]): EvalArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      scenarios: { type: 'string', multiple: true },
      engine: { type: 'string', multiple: true },
      lanes: { type: 'string' },
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
      threshold: { type: 'string', default: '1' },
      repeat: { type: 'string', default: '1' },
      'max-cost': { type: 'string' },
      ablate: { type: 'string', multiple: true },
      record: { type: 'string' },
      model: { type: 'string' },
      healthy: { type: 'string' },
    },
    strict: true,
  });
  if (positionals.length > 1) throw new Error(`unexpected arguments: ${positionals.slice(1).join(' ')}`);
  const command = positionals[0] ?? 'run';
  const parsed = ArgsSchema.safeParse({
    command,
    scenarios: values.scenarios ?? [repoPath('scenarios'), repoPath('tools/eval/scenarios')],
    engine: values.engine ?? (command === 'calibrate' ? ['diagnostics'] : ['diagnostics', 'agent-offline']),
    lanes: values.lanes?.split(',').map((l) => l.trim()) ?? [...LANES],
    json: values.json,
    out:
      values.out ??
      (command === 'calibrate' ? repoPath(CALIBRATION_FILE) : resolve('.foxhound/eval/report.json')),
    threshold: values.threshold,
    repeat: values.repeat,
    maxCost: values['max-cost'],
    ablate: values.ablate,
    record: values.record,
    model: values.model,
    healthy: values.healthy,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`--${String(issue.path[0])}: ${issue.message}`);
  }
  const args = parsed.data;
  const modelOnly = args.ablate.length || args.record || args.model || args.maxCost !== undefined;
  if (modelOnly && !args.engine.includes(CLAUDE_ENGINE))
    throw new Error(`--ablate, --record, --model and --max-cost apply to --engine ${CLAUDE_ENGINE} only`);
  return args;
}

interface Built {
  engines: Engine[];
  recorder?: Recorder;
}

async function buildEngines(args: EvalArgs, env: NodeJS.ProcessEnv): Promise<Built> {
  const engines: Engine[] = [];
  let recorder: Recorder | undefined;
  for (const name of args.engine) {
    if (name !== CLAUDE_ENGINE) {
      engines.push(OFFLINE_ENGINES[name]!);
      continue;
    }
    const apiKey = env.ANTHROPIC_API_KEY;
    if (!apiKey) throw new Error(`--engine ${CLAUDE_ENGINE} needs ANTHROPIC_API_KEY`);
    const upstream = env.ANTHROPIC_BASE_URL || 'https://api.anthropic.com';
    if (args.record) recorder = await startRecorder({ upstream, dir: resolve(args.record) });
    engines.push(
      claudeEngine({
        apiKey,
        baseURL: recorder?.url ?? env.ANTHROPIC_BASE_URL,
        model: args.model,
        withoutTools: args.ablate,
      }),
    );
  }
  return { engines, recorder };
}

/** Runs the command; returns the exit code. `env` and `log` are injectable for tests. */
export async function runCli(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  log: { out: (s: string) => void; err: (s: string) => void } = { out: console.log, err: console.error },
): Promise<number> {
  let args: EvalArgs;
  try {
    args = parseCliArgs(argv);
  } catch (err) {
    log.err(`eval: ${err instanceof Error ? err.message : String(err)}`);
    log.err(
      'usage: eval [calibrate] [--scenarios <dir>]... [--engine diagnostics|agent-offline|agent-claude]... [--lanes plain,renamed,neutral,noise,merged] [--json] [--out FILE] [--threshold 0..1] [--repeat N] [--max-cost USD] [--ablate <tool>]... [--record DIR] [--model ID]',
    );
    return 2;
  }
  const dirs = await resolveScenarioDirs(args.scenarios);
  if (!dirs.length) {
    log.err(`eval: no scenario directories under ${args.scenarios.join(', ')}`);
    return 2;
  }
  const now = new Date();
  const scenarios = await readScenarios(dirs, now);
  const healthyName = args.healthy ? undefined : 'healthy-namespace';
  const healthy = args.healthy
    ? (await readScenarios([args.healthy], now)).contents[0]
    : scenarios.contents.find((c) => c.name === healthyName);

  if (args.command === 'calibrate') {
    const table = await calibrate({ scenarios, healthy, now });
    await mkdir(dirname(args.out), { recursive: true });
    await writeFile(args.out, formatCalibration(table));
    log.out(
      `calibration of ${table.classes.length} root-cause classes over ${table.cases} cases written to ${args.out}`,
    );
    return 0;
  }

  let built: Built;
  try {
    built = await buildEngines(args, env);
  } catch (err) {
    log.err(`eval: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  let results: EvalResult[];
  try {
    results = await evaluate({
      engines: built.engines,
      lanes: args.lanes as Lane[],
      scenarios,
      healthy,
      now,
      repeat: args.repeat,
      maxCostUsd: args.maxCost,
      onTurn: built.recorder
        ? (c, turn) => built.recorder!.label(`${c.lane}-${c.name}-turn${turn}`)
        : undefined,
      onCase: args.json ? undefined : (c) => log.err(`${c.verdict.padEnd(7)} ${c.lane.padEnd(8)} ${c.name}`),
    });
  } finally {
    await built.recorder?.close();
  }
  const report = buildReport(results, { threshold: args.threshold, scenarios: dirs.length });
  await mkdir(dirname(args.out), { recursive: true });
  await writeFile(args.out, `${JSON.stringify(report, null, 2)}\n`);
  if (args.json) log.out(JSON.stringify(report, null, 2));
  else log.out([...results.map(formatTable), formatSummary(results), `report: ${args.out}`].join('\n\n'));
  if (built.recorder)
    log.err(`transcripts: ${built.recorder.written.length} model calls in ${resolve(args.record!)}`);
  const plainOk = results.filter((r) => r.lane === 'plain').every((r) => r.passRate >= args.threshold);
  return plainOk && laneVerdicts(results).every((v) => v.ok) ? 0 : 1;
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
