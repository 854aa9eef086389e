// Offline investigation benchmark: latency from the HTTP request to the `result` event, per scenario,
// and the rate at which events stream, measured side by side with a baseline in the same run.
//   executor   apps/executor as a child process (offline engine), POST /execute, read the SSE
//              stream to its `result`: the whole agent (five phases, roles, every tool call,
//              proposals with dry runs) plus HTTP and SSE
//   follow-up  a second turn on the same thread (the scenario's first follow-up, else "what would
//              rolling back do to the other pods? is it safe?"): answered from the thread's
//              history with targeted reads; target at least 3x cheaper than the first turn
//   baseline   in this process: collectSnapshot + diagnose + toReport over the same cluster, the
//              least work that yields a report (what the eval's `diagnostics` engine does)
// Each scenario gets its own kube-sim; the executor reaches it (and its Prometheus) through two
// switchable loopback proxies, so one executor process serves every scenario. The baseline reads
// through the same proxies. Requests alternate executor/baseline so a burst of load from elsewhere
// on this shared machine hits both. Target: executor p50 under 300 ms per scenario.
//
//   node --conditions=@foxhound/source -r ./tools/ts-run.cjs tools/bench/investigate/bench.ts
// Env: BENCH_RUNS (measured requests per scenario, default 10), BENCH_WARMUP (default 2),
// BENCH_SCENARIOS (comma-separated names; default all in scenarios/).
// Env: BENCH_FOLLOW_UP (the follow-up prompt for every scenario, instead of each one's own).
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { diagnose, fromSnapshotData, toReport } from '@foxhound/diagnostics';
import { collectSnapshot, createKubeClient } from '@foxhound/kube';
import { findScenarioDirs, startKubeSim } from '@foxhound/kube-sim';
import { openEventStream } from '@foxhound/service-kit';
import httpProxy from 'http-proxy';

const ROOT = path.resolve(__dirname, '../../..');
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const TARGET_P50_MS = 300;
/** A follow-up turn must cost at most a third of the first turn (p50 over all scenarios). */
const TARGET_FOLLOW_UP_RATIO = 3;
const DEFAULT_FOLLOW_UP = 'what would rolling back do to the other pods? is it safe?';

