// sandbox-router benchmark: one run, side by side on this machine.
//   direct      the upstream itself (the baseline every ratio divides by)
//   router      Foxhound's sandbox-router (apps/sandbox-router, ROUTER_RESOLVER=manager against a fake
//               manager, as the local backend runs it), with validation, metrics and the resolver cache
//   bare        the calibration baseline: a ten-line http-proxy that only checks X-Sandbox-ID
//   bare-ka     the same with a keep-alive agent
//   peer        optional: any router at PEER_URL (e.g. the SIG's Python router), sent PEER_HEADERS
// Rows: small JSON at 1, 50 and 200 connections (closed loop, wrk if installed), latency at a fixed
// moderate rate (open loop), and time to the first SSE event. Targets take turns within each round
// and the median round is shown, so a burst of load from elsewhere on a shared machine hits one
// round of one target instead of a whole row. CPU per request is read from /proc for each process.
//
//   node --conditions=@foxhound/source -r ./tools/ts-run.cjs tools/bench/router/bench.ts
// Env: BENCH_LOAD=autocannon (even when wrk is installed), BENCH_SECONDS (2 per round), BENCH_ROUNDS (3), BENCH_RATE (2000 req/s for the moderate row),
// UPSTREAM_PORT (fix the upstream port, for a peer that must find it), PEER_URL, PEER_HEADERS
// ("X-Sandbox-ID: sb1; X-Sandbox-Port: 8888"), PEER_PID (to count the peer's CPU),
// ROUTER_CPU_PROF=<dir> (profile the router during the run and print where its time went).
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import {
  hasWrk,
  type LoadResult,
  runAutocannon,
  runFixedRate,
  runSseTtfb,
  runWrk,
  type Target,
} from './load';
import { summarizeProfiles } from './profile';

const ROOT = path.resolve(__dirname, '../../..');
const TS_RUN = path.join(ROOT, 'tools/ts-run.cjs');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RATE = Number(process.env.BENCH_RATE ?? 2000);
const CONNECTIONS = [1, 50, 200];
const children: ChildProcess[] = [];

interface BenchTarget extends Target {
  /** The process serving it, for CPU accounting. */
  pid: number | undefined;
}

/** Starts a .ts child through ts-run (firstLine() reads its handshake). */
function startChild(file: string, env: Record<string, string>, nodeArgs: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...nodeArgs, '--conditions=@foxhound/source', '-r', TS_RUN, file], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return child;
}

function firstLine<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`a bench child exited early with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as T));
  });
}

async function waitForHealth(url: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} never became healthy`);
}

function parseHeaders(spec: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const part of (spec ?? '').split(';')) {
    const colon = part.indexOf(':');
    if (colon > 0) headers[part.slice(0, colon).trim()] = part.slice(colon + 1).trim();
  }
  return headers;
}

async function startTargets(profileDir: string | undefined): Promise<BenchTarget[]> {
  const upstream = startChild(path.join(__dirname, 'upstream.ts'), {
    UPSTREAM_PORT: process.env.UPSTREAM_PORT ?? '0',
  });
  const { upstreamPort, managerPort } = await firstLine<{ upstreamPort: number; managerPort: number }>(
    upstream,
  );
  const direct = `http://127.0.0.1:${upstreamPort}`;
  const routerPort = 18_000 + Math.floor(Math.random() * 2000);
  const router = startChild(
    path.join(ROOT, 'apps/sandbox-router/src/main.ts'),
    {
      HOST: '127.0.0.1',
      PORT: String(routerPort),
      LOG_LEVEL: 'error',
      ROUTER_RESOLVER: 'manager',
      SANDBOX_MANAGER_URL: `http://127.0.0.1:${managerPort}`,
      ROUTER_ALLOW_LOOPBACK_UPSTREAM: 'true',
      SHUTDOWN_TIMEOUT_SECONDS: '1',
    },
    profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  );
  const routerUrl = `http://127.0.0.1:${routerPort}`;
  await waitForHealth(routerUrl);
  const bare = startChild(path.join(__dirname, 'bare-proxy.ts'), { BARE_TARGET: direct });
  const bareKa = startChild(path.join(__dirname, 'bare-proxy.ts'), {
    BARE_TARGET: direct,
    BARE_KEEPALIVE: '1',
  });
  const [barePort, bareKaPort] = await Promise.all([
    firstLine<{ port: number }>(bare),
    firstLine<{ port: number }>(bareKa),
  ]);
  const id = { 'X-Sandbox-ID': 'sb1' };
  const targets: BenchTarget[] = [
    { name: 'direct', url: direct, headers: id, pid: upstream.pid },
    { name: 'router', url: routerUrl, headers: id, pid: router.pid },
    { name: 'bare', url: `http://127.0.0.1:${barePort.port}`, headers: id, pid: bare.pid },
    { name: 'bare-ka', url: `http://127.0.0.1:${bareKaPort.port}`, headers: id, pid: bareKa.pid },
  ];
  if (process.env.PEER_URL) {
    targets.push({
      name: 'peer',
      url: process.env.PEER_URL,
      headers: parseHeaders(process.env.PEER_HEADERS),
      pid: process.env.PEER_PID ? Number(process.env.PEER_PID) : undefined,
    });
  }
  return targets;
}

const CLOCK_TICK_US = 10_000; // USER_HZ is 100 on Linux

/** CPU time (user + system) a process has used so far, in microseconds; undefined off Linux. */
function cpuMicros(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_US;
  } catch {
    return undefined;
  }
}

interface Row {
  target: string;
  result: LoadResult;
  /** CPU microseconds the serving process spent per request (proxies: plus nothing of the upstream's). */
  cpuPerRequestUs?: number;
}

