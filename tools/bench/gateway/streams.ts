// Gateway benchmark (2): N concurrent investigation streams (default 1,000) held open through the
// gateway and the router, as real processes, for HOLD seconds (default 60) with heartbeats. A fake
// sandbox-manager and a fake executor run in this process; the executor holds each turn open and
// sends heartbeats, then ends it with a result. Reports errors, gateway and router RSS and the
// gateway's event-loop lag, idle vs under load, side by side in one run.
//
//   node --conditions=@foxhound/source -r ./tools/ts-run.cjs tools/bench/gateway/streams.ts
//   BENCH_STREAMS=1000 BENCH_HOLD_SECONDS=60 (defaults)
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { makeEvent } from '@foxhound/contracts';
import { freePort, stopProcess, waitUntilReady, type ServiceProcess } from '@foxhound/stack';
import { fakeSandboxManager, startFromSource } from '../support/services';

const STREAMS = Number(process.env.BENCH_STREAMS ?? 1000);
const HOLD_SECONDS = Number(process.env.BENCH_HOLD_SECONDS ?? 60);

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

/** The executor: holds each /execute stream open with heartbeats until released, then sends a result. */
function fakeExecutor(release: Promise<void>) {
  let open = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += String(c)));
    req.on('end', () => {
      const threadId = (JSON.parse(body) as { thread_id: string }).thread_id;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`id: 1\ndata: ${JSON.stringify(makeEvent('thought', { text: 'holding' }, threadId))}\n\n`);
      open += 1;
      const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), 15_000);
      void release.then(() => {
        clearInterval(heartbeat);
        const result = makeEvent('result', { text: 'done', success: true, subtype: 'success' }, threadId);
        res.end(`id: 2\ndata: ${JSON.stringify(result)}\n\n`);
        open -= 1;
      });
      res.on('close', () => clearInterval(heartbeat));
    });
  });
  return { server, open: () => open };
}

function rssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function lagMs(gateway: string): Promise<number> {
  const text = await (await fetch(`${gateway}/metrics`)).text();
  return Number(/^foxhound_gateway_nodejs_eventloop_lag_p99_seconds (\S+)$/m.exec(text)?.[1] ?? NaN) * 1000;
}

interface StreamOutcome {
  ok: boolean;
  reason?: string;
}

function openStream(gateway: string, agent: http.Agent, i: number): Promise<StreamOutcome> {
  return new Promise((resolve) => {
    const req = http.request(`${gateway}/investigate`, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json' },
    });
    req.on('error', (err) => resolve({ ok: false, reason: err.message }));
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return resolve({ ok: false, reason: `HTTP ${res.statusCode}` });
      }
      let text = '';
      res.on('data', (c) => (text += String(c)));
      res.on('end', () =>
        resolve(
          text.includes('"type":"result"') ? { ok: true } : { ok: false, reason: 'ended without a result' },
        ),
      );
      res.on('error', (err) => resolve({ ok: false, reason: err.message }));
    });
    req.end(JSON.stringify({ prompt: `hold ${i}`, thread_id: `bench-${i}` }));
  });
}