/** A loopback proxy whose upstream can be switched between scenarios. */
async function switchableProxy(): Promise<{
  url: string;
  point(target: string): void;
  close(): Promise<void>;
}> {
  let target = 'http://127.0.0.1:9';
  const proxy = httpProxy.createProxyServer({ agent: new http.Agent({ keepAlive: true }) });
  proxy.on('error', (_err, _req, res) => {
    if (res instanceof http.ServerResponse && !res.headersSent) res.writeHead(502).end();
  });
  const server = http.createServer((req, res) => proxy.web(req, res, { target }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    point: (t) => (target = t),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function kubeconfigYaml(server: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: bench\n  cluster:\n    server: ${server}\n    insecure-skip-tls-verify: true`,
    'users:',
    '- name: bench\n  user: {}',
    'contexts:',
    '- name: bench\n  context:\n    cluster: bench\n    user: bench',
    'current-context: bench',
    '',
  ].join('\n');
}

async function startExecutor(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--conditions=@foxhound/source', '-r', './tools/ts-run.cjs', 'apps/executor/src/main.ts'],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        EXECUTOR_PROVIDER: 'offline',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += String(d);
      const m = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
      if (m) {
        child.stdout!.off('data', onData);
        child.stdout!.resume(); // access logs from here on are not read
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`executor exited with ${code} before listening`)));
  });
  return { child, url };
}

interface Sample {
  ms: number;
  events: number;
}

async function executorTurn(url: string, body: unknown): Promise<Sample> {
  const started = performance.now();
  const stream = await openEventStream(`${url}/execute`, { method: 'POST', body });
  if (stream.status !== 200) throw new Error(`executor answered ${stream.status}: ${await stream.text()}`);
  let events = 0;
  for await (const frame of stream.frames) {
    events += 1;
    const type = (JSON.parse(frame.data) as { type: string }).type;
    if (type === 'result' || type === 'error') {
      const ms = performance.now() - started;
      if (type === 'error') throw new Error(`turn ended with an error: ${frame.data}`);
      stream.close();
      return { ms, events };
    }
  }
  throw new Error('the stream ended without a result');
}

async function baselineTurn(
  kubeUrl: string,
  prometheusUrl: string,
  namespaces: string[],
  focus: string,
): Promise<Sample> {
  const started = performance.now();
  const client = createKubeClient({ from: 'yaml', yaml: kubeconfigYaml(kubeUrl) });
  const data = await collectSnapshot(client, { namespaces, prometheusUrl });
  toReport(diagnose(fromSnapshotData(data), { focus }));
  return { ms: performance.now() - started, events: 0 };
}

const pct = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};
const fmt = (n: number): string => n.toFixed(0).padStart(6);

async function main(): Promise<void> {
  const wanted = process.env.BENCH_SCENARIOS?.split(',').map((s) => s.trim());
  const dirs = (await findScenarioDirs(path.join(ROOT, 'scenarios'))).filter(
    (d) => !wanted || wanted.includes(path.basename(d)),
  );
  const kubeProxy = await switchableProxy();
  const promProxy = await switchableProxy();
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-investigate-'));
  const kubeconfig = path.join(stateDir, 'kubeconfig');
  fs.writeFileSync(kubeconfig, kubeconfigYaml(kubeProxy.url), { mode: 0o600 });
  const executor = await startExecutor({ KUBECONFIG: kubeconfig, PROMETHEUS_URL: promProxy.url });
  console.log(
    `investigate bench: ${dirs.length} scenarios, ${WARMUP} warm-up + ${RUNS} measured turns each, executor ${executor.url}`,
  );
  console.log(
    'scenario                        exec p50  exec p95  base p50   ratio  events  events/s  follow p50  follow p95  first/follow',
  );
  const all: { exec: number[]; follow: number[]; base: number[]; events: number; streamMs: number } = {
    exec: [],
    follow: [],
    base: [],
    events: 0,
    streamMs: 0,
  };
  let turn = 0;
  try {
    for (const dir of dirs) {
      const sim = await startKubeSim({ scenarios: [dir] });
      try {
        kubeProxy.point(sim.url);
        promProxy.point(sim.prometheusUrl!);
        const manifest = sim.scenarios[0]!.manifest;
        const prompt = manifest.prompt ?? manifest.alert!.title;
        const followUp = process.env.BENCH_FOLLOW_UP ?? manifest.followUps[0]?.prompt ?? DEFAULT_FOLLOW_UP;
        const body = (threadId: string, text: string, first: boolean) => ({
          prompt: text,
          ...(first && manifest.alert ? { alert: manifest.alert } : {}),
          context: { namespaces: manifest.namespaces },
          thread_id: threadId,
        });
        const exec: Sample[] = [];
        const follow: Sample[] = [];
        const base: Sample[] = [];
        for (let i = 0; i < WARMUP + RUNS; i++) {
          // The executor keeps the thread's history in memory: the second turn is a real follow-up.
          const threadId = `bench-${++turn}`;
          const e = await executorTurn(executor.url, body(threadId, prompt, true));
          const f = await executorTurn(executor.url, body(threadId, followUp, false));
          const b = await baselineTurn(kubeProxy.url, promProxy.url, manifest.namespaces, prompt);
          if (i >= WARMUP) {
            exec.push(e);
            follow.push(f);
            base.push(b);
          }
        }
        const followMs = follow.map((s) => s.ms);
        all.follow.push(...followMs);
        const execMs = exec.map((s) => s.ms);
        const baseMs = base.map((s) => s.ms);
        const events = exec.reduce((n, s) => n + s.events, 0);
        const streamMs = execMs.reduce((n, ms) => n + ms, 0);
        all.exec.push(...execMs);
        all.base.push(...baseMs);
        all.events += events;
        all.streamMs += streamMs;
        const ratio = pct(execMs, 50) / pct(baseMs, 50);
        console.log(
          `${path.basename(dir).padEnd(30)} ${fmt(pct(execMs, 50))} ms ${fmt(pct(execMs, 95))} ms ${fmt(pct(baseMs, 50))} ms  ${ratio.toFixed(2).padStart(5)}x  ${String(Math.round(events / exec.length)).padStart(6)}  ${fmt((events / streamMs) * 1000)}    ${fmt(pct(followMs, 50))} ms   ${fmt(pct(followMs, 95))} ms  ${(pct(execMs, 50) / pct(followMs, 50)).toFixed(2).padStart(10)}x`,
        );
      } finally {
        await sim.close();
      }
    }
    const p50 = pct(all.exec, 50);
    console.log('');
    console.log(
      `all: executor p50 ${p50.toFixed(0)} ms, p95 ${pct(all.exec, 95).toFixed(0)} ms; baseline p50 ${pct(all.base, 50).toFixed(0)} ms, p95 ${pct(all.base, 95).toFixed(0)} ms; ratio p50 ${(p50 / pct(all.base, 50)).toFixed(2)}x`,
    );
    console.log(
      `events streamed: ${all.events} in ${(all.streamMs / 1000).toFixed(2)} s of turns, ${((all.events / all.streamMs) * 1000).toFixed(0)} events/s`,
    );
    const followRatio = p50 / pct(all.follow, 50);
    console.log(
      `follow-up turns: p50 ${pct(all.follow, 50).toFixed(0)} ms, p95 ${pct(all.follow, 95).toFixed(0)} ms; first turn / follow-up p50 ${followRatio.toFixed(2)}x`,
    );
    console.log(`target p50 < ${TARGET_P50_MS} ms per scenario: ${p50 < TARGET_P50_MS ? 'met' : 'NOT met'}`);
    console.log(
      `target follow-ups at least ${TARGET_FOLLOW_UP_RATIO}x cheaper than first turns (p50): ${followRatio >= TARGET_FOLLOW_UP_RATIO ? 'met' : 'NOT met'}`,
    );
  } finally {
    executor.child.kill('SIGTERM');
    await new Promise((resolve) => executor.child.once('exit', resolve));
    await kubeProxy.close();
    await promProxy.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
