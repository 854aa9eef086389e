// Gateway benchmark (3): N concurrent investigations (default 500) against one PostgreSQL, through one
// gateway replica and then through two, side by side in one run. Each phase gets a fresh database;
// the gateways are real processes (src/main.ts), a fake sandbox-manager and a fake executor run in this
// process (the executor streams EVENTS thoughts, then a result; SANDBOX_ROUTER_URL points straight at
// it, so the router is not measured). Clients alternate between the replicas as a Service would.
// Reports per phase: turns completed (a stream that ended with its result, and the stored status),
// p50/p95 time to the result, errors by reason, and peak gateway RSS.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \
//     node --conditions=@foxhound/source -r ./tools/ts-run.cjs tools/bench/gateway/replicas.ts
//   BENCH_INVESTIGATIONS=500 BENCH_EVENTS=20 (defaults)
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type AddressInfo } from 'node:net';
import { Client } from 'pg';
import { makeEvent } from '@foxhound/contracts';
import { freePort, stopProcess, waitUntilReady, type ServiceProcess } from '@foxhound/stack';
import { fakeSandboxManager, startFromSource } from '../support/services';

const INVESTIGATIONS = Number(process.env.BENCH_INVESTIGATIONS ?? 500);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 20);
const DATABASE_URL = process.env.DATABASE_URL;

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

/** The executor: EVENTS thoughts 5 ms apart, then a result. */
function fakeExecutor() {
  return http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += String(c)));
    req.on('end', () => {
      const threadId = (JSON.parse(body) as { thread_id: string }).thread_id;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let id = 1;
      const timer = setInterval(() => {
        if (id <= EVENTS) {
          res.write(
            `id: ${id}\ndata: ${JSON.stringify(makeEvent('thought', { text: `step ${id}` }, threadId))}\n\n`,
          );
          id += 1;
          return;
        }
        clearInterval(timer);
        const result = makeEvent('result', { text: 'done', success: true, subtype: 'success' }, threadId);
        res.end(`id: ${id}\ndata: ${JSON.stringify(result)}\n\n`);
      }, 5);
      res.on('close', () => clearInterval(timer));
    });
  });
}

function rssMb(pid: number | undefined): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

interface Outcome {
  ok: boolean;
  ms: number;
  reason?: string;
}

function investigate(gateway: string, agent: http.Agent, thread: string): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const done = (ok: boolean, reason?: string) => resolve({ ok, ms: performance.now() - started, reason });
    const req = http.request(`${gateway}/investigate`, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json' },
    });
    req.on('error', (err) => done(false, err.message));
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return done(false, `HTTP ${res.statusCode}`);
      }
      let text = '';
      res.on('data', (c) => (text += String(c)));
      res.on('end', () =>
        text.includes('"type":"result"') ? done(true) : done(false, 'ended without a result'),
      );
      res.on('error', (err) => done(false, err.message));
    });
    req.end(JSON.stringify({ prompt: `bench ${thread}`, thread_id: thread }));
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

interface PhaseResult {
  completed: number;
  stored: number;
  p50: number;
  p95: number;
  errors: Map<string, number>;
  rssPeak: number[];
  wallSeconds: number;
}

