// kube-sim at demo-cluster size: 10,000 pods across 100 namespaces. One run, side by side:
//   kube-sim   the simulated API server (libs/kube-sim) over HTTP, selectors and all
//   static     the baseline every ratio divides by: a bare node:http server answering each request with
//              the bytes kube-sim returned for it (list) or streaming the same watch lines (watch), so
//              the ratio is the cost of being an API server on top of moving the bytes
// Rows: load time and memory for the 10,000 pods; list latency (all pods, one namespace, a label
// selector across namespaces, a 500-item page); watch fan-out throughput to 10 HTTP watchers; and
// `kubectl get pods -A` end to end when .tools/kubectl exists (the kube-sim tests extract it).
//
//   node --conditions=@foxhound/source -r ./tools/ts-run.cjs tools/bench/kube-sim/bench.ts
// Env: BENCH_PODS (10000), BENCH_NAMESPACES (100), BENCH_ROUNDS (20 list requests per row, median
// and p95 shown), BENCH_WATCHERS (10), BENCH_UPDATES (5000).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { Agent, createServer, get, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startKubeSim, type KubeObject } from '@foxhound/kube-sim';

const PODS = Number(process.env.BENCH_PODS ?? 10_000);
const NAMESPACES = Number(process.env.BENCH_NAMESPACES ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const WATCHERS = Number(process.env.BENCH_WATCHERS ?? 10);
const UPDATES = Number(process.env.BENCH_UPDATES ?? 5000);
const KUBECTL = resolve(__dirname, '../../../.tools/kubectl');

const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const ms = (ns: bigint) => Number(ns) / 1e6;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function pod(i: number): KubeObject {
  const ns = `ns-${String(i % NAMESPACES).padStart(3, '0')}`;
  const app = `app-${i % 100}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${app}-7d9f8b6c5-${String(i).padStart(5, '0')}`,
      namespace: ns,
      labels: { app, 'pod-template-hash': '7d9f8b6c5', tier: i % 3 === 0 ? 'web' : 'worker' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: `${app}-7d9f8b6c5`,
          uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          controller: true,
        },
      ],
    },
    spec: {
      nodeName: `node-${i % 20}`,
      containers: [
        {
          name: 'app',
          image: `registry.example.com/${app}:1.${i % 7}.0`,
          ports: [{ containerPort: 8080, name: 'http' }],
          env: [
            { name: 'LOG_LEVEL', value: 'info' },
            { name: 'REGION', value: 'eu-west-1' },
          ],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10 },
        },
      ],
    },
  };
}

function fetchBody(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ bytes: number; body: Buffer }> {
  return new Promise((resolvePromise, reject) => {
    get(url, { agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        if (res.statusCode !== 200)
          reject(new Error(`${url}: ${res.statusCode} ${body.toString().slice(0, 200)}`));
        else resolvePromise({ bytes: body.length, body });
      });
    }).on('error', reject);
  });
}

async function latency(url: string): Promise<{ p50: number; p95: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const start = process.hrtime.bigint();
    bytes = (await fetchBody(url)).bytes;
    times.push(ms(process.hrtime.bigint() - start));
  }
  times.sort((a, b) => a - b);
  return {
    p50: times[Math.floor(times.length / 2)],
    p95: times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)],
    bytes,
  };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Opens `count` watch streams and resolves when each has seen `expected` lines. */
function watchAll(
  url: string,
  count: number,
  expected: number,
): { ready: Promise<void>; done: Promise<void>; close(): void } {
  const requests: ReturnType<typeof get>[] = [];
  let ready = 0;
  let finished = 0;
  let onReady!: () => void;
  let onDone!: () => void;
  const readyP = new Promise<void>((r) => (onReady = r));
  const doneP = new Promise<void>((r) => (onDone = r));
  for (let i = 0; i < count; i++) {
    let lines = 0;
    const req = get(url, { agent: false }, (res) => {
      if (++ready === count) onReady();
      res.on('data', (c: Buffer) => {
        for (let j = 0; j < c.length; j++) if (c[j] === 10) lines++;
        if (lines === expected && ++finished === count) onDone();
      });
    });
    req.on('error', () => undefined);
    requests.push(req);
  }
  return { ready: readyP, done: doneP, close: () => requests.forEach((r) => r.destroy()) };
}

function row(label: string, simValue: number, baseValue: number, unit: string, extra = ''): string {
  const ratio = baseValue > 0 ? (simValue / baseValue).toFixed(2) : '-';
  return `${label.padEnd(44)} ${`${simValue.toFixed(1)} ${unit}`.padStart(14)} ${`${baseValue.toFixed(1)} ${unit}`.padStart(14)} ${ratio.padStart(7)}x  ${extra}`;
}

