// CLI benchmark: what `foxhound investigate` costs over reading the raw HTTP stream, side by side in
// one run on the whole stack (make up's, from dist/: run `make build` first). Each round runs the
// same follow-up turn on one warm thread four ways, interleaved so drift hits all alike:
//   raw in-process   POST /investigate read to the end with fetch in this process (the floor)
//   raw process      the same in a fresh `node` child (node's start-up, no CLI)
//   cli --json       `foxhound --json investigate --thread T` (commander, config, raw events out)
//   cli rendered     `foxhound investigate --thread T` (the terminal rendering and the report)
// Wall time from start (spawn) to the end of the stream (process exit). Prints median and p90 and
// each variant's ratio to both raw baselines.
//
//   node --conditions=@foxhound/source -r ./tools/ts-run.cjs tools/bench/cli/overhead.ts
//   BENCH_TURNS=10 (default), BENCH_SCENARIO=quota-blocks-admission
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startStack } from '@foxhound/stack';

const TURNS = Number(process.env.BENCH_TURNS ?? 10);
const SCENARIO = process.env.BENCH_SCENARIO ?? 'quota-blocks-admission';
const root = path.resolve(__dirname, '../../..');
const cli = path.join(root, 'apps/cli/bin/foxhound.cjs');

/** Reads POST /investigate to its end with fetch; the baseline both raw variants run. */
const RAW_SCRIPT = `
const [url, body] = process.argv.slice(1);
fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
  .then(async (r) => { if (r.status !== 200) throw new Error('HTTP ' + r.status); for await (const _ of r.body) void _; })
  .then(() => process.exit(0), (e) => { console.error(e.message); process.exit(1); });
`;

async function rawInProcess(url: string, body: string): Promise<number> {
  const started = process.hrtime.bigint();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
  for await (const chunk of response.body!) void chunk;
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function timedProcess(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.once('error', reject);
    child.once('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code === 0) resolve(ms);
      else reject(new Error(`${args.slice(0, 3).join(' ')} exited ${code}: ${stderr.slice(0, 300)}`));
    });
  });
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function main() {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'fh-bench-cli-'));
  const home = mkdtempSync(path.join(tmpdir(), 'fh-bench-cli-home-'));
  const stack = await startStack({
    root,
    mode: 'dist',
    stateDir,
    scenarios: [path.join(root, 'scenarios', SCENARIO)],
    authMode: 'open',
    gatewayDataDir: 'memory',
    warmPoolSize: 1,
    logLevel: 'warn',
    env: { GATEWAY_RATE_LIMIT_PER_MINUTE: '100000' },
    onProgress: (m) => console.log(`  ${m} ...`),
  });
  try {
    const thread = `bench-cli-${process.pid}`;
    const prompt = 'what is wrong in orders?';
    const url = `${stack.urls.gateway}/investigate`;
    const body = JSON.stringify({ prompt, namespaces: ['orders'], thread_id: thread });
    const env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: home, FOXHOUND_SERVER: stack.urls.gateway, NO_COLOR: '1' };
    const cliArgs = ['investigate', '--thread', thread, '-n', 'orders', prompt];
    const variants: [string, () => Promise<number>][] = [
      ['raw in-process', () => rawInProcess(url, body)],
      ['raw process', () => timedProcess(['-e', RAW_SCRIPT, url, body], env)],
      ['cli --json', () => timedProcess([cli, '--json', ...cliArgs], env)],
      ['cli rendered', () => timedProcess([cli, ...cliArgs], env)],
    ];
    // Warm the thread's sandbox, the JIT and the page cache once each way.
    for (const [, run] of variants) await run();
    const times = new Map(variants.map(([name]) => [name, [] as number[]]));
    for (let i = 0; i < TURNS; i++) {
      // Rotate the order each round so no variant always runs first after the previous turn.
      for (let j = 0; j < variants.length; j++) {
        const [name, run] = variants[(i + j) % variants.length]!;
        times.get(name)!.push(await run());
      }
    }
    const median = (name: string) => percentile(times.get(name)!, 50);
    console.log(`\nfoxhound investigate vs the raw HTTP stream: ${TURNS} follow-up turns each on one warm thread, ${SCENARIO}`);
    console.log('variant          median ms   p90 ms   x raw in-process   x raw process');
    for (const [name] of variants) {
      const m = median(name);
      console.log(
        `${name.padEnd(16)} ${m.toFixed(0).padStart(9)} ${percentile(times.get(name)!, 90).toFixed(0).padStart(8)}` +
          `   ${(m / median('raw in-process')).toFixed(2).padStart(16)}   ${(m / median('raw process')).toFixed(2).padStart(13)}`,
      );
    }
    console.log(
      `\nCLI overhead over a bare node process reading the same stream: +${(median('cli --json') - median('raw process')).toFixed(0)} ms (--json), +${(median('cli rendered') - median('raw process')).toFixed(0)} ms (rendered, with the report fetch)`,
    );
  } finally {
    await stack.stop();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
