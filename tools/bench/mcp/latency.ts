// MCP benchmark: what a tool call on the gateway's MCP endpoint adds over the REST call it wraps.
// One gateway process (embedded PGlite in a temporary directory, a stub answering the manager's
// readiness: support/services.ts), one client on a keep-alive connection, REST and MCP requests interleaved so both see
// the same machine load: `GET /v1/investigations?limit=5` against `tools/call list_investigations`
// (limit 5) POSTed to /mcp as an MCP client sends it once initialized (the endpoint is stateless,
// so every call is one POST, answered as a one-message SSE stream).
//
//   node --conditions=@foxhound/source -r ./tools/ts-run.cjs tools/bench/mcp/latency.ts
//   BENCH_CALLS=300 (default)
import http from 'node:http';
import { startStandaloneGateway } from '../support/services';

const CALLS = Number(process.env.BENCH_CALLS ?? 300);
const ADMIN_KEY = `fh_${'m'.repeat(43)}`;

function request(
  url: string,
  agent: http.Agent,
  init: { method: string; headers: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method, headers: init.headers, agent }, (res) => {
      let body = '';
      res.on('data', (c) => (body += String(c)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function timed(call: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await call();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function main(): Promise<void> {
  const gateway = await startStandaloneGateway(ADMIN_KEY, 'bench-mcp');
  const gatewayUrl = gateway.url;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const rest = async () => {
    const res = await request(`${gatewayUrl}/v1/investigations?limit=5`, agent, {
      method: 'GET',
      headers: { 'x-api-key': ADMIN_KEY },
    });
    if (res.status !== 200) throw new Error(`REST answered ${res.status}: ${res.body}`);
  };
  let id = 0;
  const mcp = async () => {
    const res = await request(`${gatewayUrl}/mcp`, agent, {
      method: 'POST',
      headers: {
        'x-api-key': ADMIN_KEY,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: ++id,
        method: 'tools/call',
        params: { name: 'list_investigations', arguments: { limit: 5 } },
      }),
    });
    const data = /^data: (.*)$/m.exec(res.body)?.[1];
    const answer = data
      ? (JSON.parse(data) as { result?: { isError?: boolean; content?: { text: string }[] } })
      : {};
    if (
      res.status !== 200 ||
      !answer.result ||
      answer.result.isError ||
      !answer.result.content?.[0]?.text.includes('"items"')
    )
      throw new Error(`MCP answered ${res.status}: ${res.body.slice(0, 300)}`);
  };
  try {
    for (let i = 0; i < 20; i++) {
      await rest();
      await mcp();
    }
    const restTimes: number[] = [];
    const mcpTimes: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      restTimes.push(await timed(rest));
      mcpTimes.push(await timed(mcp));
    }
    const row = (name: string, t: number[]) =>
      `  ${name.padEnd(40)} p50 ${percentile(t, 50).toFixed(2).padStart(6)} ms  p95 ${percentile(t, 95).toFixed(2).padStart(6)} ms`;
    console.log(`${CALLS} calls each, interleaved, one keep-alive connection:`);
    console.log(row('REST GET /v1/investigations?limit=5', restTimes));
    console.log(row('MCP tools/call list_investigations', mcpTimes));
    const ratio = (p: number) => (percentile(mcpTimes, p) / percentile(restTimes, p)).toFixed(2);
    const added = (p: number) => (percentile(mcpTimes, p) - percentile(restTimes, p)).toFixed(2);
    console.log(`  MCP / REST: p50 ${ratio(50)}x (+${added(50)} ms), p95 ${ratio(95)}x (+${added(95)} ms)`);
  } finally {
    agent.destroy();
    await gateway.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