async function phase(replicas: number, managerUrl: string, executorUrl: string): Promise<PhaseResult> {
  const database = `fh_bench_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(DATABASE_URL!);
  url.pathname = `/${database}`;
  const procs: ServiceProcess[] = [];
  try {
    const gateways: string[] = [];
    for (let i = 0; i < replicas; i++) {
      const port = await freePort();
      const proc = startFromSource(
        'gateway',
        `gateway-${replicas}x-${i}`,
        {
          PORT: String(port),
          DATABASE_URL: url.toString(),
          SANDBOX_MANAGER_URL: managerUrl,
          SANDBOX_ROUTER_URL: executorUrl,
          GATEWAY_AUTH_MODE: 'open',
          GATEWAY_MAX_RUNNING_INVESTIGATIONS: String(INVESTIGATIONS + 100),
          GATEWAY_RATE_LIMIT_PER_MINUTE: '100000',
          GATEWAY_SOURCE_RATE_LIMIT_PER_MINUTE: '100000',
        },
        'bench-gateway',
      );
      procs.push(proc);
      // One at a time: the first applies the migrations.
      await waitUntilReady(proc, `http://127.0.0.1:${port}/readyz`, 120_000);
      gateways.push(`http://127.0.0.1:${port}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const rssPeak = procs.map((p) => rssMb(p.child.pid));
    const sampler = setInterval(
      () => procs.forEach((p, i) => (rssPeak[i] = Math.max(rssPeak[i]!, rssMb(p.child.pid)))),
      250,
    );
    const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
    const started = performance.now();
    const outcomes = await Promise.all(
      Array.from({ length: INVESTIGATIONS }, (_, i) =>
        investigate(gateways[i % replicas]!, agent, `bench-${replicas}x-${i}`),
      ),
    );
    const wallSeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const check = new Client({ connectionString: url.toString() });
    await check.connect();
    // Clients have their results; the gateways store the tails and outcomes just after. Wait for that.
    for (let i = 0; i < 600; i++) {
      const running = await check.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM investigations WHERE status = 'running'`,
      );
      if (running.rows[0]!.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const stored = await check.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM investigations WHERE status = 'completed'
         AND (SELECT count(*) FROM events e WHERE e.investigation_id = investigations.id) = $1`,
      [EVENTS + 2],
    );
    await check.end();
    const times = outcomes
      .filter((o) => o.ok)
      .map((o) => o.ms)
      .sort((a, b) => a - b);
    const errors = new Map<string, number>();
    for (const o of outcomes) if (!o.ok) errors.set(o.reason ?? '?', (errors.get(o.reason ?? '?') ?? 0) + 1);
    return {
      completed: times.length,
      stored: stored.rows[0]!.n,
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      errors,
      rssPeak,
      wallSeconds,
    };
  } finally {
    for (const proc of procs) await stopProcess(proc);
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

async function main() {
  if (!DATABASE_URL) {
    console.error('Set DATABASE_URL to a PostgreSQL server where this user may create databases.');
    process.exitCode = 2;
    return;
  }
  const executor = fakeExecutor();
  const executorUrl = `http://127.0.0.1:${await listen(executor)}`;
  const manager = fakeSandboxManager(Number(new URL(executorUrl).port));
  const managerUrl = `http://127.0.0.1:${await listen(manager)}`;
  try {
    console.log(
      `${INVESTIGATIONS} concurrent investigations, ${EVENTS} thoughts + session + result each, one PostgreSQL`,
    );
    const one = await phase(1, managerUrl, executorUrl);
    const two = await phase(2, managerUrl, executorUrl);
    const errs = (r: PhaseResult) => [...r.errors].map(([k, v]) => `${v}× ${k}`).join(', ') || '0';
    const rss = (r: PhaseResult) => r.rssPeak.map((m) => m.toFixed(0)).join(' + ');
    const sum = (r: PhaseResult) => r.rssPeak.reduce((a, b) => a + b, 0);
    console.log('');
    console.log(`| ${INVESTIGATIONS} investigations | 1 replica | 2 replicas | 2 vs 1 |`);
    console.log('|---|---|---|---|');
    console.log(`| completed (stream ended with its result) | ${one.completed} | ${two.completed} | |`);
    console.log(`| stored completed with all ${EVENTS + 2} events | ${one.stored} | ${two.stored} | |`);
    console.log(
      `| time to result p50 (ms) | ${one.p50.toFixed(0)} | ${two.p50.toFixed(0)} | ${(two.p50 / one.p50).toFixed(2)}x |`,
    );
    console.log(
      `| time to result p95 (ms) | ${one.p95.toFixed(0)} | ${two.p95.toFixed(0)} | ${(two.p95 / one.p95).toFixed(2)}x |`,
    );
    console.log(
      `| wall time for all (s) | ${one.wallSeconds.toFixed(1)} | ${two.wallSeconds.toFixed(1)} | ${(two.wallSeconds / one.wallSeconds).toFixed(2)}x |`,
    );
    console.log(`| errors | ${errs(one)} | ${errs(two)} | |`);
    console.log(
      `| gateway RSS peak (MB) | ${rss(one)} | ${rss(two)} (sum ${sum(two).toFixed(0)}) | ${(sum(two) / sum(one)).toFixed(2)}x |`,
    );
    process.exitCode = one.errors.size + two.errors.size > 0 ? 1 : 0;
  } finally {
    executor.closeAllConnections();
    executor.close();
    manager.close();
  }
}

void main();