async function main(): Promise<void> {
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const sim = await startKubeSim({ prometheus: false, historyLimit: 1000 });
  const loadStart = process.hrtime.bigint();
  for (let n = 0; n < NAMESPACES; n++) {
    sim.store.create('namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: `ns-${String(n).padStart(3, '0')}` },
    });
  }
  for (let i = 0; i < PODS; i++) sim.store.create('pods', pod(i));
  const loadMs = ms(process.hrtime.bigint() - loadStart);
  global.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;

  console.log(
    `kube-sim bench: ${PODS} pods in ${NAMESPACES} namespaces, ${ROUNDS} requests per list row, ${WATCHERS} watchers x ${UPDATES} updates`,
  );
  console.log(
    `load: ${loadMs.toFixed(0)} ms through store.create (${((PODS / loadMs) * 1000).toFixed(0)} pods/s); heap ${mb(heapAfter - heapBefore)} (${((heapAfter - heapBefore) / PODS / 1024).toFixed(1)} KB per pod${global.gc ? '' : ', run with --expose-gc for exact figures'}); rss ${mb(process.memoryUsage().rss)}`,
  );
  console.log('');
  console.log(
    `${'row'.padEnd(44)} ${'kube-sim'.padStart(14)} ${'static'.padStart(14)} ${'ratio'.padStart(8)}  notes`,
  );

  const lists: [string, string][] = [
    ['list all pods (p50)', '/api/v1/pods'],
    ['list one namespace (p50)', '/api/v1/namespaces/ns-042/pods'],
    ['labelSelector across namespaces (p50)', '/api/v1/pods?labelSelector=app%3Dapp-7,tier%3Dweb'],
    ['fieldSelector spec.nodeName (p50)', '/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-3'],
    ['first page, limit=500 (p50)', '/api/v1/pods?limit=500'],
  ];
  for (const [label, path] of lists) {
    // First request warms the JSON cache, as a demo cluster's first list does once.
    const body = (await fetchBody(sim.url + path)).body;
    const staticServer = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
      res.end(body);
    });
    const staticUrl = await listen(staticServer);
    const s = await latency(sim.url + path);
    const b = await latency(staticUrl + path);
    console.log(
      row(label, s.p50, b.p50, 'ms', `p95 ${s.p95.toFixed(1)} vs ${b.p95.toFixed(1)} ms, ${mb(s.bytes)}`),
    );
    staticServer.closeAllConnections();
    await new Promise((r) => staticServer.close(r));
  }

  // Watch fan-out: every watcher sees every pod status update.
  const rv = sim.store.resourceVersion;
  const w = watchAll(`${sim.url}/api/v1/pods?watch=1&resourceVersion=${rv}`, WATCHERS, UPDATES);
  await w.ready;
  const names = sim.store
    .list('pods', { limit: UPDATES })
    .items.map((p) => [p.metadata.namespace, p.metadata.name] as const);
  const watchStart = process.hrtime.bigint();
  for (let i = 0; i < UPDATES; i++) {
    const [ns, name] = names[i % names.length];
    sim.store.patch(
      'pods',
      ns,
      name,
      'merge',
      { status: { phase: 'Running', podIP: `10.1.${i >> 8}.${i & 255}` } },
      { subresource: 'status' },
    );
  }
  await w.done;
  const simWatchMs = ms(process.hrtime.bigint() - watchStart);
  w.close();
  const sampleLine = `{"type":"MODIFIED","object":${JSON.stringify(sim.store.get('pods', names[0][0], names[0][1]))}}\n`;
  const streamClients: ServerResponse[] = [];
  const streamServer = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    streamClients.push(res);
  });
  const streamUrl = await listen(streamServer);
  const bw = watchAll(streamUrl, WATCHERS, UPDATES);
  await bw.ready;
  const baseStart = process.hrtime.bigint();
  for (let i = 0; i < UPDATES; i++) for (const c of streamClients) c.write(sampleLine);
  await bw.done;
  const baseWatchMs = ms(process.hrtime.bigint() - baseStart);
  bw.close();
  streamServer.closeAllConnections();
  await new Promise((r) => streamServer.close(r));
  const delivered = WATCHERS * UPDATES;
  console.log(
    row(
      `watch: ${UPDATES} updates to ${WATCHERS} watchers`,
      simWatchMs,
      baseWatchMs,
      'ms',
      `${((delivered / simWatchMs) * 1000).toFixed(0)} vs ${((delivered / baseWatchMs) * 1000).toFixed(0)} events/s delivered`,
    ),
  );

  if (existsSync(KUBECTL)) {
    const home = await mkdtemp(join(tmpdir(), 'kube-sim-bench-'));
    await writeFile(join(home, 'kubeconfig'), sim.kubeconfigYaml());
    const run = () =>
      new Promise<number>((resolveRun, reject) => {
        const start = process.hrtime.bigint();
        execFile(
          KUBECTL,
          ['get', 'pods', '-A', '--no-headers'],
          { env: { HOME: home, KUBECONFIG: join(home, 'kubeconfig') }, maxBuffer: 64 * 1024 * 1024 },
          (err, stdout) => {
            if (err) reject(err);
            else if (stdout.trim().split('\n').length !== PODS)
              reject(new Error('kubectl printed the wrong number of rows'));
            else resolveRun(ms(process.hrtime.bigint() - start));
          },
        );
      });
    await run();
    const times = [await run(), await run(), await run()].sort((a, b) => a - b);
    console.log(
      `kubectl get pods -A (${PODS} rows, server-side table): median ${times[1].toFixed(0)} ms end to end`,
    );
    await rm(home, { recursive: true, force: true });
  } else {
    console.log('kubectl row skipped: .tools/kubectl is missing (run the kube-sim tests once to extract it)');
  }
  agent.destroy();
  await sim.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