async function main() {
  let releaseAll!: () => void;
  const executor = fakeExecutor(new Promise<void>((resolve) => (releaseAll = resolve)));
  const executorPort = await listen(executor.server);
  const manager = fakeSandboxManager(executorPort);
  const managerUrl = `http://127.0.0.1:${await listen(manager)}`;
  const routerPort = await freePort();
  const gatewayPort = await freePort();
  const router = `http://127.0.0.1:${routerPort}`;
  const gateway = `http://127.0.0.1:${gatewayPort}`;
  const run = (app: 'gateway' | 'sandbox-router', env: NodeJS.ProcessEnv) =>
    startFromSource(app, app, env, 'bench-gateway');
  const procs: ServiceProcess[] = [];
  try {
    procs.push(
      run('sandbox-router', {
        PORT: String(routerPort),
        ROUTER_RESOLVER: 'manager',
        SANDBOX_MANAGER_URL: managerUrl,
        SANDBOX_MANAGER_TOKEN: 'bench-manager-token-0123',
        ROUTER_ALLOW_LOOPBACK_UPSTREAM: 'true',
        // Every stream goes to the one fake executor here; in a cluster each sandbox is its own host.
        ROUTER_MAX_SOCKETS_PER_HOST: String(STREAMS + 100),
        ROUTER_IDLE_TIMEOUT_SECONDS: '120',
      }),
    );
    await waitUntilReady(procs[0]!, `${router}/readyz`);
    procs.push(
      run('gateway', {
        PORT: String(gatewayPort),
        SANDBOX_MANAGER_URL: managerUrl,
        SANDBOX_ROUTER_URL: router,
        GATEWAY_AUTH_MODE: 'open',
        GATEWAY_DATA_DIR: 'memory',
        GATEWAY_MAX_RUNNING_INVESTIGATIONS: String(STREAMS + 100),
        GATEWAY_RATE_LIMIT_PER_MINUTE: '100000',
        GATEWAY_HEARTBEAT_SECONDS: '15',
      }),
    );
    await waitUntilReady(procs[1]!, `${gateway}/readyz`);
    const [routerProc, gatewayProc] = procs as [ServiceProcess, ServiceProcess];

    // Let startup garbage (PGlite's boot, module loading) settle before the idle sample.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const idle = {
      gatewayRss: rssMb(gatewayProc.child.pid),
      routerRss: rssMb(routerProc.child.pid),
      lag: await lagMs(gateway),
    };
    console.log(`opening ${STREAMS} streams through gateway → router → executor ...`);
    const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
    const outcomes: Promise<StreamOutcome>[] = [];
    for (let i = 0; i < STREAMS; i++) {
      outcomes.push(openStream(gateway, agent, i));
      if (i % 50 === 49) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    while (executor.open() < STREAMS) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const failedEarly = (await Promise.race([
        Promise.all(outcomes),
        new Promise((r) => setTimeout(r, 0, null)),
      ])) as StreamOutcome[] | null;
      if (failedEarly) break;
    }
    console.log(`${executor.open()} streams open; holding for ${HOLD_SECONDS} s ...`);
    const samples: { gatewayRss: number; routerRss: number; lag: number }[] = [];
    const until = Date.now() + HOLD_SECONDS * 1000;
    while (Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 5000));
      samples.push({
        gatewayRss: rssMb(gatewayProc.child.pid),
        routerRss: rssMb(routerProc.child.pid),
        lag: await lagMs(gateway),
      });
    }
    releaseAll();
    const results = await Promise.all(outcomes);
    const failures = results.filter((r) => !r.ok);
    const peak = (key: keyof (typeof samples)[number]) => Math.max(...samples.map((s) => s[key]));

    console.log('');
    console.log(`| ${STREAMS} streams held ${HOLD_SECONDS} s | idle | under load (peak) | ratio |`);
    console.log('|---|---|---|---|');
    console.log(
      `| gateway RSS (MB) | ${idle.gatewayRss.toFixed(0)} | ${peak('gatewayRss').toFixed(0)} | ${(peak('gatewayRss') / idle.gatewayRss).toFixed(2)}x |`,
    );
    console.log(
      `| router RSS (MB) | ${idle.routerRss.toFixed(0)} | ${peak('routerRss').toFixed(0)} | ${(peak('routerRss') / idle.routerRss).toFixed(2)}x |`,
    );
    console.log(`| gateway event-loop lag p99 (ms) | ${idle.lag.toFixed(1)} | ${peak('lag').toFixed(1)} | |`);
    console.log(
      `| streams completed with a result | | ${results.length - failures.length}/${results.length} | |`,
    );
    if (failures.length) {
      const reasons = new Map<string, number>();
      for (const f of failures) reasons.set(f.reason ?? '?', (reasons.get(f.reason ?? '?') ?? 0) + 1);
      console.log(`errors: ${[...reasons].map(([r, c]) => `${c}× ${r}`).join(', ')}`);
    }
    process.exitCode = failures.length ? 1 : 0;
  } finally {
    releaseAll();
    for (const p of procs.reverse()) await stopProcess(p);
    executor.server.closeAllConnections();
    executor.server.close();
    manager.close();
  }
}

void main();