const median = <T>(items: T[], key: (item: T) => number): T =>
  [...items].sort((a, b) => key(a) - key(b))[Math.floor(items.length / 2)]!;
const pad = (value: string, width: number) => value.padStart(width);
const ms = (value: number) => `${value.toFixed(2)} ms`;

function printRows(title: string, rows: Row[], throughput: boolean): void {
  const direct = rows.find((r) => r.target === 'direct')!.result;
  console.log(`\n${title}`);
  const head = [
    'target'.padEnd(8),
    throughput ? pad('req/s', 9) : '',
    pad('p50', 10),
    pad('p99', 10),
    throughput ? pad('vs direct', 10) : '',
    pad('p50 added', 10),
    pad('p99 added', 10),
    throughput ? pad('CPU/req', 10) : '',
    pad('errors', 7),
  ];
  console.log(`  ${head.join('')}`);
  for (const { target, result, cpuPerRequestUs } of rows) {
    const added = (a: number, b: number) =>
      target === 'direct' ? '' : `${a - b >= 0 ? '+' : ''}${(a - b).toFixed(2)}`;
    const line = [
      target.padEnd(8),
      throughput ? pad(result.rps.toFixed(0), 9) : '',
      pad(ms(result.p50Ms), 10),
      pad(ms(result.p99Ms), 10),
      throughput ? pad(`${((100 * result.rps) / direct.rps).toFixed(1)}%`, 10) : '',
      pad(added(result.p50Ms, direct.p50Ms), 10),
      pad(added(result.p99Ms, direct.p99Ms), 10),
      throughput ? pad(cpuPerRequestUs === undefined ? '-' : `${cpuPerRequestUs.toFixed(0)} us`, 10) : '',
      pad(String(result.errors), 7),
    ];
    console.log(`  ${line.join('')}`);
  }
}

async function main(): Promise<void> {
  const profileDir = process.env.ROUTER_CPU_PROF;
  const wrk = process.env.BENCH_LOAD !== 'autocannon' && hasWrk();
  const targets = await startTargets(profileDir);
  const closedLoop = (target: Target, connections: number, seconds: number) =>
    wrk
      ? Promise.resolve(runWrk(target, '/json', connections, seconds))
      : runAutocannon(target, '/json', connections, seconds);
  console.log(
    `sandbox-router bench: ${wrk ? 'wrk -t1' : 'autocannon'}, ${ROUNDS} rounds x ${SECONDS} s per target and row, ` +
      `targets ${targets.map((t) => t.name).join(', ')}`,
  );

  // Warm-up: JIT, the router's manager cache and keep-alive pools.
  for (const target of targets) await closedLoop(target, 50, 1);

  const ratios: string[] = [];
  for (const connections of CONNECTIONS) {
    const rounds = new Map<string, { result: LoadResult; cpuUs: number | undefined }[]>();
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const target of targets) {
        const before = cpuMicros(target.pid);
        const result = await closedLoop(target, connections, SECONDS);
        const after = cpuMicros(target.pid);
        const cpuUs = before === undefined || after === undefined ? undefined : after - before;
        rounds.set(target.name, [...(rounds.get(target.name) ?? []), { result, cpuUs }]);
      }
    }
    const rows: Row[] = targets.map((target) => {
      const all = rounds.get(target.name)!;
      const requests = all.reduce((sum, r) => sum + r.result.requests, 0);
      const cpu = all.every((r) => r.cpuUs !== undefined)
        ? all.reduce((sum, r) => sum + r.cpuUs!, 0)
        : undefined;
      return {
        target: target.name,
        result: median(all, (r) => r.result.rps).result,
        cpuPerRequestUs: cpu === undefined || requests === 0 ? undefined : cpu / requests,
      };
    });
    printRows(
      `small JSON, ${connections} connection${connections === 1 ? '' : 's'} (closed loop, median of ${ROUNDS})`,
      rows,
      true,
    );
    const direct = rows[0]!.result.rps;
    ratios.push(
      `c=${connections} ${rows
        .slice(1)
        .map((r) => `${r.target} ${((100 * r.result.rps) / direct).toFixed(1)}%`)
        .join(', ')}`,
    );
  }

  // The connection-per-request baseline cannot keep up with a fixed rate; it is left out here.
  const paced = targets.filter((t) => t.name !== 'bare');
  const moderate: Row[] = [];
  for (const target of paced) {
    moderate.push({
      target: target.name,
      result: await runFixedRate(target, '/json', RATE, 10, SECONDS * 1.5),
    });
  }
  printRows(`small JSON at a fixed ${RATE} req/s over 10 connections (open loop)`, moderate, false);

  const sse: Row[] = [];
  for (const target of targets)
    sse.push({ target: target.name, result: await runSseTtfb(target, '/sse', 200) });
  printRows('time to the first SSE event, 200 sequential streams', sse, false);

  const router = (rows: Row[]) => rows.find((r) => r.target === 'router')!.result;
  console.log(`\nthroughput vs direct: ${ratios.join(' | ')}`);
  console.log(
    `router at ${RATE} req/s: p50 +${(router(moderate).p50Ms - moderate[0]!.result.p50Ms).toFixed(2)} ms, ` +
      `p99 +${(router(moderate).p99Ms - moderate[0]!.result.p99Ms).toFixed(2)} ms; ` +
      `first SSE event: p50 +${(router(sse).p50Ms - sse[0]!.result.p50Ms).toFixed(2)} ms`,
  );

  await stopChildren();
  if (profileDir) summarizeProfiles(profileDir);
}

async function stopChildren(): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.removeAllListeners('exit');
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
}

main().catch(async (err: unknown) => {
  console.error(err);
  await stopChildren();
  process.exit(1);
});
