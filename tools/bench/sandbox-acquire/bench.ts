// sandbox-acquire benchmark: how long a thread waits for its sandbox, side by side on this machine.
//   baseline     spawning the sandbox program bare (node probe-server.js, no manager, no isolation)
//                to its first /healthz 200: every cold ratio divides by it
//   startup      the executor spawned the same way, before and after: as before the bundle (our code
//                in one file, every npm package required from node_modules, as the tsc build did),
//                the bundle alone (`node dist/executor.js`, compiled at every start) and as shipped
//                (`node dist/main.js`: with its code cache), each as a ratio to the bare spawn, and
//                the memory (PSS) of each once idle
//   rtt          a round trip to the manager's /healthz: what a warm acquire costs at the least
//   local        the manager's local backend running the executor under each isolation driver that
//                works here (none, bwrap, gvisor): warm (from the pool) and cold acquisitions
//   burst        N new threads at once under each of BENCH_BURST_DRIVERS, with the adaptive pool
//                (floor 3, ceiling 8, starts within the CPU budget, arrivals queued in order) and
//                with a fixed pool of 3 whose every other acquisition starts its own sandbox at
//                once (the pool before the adaptive one): all ready, p95 wait
//   kube-sim     the Kubernetes backend against kube-sim's agent-sandbox controller with sandbox
//                pods as real processes on 127.0.0.N: a SandboxClaim to Ready directly, and the
//                manager's warm and cold acquisitions and burst
// Each acquisition is a real POST /v1/sandboxes to a manager process; each sandbox is deleted after.
//
//   node --conditions=@foxhound/source -r ./tools/ts-run.cjs tools/bench/sandbox-acquire/bench.ts
// The executor must be built first: npx nx run @foxhound/executor:build.
// Env: BENCH_RUNS (15 per row), BENCH_BURST (50 threads), BENCH_DRIVERS (none,bwrap,gvisor),
// BENCH_BURST_DRIVERS (none,bwrap), BENCH_WARM_POOL (3), BENCH_KUBE_SIM (1; 0 leaves it out).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type SandboxDescriptor, type SandboxClaim, type PoolStatus } from '@foxhound/contracts';
import { AgentSandboxClient, claimReadiness, loadKubeConfig } from '@foxhound/kube';
import {
  loopbackProcessRuntime,
  startAgentSandboxController,
  startKubeSim,
  type KubeSim,
} from '@foxhound/kube-sim';
import {
  EXECUTOR_DIST,
  PROBE_SERVER,
  ROOT,
  bundleExecutor,
  bareSpawnMs,
  spawnToHealthzMs,
  treePssMiB,
  call,
  freePort,
  percentile,
  startManager,
  timed,
  until,
  type Manager,
} from './manager';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const BURST = Number(process.env.BENCH_BURST ?? 50);
const WARM_POOL = Number(process.env.BENCH_WARM_POOL ?? 3);
const DRIVERS = (process.env.BENCH_DRIVERS ?? 'none,bwrap,gvisor').split(',').filter(Boolean);
const BURST_DRIVERS = (process.env.BENCH_BURST_DRIVERS ?? 'none,bwrap').split(',').filter(Boolean);
const KUBE_SIM = process.env.BENCH_KUBE_SIM !== '0';
const LIMITS = {
  SANDBOX_MAX_TOTAL: '500',
  SANDBOX_MAX_PER_OWNER: '500',
  SANDBOX_READY_TIMEOUT_SECONDS: '120',
  SANDBOX_QUEUE_MAX: '500',
  SANDBOX_QUEUE_WAIT_SECONDS: '600',
};
/** Memory rows: PSS in MiB of one idle process (tree), median of the runs. */
const memory: Array<{ name: string; samples: number[] }> = [];

interface Row {
  name: string;
  samples: number[];
  /** Target p50 in ms, when the issue sets one. */
  target?: number;
  /** Divide by this baseline's p50 for the ratio column. */
  baseline?: 'spawn' | 'rtt';
  note?: string;
}

const rows: Row[] = [];
const baselines: Record<'spawn' | 'rtt', number> = { spawn: Number.NaN, rtt: Number.NaN };
let counter = 0;

async function acquire(manager: Manager, threadId = `bench-${process.pid}-${counter++}`) {
  const { ms, value } = await timed(() =>
    call<SandboxDescriptor>(`${manager.url}/v1/sandboxes`, 'POST', { threadId }),
  );
  if (value.status !== 201)
    throw new Error(`acquire ${threadId}: ${value.status} ${JSON.stringify(value.body)}`);
  return { ms, descriptor: value.body };
}

const release = (manager: Manager, descriptor: SandboxDescriptor) =>
  call(`${manager.url}/v1/sandboxes/${descriptor.sandboxId}`, 'DELETE');

