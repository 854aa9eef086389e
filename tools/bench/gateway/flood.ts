// Gateway benchmark (3): an unauthenticated flood. 10,000 requests with a bad key from one address
// (127.0.0.2) while a client with a valid key (127.0.0.1) lists investigations; reports the flood's
// answers (401 before the per-source limit, 429 after), the audit rows it added, and the
// authenticated client's latency during the flood against the same client alone. The gateway is a
// real process on embedded PGlite in a temporary directory; a stub answers the manager's readiness
// (the routes used need no sandbox). The audit rows are counted from the store after the gateway
// stopped (it writes the last minute's denial counts on shutdown).
//
//   node --conditions=@foxhound/source -r ./tools/ts-run.cjs tools/bench/gateway/flood.ts
//   BENCH_FLOOD=10000 (default), BENCH_CONCURRENCY=50, BENCH_AUTHED=300
import http from 'node:http';
import { createStore } from '@foxhound/store';
import { startStandaloneGateway } from '../support/services';

const FLOOD = Number(process.env.BENCH_FLOOD ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const AUTHED = Number(process.env.BENCH_AUTHED ?? 300);
const ADMIN_KEY = `fh_${'b'.repeat(43)}`;

function get(url: string, headers: Record<string, string>, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function timedRequests(url: string, key: string, n: number, agent: http.Agent): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = process.hrtime.bigint();
    const status = await get(url, { 'x-api-key': key }, agent);
    if (status !== 200) throw new Error(`authenticated request answered ${status}`);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return times;
}

async function main(): Promise<void> {
  const gateway = await startStandaloneGateway(ADMIN_KEY, 'bench-gateway');
  const gatewayUrl = gateway.url;
  const url = `${gatewayUrl}/v1/investigations?limit=5`;
  const client = new http.Agent({ keepAlive: true, maxSockets: 1, localAddress: '127.0.0.1' });
  const attacker = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY, localAddress: '127.0.0.2' });
  try {
    await timedRequests(url, ADMIN_KEY, 20, client); // warm-up
    const alone = await timedRequests(url, ADMIN_KEY, AUTHED, client);
    const rowsBefore = await auditHead(gatewayUrl, client);

    const statuses = new Map<number, number>();
    let sent = 0;
    const started = Date.now();
    const flood = Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (sent < FLOOD) {
          sent += 1;
          const status = await get(url, { 'x-api-key': `fh_${'x'.repeat(43)}` }, attacker);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }),
    );
    const during = await timedRequests(url, ADMIN_KEY, AUTHED, client);
    await flood;
    const floodMs = Date.now() - started;
    client.destroy();
    attacker.destroy();
    await gateway.stopGateway();
    const store = await createStore({ dataDir: gateway.dataDir });
    const rowsAdded = (await store.audit.head()).seq - rowsBefore;
    await store.close();

    const row = (name: string, t: number[]) =>
      `${name.padEnd(18)} p50 ${percentile(t, 50).toFixed(2)} ms  p95 ${percentile(t, 95).toFixed(2)} ms  max ${Math.max(...t).toFixed(2)} ms`;
    console.log(
      `flood: ${FLOOD} requests with a bad key from 127.0.0.2 in ${floodMs} ms (${CONCURRENCY} concurrent)`,
    );
    console.log(`  answers: ${[...statuses].map(([s, n]) => `${n} × ${s}`).join(', ')}`);
    console.log(`  audit rows added: ${rowsAdded}`);
    console.log(`authenticated GET /v1/investigations from 127.0.0.1, ${AUTHED} sequential requests:`);
    console.log(`  ${row('alone', alone)}`);
    console.log(`  ${row('during the flood', during)}`);
  } finally {
    client.destroy();
    attacker.destroy();
    await gateway.close();
  }
}

/** The audit chain's head seq, read through the admin API. */
function auditHead(gatewayUrl: string, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(`${gatewayUrl}/v1/audit/verify`, { headers: { 'x-api-key': ADMIN_KEY }, agent }, (res) => {
        let body = '';
        res.on('data', (c) => (body += String(c)));
        res.on('end', () => resolve((JSON.parse(body) as { head: { seq: number } }).head.seq));
      })
      .on('error', reject);
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
