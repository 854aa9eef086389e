// Gateway benchmark (1): end-to-end investigation latency through gateway → router → executor vs
// calling the same executor directly, interleaved in one run on the whole stack (make up's, from
// dist/: run `make build` first). Time is from the request to the `result` event. Also reports a new
// thread (sandbox acquisition from the warm pool included) through the gateway.
//
//   node --conditions=@foxhound/source -r ./tools/ts-run.cjs tools/bench/gateway/latency.ts
//   BENCH_TURNS=15 (default), BENCH_SCENARIO=quota-blocks-admission,
//   BENCH_DATABASE_URL=postgres://... to run the gateway on PostgreSQL instead of embedded PGlite
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type SandboxDescriptor, type StreamEvent } from '@foxhound/contracts';
import { openEventStream } from '@foxhound/service-kit';
import { startStack } from '@foxhound/stack';

const TURNS = Number(process.env.BENCH_TURNS ?? 15);
const SCENARIO = process.env.BENCH_SCENARIO ?? 'quota-blocks-admission';
const root = path.resolve(__dirname, '../../..');

async function timeToResult(url: string, body: unknown, headers: Record<string, string>): Promise<number> {
  const started = process.hrtime.bigint();
  const stream = await openEventStream(url, { body, headers });
  if (stream.status !== 200) throw new Error(`${url}: HTTP ${stream.status} ${await stream.text()}`);
  for await (const frame of stream.frames) {
    const event = JSON.parse(frame.data) as StreamEvent;
    if (event.type === 'result' || event.type === 'error') {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      stream.close();
      if (event.type === 'error') throw new Error(`${url}: ${event.data.message}`);
      return ms;
    }
  }
  throw new Error(`${url}: the stream ended without a result`);
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function main() {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'fh-bench-latency-'));
  const stack = await startStack({
    root,
    mode: 'dist',
    stateDir,
    scenarios: [path.join(root, 'scenarios', SCENARIO)],
    authMode: 'open',
    gatewayDataDir: 'memory',
    warmPoolSize: 2,
    logLevel: 'warn',
    env: process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {},
    onProgress: (m) => console.log(`  ${m} ...`),
  });
  try {
    const prompt = { prompt: 'what is wrong in orders?', namespaces: ['orders'] };
    const thread = 'bench-latency';
    // Warm up the thread's sandbox (and the JIT) through the gateway.
    for (let i = 0; i < 3; i++)
      await timeToResult(`${stack.urls.gateway}/investigate`, { ...prompt, thread_id: thread }, {});
    const located = await fetch(`${stack.urls.manager}/v1/sandboxes?threadId=${thread}`, {
      headers: { authorization: `Bearer ${stack.tokens.manager}` },
    });
    const sandbox = ((await located.json()) as { items: SandboxDescriptor[] }).items[0]!;
    const direct = `http://${sandbox.podIP}:${sandbox.port}/execute`;

    const viaGateway: number[] = [];
    const toExecutor: number[] = [];
    const newThread: number[] = [];
    for (let i = 0; i < TURNS; i++) {
      viaGateway.push(
        await timeToResult(`${stack.urls.gateway}/investigate`, { ...prompt, thread_id: thread }, {}),
      );
      toExecutor.push(
        await timeToResult(
          direct,
          { prompt: prompt.prompt, thread_id: thread, context: { namespaces: ['orders'] } },
          {},
        ),
      );
      if (i < 5)
        newThread.push(
          await timeToResult(
            `${stack.urls.gateway}/investigate`,
            { ...prompt, thread_id: `bench-new-${i}` },
            {},
          ),
        );
    }
    const row = (name: string, xs: number[], base?: number[]) =>
      `| ${name} | ${xs.length} | ${percentile(xs, 50).toFixed(0)} | ${percentile(xs, 95).toFixed(0)} | ${
        base
          ? `${(percentile(xs, 50) / percentile(base, 50)).toFixed(2)}x (+${(percentile(xs, 50) - percentile(base, 50)).toFixed(0)} ms)`
          : ''
      } |`;
    console.log('');
    const engine = process.env.BENCH_DATABASE_URL ? 'PostgreSQL' : 'PGlite';
    console.log(
      `| offline investigation of ${SCENARIO} (gateway store: ${engine}), request → result | turns | p50 ms | p95 ms | vs direct (p50) |`,
    );
    console.log('|---|---|---|---|---|');
    console.log(row('executor directly', toExecutor));
    console.log(row('gateway → router → executor (follow-up)', viaGateway, toExecutor));
    console.log(row('gateway, new thread (warm-pool sandbox)', newThread, toExecutor));
  } finally {
    await stack.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