const poolReady = (manager: Manager, ready: number) =>
  until(async () => (await call<PoolStatus>(`${manager.url}/v1/pool`, 'GET')).body.ready >= ready, 120_000);

async function measureWarm(
  manager: Manager,
  name: string,
  target?: number,
  baseline: Row['baseline'] = 'rtt',
) {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    await poolReady(manager, WARM_POOL);
    const { ms, descriptor } = await acquire(manager);
    if (descriptor.warm !== true) throw new Error(`${name}: expected a warm sandbox`);
    samples.push(ms);
    await release(manager, descriptor);
  }
  rows.push({ name, samples, target, baseline });
}

async function measureCold(manager: Manager, name: string, target?: number) {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const { ms, descriptor } = await acquire(manager);
    samples.push(ms);
    await release(manager, descriptor);
  }
  rows.push({ name, samples, target, baseline: 'spawn' });
}

async function measureBurst(manager: Manager, name: string) {
  await poolReady(manager, WARM_POOL);
  const started = performance.now();
  // Every thread's wait, ready or not: a burst that overwhelms the machine fails some of them.
  const results = await Promise.all(
    Array.from({ length: BURST }, async () => {
      const { ms, value } = await timed(() =>
        call<SandboxDescriptor>(`${manager.url}/v1/sandboxes`, 'POST', {
          threadId: `bench-${process.pid}-${counter++}`,
        }),
      );
      return { ms, status: value.status, descriptor: value.body };
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const ready = results.filter((r) => r.status === 201);
  const warm = ready.filter((r) => r.descriptor.warm === true).length;
  const failed = [...new Set(results.filter((r) => r.status !== 201).map((r) => r.status))].join('/');
  const pool = (await call<PoolStatus>(`${manager.url}/v1/pool`, 'GET')).body;
  rows.push({
    name,
    samples: results.map((r) => r.ms),
    note:
      `${ready.length} of ${BURST} ready${failed ? ` (others ${failed})` : ''} in ${seconds.toFixed(2)} s, ${warm} warm; ` +
      `pool after: ${pool.mode ?? 'fixed'}, desired ${pool.desired}`,
  });
  await Promise.all(ready.map((r) => release(manager, r.descriptor)));
}

function driverWorks(driver: string): boolean {
  if (driver === 'none') return true;
  const argv =
    driver === 'bwrap'
      ? ['bwrap', '--ro-bind', '/', '/', '--unshare-all', '--die-with-parent', '/bin/true']
      : ['runsc', '--rootless', '--network=none', '--ignore-cgroups', 'do', '/bin/true'];
  return spawnSync(argv[0]!, argv.slice(1), { stdio: 'ignore', timeout: 20_000 }).status === 0;
}

async function benchLocal(driver: string, root: string) {
  const env = { LOCAL_ISOLATION: driver, LOCAL_SANDBOX_ROOT: root, ...LIMITS };
  const fixed = { LOCAL_WARM_POOL_SIZE: String(WARM_POOL), LOCAL_WARM_POOL_MAX: String(WARM_POOL) };
  const warm = await startManager({ ...env, ...fixed });
  try {
    await measureWarm(warm, `local ${driver}: warm acquire`, 20);
  } finally {
    await warm.stop();
  }
  // Ceiling 0: nothing pre-started, so every acquisition is a cold start.
  const cold = await startManager({ ...env, LOCAL_WARM_POOL_SIZE: '0', LOCAL_WARM_POOL_MAX: '0' });
  try {
    const target = driver === 'bwrap' ? 150 : driver === 'gvisor' ? 1000 : undefined;
    await measureCold(cold, `local ${driver}: cold acquire`, target);
  } finally {
    await cold.stop();
  }
}

async function benchBurst(driver: string, root: string) {
  const env = { LOCAL_ISOLATION: driver, LOCAL_SANDBOX_ROOT: root, ...LIMITS };
  const variants: Array<{ name: string; env: Record<string, string> }> = [
    {
      name: `local ${driver}: burst of ${BURST}, fixed pool of ${WARM_POOL}`,
      env: {
        LOCAL_WARM_POOL_SIZE: String(WARM_POOL),
        LOCAL_WARM_POOL_MAX: String(WARM_POOL),
        LOCAL_START_CONCURRENCY: String(BURST),
      },
    },
    {
      name: `local ${driver}: burst of ${BURST}, adaptive pool`,
      env: { LOCAL_WARM_POOL_SIZE: String(WARM_POOL), LOCAL_WARM_POOL_MAX: '8' },
    },
  ];
  for (const variant of variants) {
    const manager = await startManager({ ...env, ...variant.env });
    try {
      await measureBurst(manager, variant.name);
    } finally {
      await manager.stop();
    }
  }
}

/** The executor spawned bare before and after the bundle and its code cache, against the bare probe. */
async function benchStartup(root: string) {
  const main = path.join(EXECUTOR_DIST, 'main.js');
  const bundle = path.join(EXECUTOR_DIST, 'executor.js');
  if (!existsSync(main)) throw new Error('build the executor first: npx nx run @foxhound/executor:build');
  // Inside apps/executor, so its requires resolve through node_modules exactly as the executor's did.
  const before = await mkdtemp(path.join(ROOT, 'apps/executor/.bench-unbundled-'));
  try {
    await bundleExecutor(before, { npmExternal: true });
    await startupRows(root, main, bundle, path.join(before, 'executor.js'));
  } finally {
    await rm(before, { recursive: true, force: true });
  }
}

async function startupRows(root: string, main: string, bundle: string, unbundled: string) {
  const kubeconfig = path.join(root, 'startup-kubeconfig');
  await writeFile(
    kubeconfig,
    'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]\n' +
      'users: [{name: u, user: {token: t}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\n' +
      'current-context: c\n',
  );
  const env = { KUBECONFIG: kubeconfig, LOG_LEVEL: 'warn', EXECUTOR_PROVIDER: 'offline', HOME: root };
  const variants: Array<[string, string[], Record<string, string>]> = [
    ['bare node (probe-server.js)', [PROBE_SERVER], {}],
    ['executor before: npm packages from node_modules', [unbundled], env],
    ['executor bundle, compiled at start', [bundle], env],
    ['executor as shipped (bundle + code cache)', [main], env],
    ['executor as shipped, local heap cap 768', [main], { ...env, NODE_OPTIONS: '--max-old-space-size=768' }],
  ];
  for (const [name, args, variantEnv] of variants) {
    const samples: number[] = [];
    const pss: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      samples.push(
        await spawnToHealthzMs(args, variantEnv, async (pid) => {
          // Idle: let start-up garbage settle before reading memory.
          await new Promise((resolve) => setTimeout(resolve, 300));
          pss.push(await treePssMiB(pid));
        }),
      );
    }
    if (!name.startsWith('bare'))
      rows.push({ name: `startup: ${name}`, samples, baseline: 'spawn', target: 3 * baselines.spawn });
    memory.push({ name: `idle ${name}`, samples: pss });
  }
}

async function benchKubeSim(dir: string) {
  const sim: KubeSim = await startKubeSim({ prometheus: false });
  const port = await freePort();
  const controller = startAgentSandboxController({
    store: sim.store,
    runtime: loopbackProcessRuntime({ command: [process.execPath, PROBE_SERVER], port }),
  });
  const ns = 'foxhound-sandboxes';
  try {
    sim.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    sim.store.create('sandboxtemplates.extensions.agents.x-k8s.io', {
      apiVersion: 'extensions.agents.x-k8s.io/v1beta1',
      kind: 'SandboxTemplate',
      metadata: { name: 'executor', namespace: ns },
      spec: {
        podTemplate: {
          spec: { containers: [{ name: 'executor', image: 'executor', ports: [{ containerPort: port }] }] },
        },
      },
    });
    for (const [name, replicas] of [
      ['warm', WARM_POOL],
      ['cold', 0],
    ] as const) {
      sim.store.create('sandboxwarmpools.extensions.agents.x-k8s.io', {
        apiVersion: 'extensions.agents.x-k8s.io/v1beta1',
        kind: 'SandboxWarmPool',
        metadata: { name, namespace: ns },
        spec: { replicas, sandboxTemplateRef: { name: 'executor' } },
      });
    }
    const kubeconfig = path.join(dir, 'kubeconfig');
    await sim.writeKubeconfig(kubeconfig);

    // A claim to Ready with no manager in between: create, then one watch from the create's version.
    const client = new AgentSandboxClient(loadKubeConfig({ from: 'file', path: kubeconfig }));
    const direct: number[] = [];
    const poolReadyReplicas = () =>
      (
        sim.store.find('sandboxwarmpools.extensions.agents.x-k8s.io', ns, 'warm')?.status as
          { readyReplicas?: number } | undefined
      )?.readyReplicas ?? 0;
    for (let i = 0; i < RUNS; i += 1) {
      await until(async () => poolReadyReplicas() >= WARM_POOL);
      const name = `direct-${i}`;
      const { ms } = await timed(async () => {
        const created = await client.create('claim', ns, {
          apiVersion: 'extensions.agents.x-k8s.io/v1beta1',
          kind: 'SandboxClaim',
          metadata: { name, namespace: ns },
          spec: { warmPoolRef: { name: 'warm' } },
        } as SandboxClaim);
        await client.waitFor('claim', {
          namespace: ns,
          name,
          current: created,
          timeoutMs: 60_000,
          evaluate: (claim) =>
            claim && claimReadiness(claim).state === 'ready'
              ? { done: true, value: undefined }
              : { done: false },
        });
      });
      direct.push(ms);
      await client.delete('claim', ns, name);
    }
    rows.push({
      name: 'kube-sim: SandboxClaim to Ready (warm, no manager)',
      samples: direct,
      target: 100,
      baseline: 'rtt',
    });

    const env = {
      SANDBOX_BACKEND: 'kubernetes',
      KUBECONFIG: kubeconfig,
      SANDBOX_NAMESPACE: ns,
      SANDBOX_PORT: String(port),
      ...LIMITS,
    };
    const warm = await startManager({ ...env, SANDBOX_WARM_POOL: 'warm' });
    try {
      const waitPool = async () => until(async () => poolReadyReplicas() >= WARM_POOL);
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        await waitPool();
        const { ms, descriptor } = await acquire(warm);
        samples.push(ms);
        await release(warm, descriptor);
      }
      rows.push({ name: 'kube-sim: manager warm acquire', samples, target: 100, baseline: 'rtt' });
      await waitPool();
      await measureBurstKube(warm);
    } finally {
      await warm.stop();
    }
    const cold = await startManager({ ...env, SANDBOX_WARM_POOL: 'cold' });
    try {
      await measureCold(cold, 'kube-sim: manager cold acquire');
    } finally {
      await cold.stop();
    }
  } finally {
    await controller.stop();
    await sim.close();
  }
}

async function measureBurstKube(manager: Manager) {
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: BURST }, () => acquire(manager)));
  const seconds = (performance.now() - started) / 1000;
  const warm = results.filter((r) => r.descriptor.warm === true).length;
  rows.push({
    name: `kube-sim: burst of ${BURST}`,
    samples: results.map((r) => r.ms),
    note: `${(BURST / seconds).toFixed(1)} sandboxes/s (${BURST} threads in ${seconds.toFixed(2)} s, ${warm} warm)`,
  });
  await Promise.all(results.map((r) => release(manager, r.descriptor)));
}

async function measureBaselines(root: string) {
  const spawns: number[] = [];
  for (let i = 0; i < RUNS; i += 1) spawns.push(await bareSpawnMs());
  baselines.spawn = percentile(spawns, 50);
  rows.push({ name: 'baseline: bare spawn to /healthz', samples: spawns });
  const manager = await startManager({
    LOCAL_ISOLATION: 'none',
    LOCAL_WARM_POOL_SIZE: '0',
    LOCAL_SANDBOX_ROOT: root,
  });
  try {
    const rtts: number[] = [];
    for (let i = 0; i < RUNS * 4; i += 1)
      rtts.push((await timed(() => call(`${manager.url}/healthz`, 'GET'))).ms);
    baselines.rtt = percentile(rtts, 50);
    rows.push({ name: 'baseline: manager /healthz round trip', samples: rtts });
  } finally {
    await manager.stop();
  }
}

function print() {
  const header = ['scenario', 'p50 ms', 'p95 ms', 'x baseline', 'target p50', ''];
  const lines = rows.map((row) => {
    const p50 = percentile(row.samples, 50);
    const base = row.baseline ? baselines[row.baseline] : Number.NaN;
    return [
      row.name,
      p50.toFixed(1),
      percentile(row.samples, 95).toFixed(1),
      Number.isNaN(base) ? '' : `${(p50 / base).toFixed(2)}x ${row.baseline}`,
      row.target === undefined ? '' : `< ${row.target.toFixed(0)} ${p50 < row.target ? 'met' : 'MISSED'}`,
      row.note ?? '',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  console.log(`\nsandbox-acquire: ${RUNS} runs per row, burst of ${BURST}, warm pool ${WARM_POOL}\n`);
  console.log(format(header));
  for (const line of lines) console.log(format(line));
  console.log('\nmemory (PSS of one idle process and its children, MiB, median)');
  for (const row of memory) console.log(`  ${row.name.padEnd(48)} ${percentile(row.samples, 50).toFixed(1)}`);
}

async function main() {
  // /var/tmp, not /tmp: gVisor's `runsc do` cannot use directories right under /tmp.
  const root = await mkdtemp('/var/tmp/fh-bench-sandboxes-');
  try {
    await measureBaselines(root);
    await benchStartup(root);
    for (const driver of DRIVERS) {
      if (!driverWorks(driver)) {
        console.log(`(skipping ${driver}: not usable on this machine)`);
        continue;
      }
      await benchLocal(driver, root);
    }
    for (const driver of BURST_DRIVERS) if (driverWorks(driver)) await benchBurst(driver, root);
    if (KUBE_SIM) await benchKubeSim(root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  print();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
