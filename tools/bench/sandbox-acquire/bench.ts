// sandbox-acquire benchmark: how long a thread waits for its sandbox, side by side on this machine.
//   baseline     spawning the sandbox program bare (node probe-server.js, no manager, no isolation)
//                to its first /healthz 200: every cold ratio divides by it
//   rtt          a round trip to the manager's /healthz: what a warm acquire costs at the least
//   local        the manager's local backend under each isolation driver that works here (none,
//                bwrap, gvisor): warm (from the pool) and cold acquisitions, and a burst of N threads
//   kube-sim     the Kubernetes backend against kube-sim's agent-sandbox controller with sandbox
//                pods as real processes on 127.0.0.N: a SandboxClaim to Ready directly, and the
//                manager's warm and cold acquisitions and burst
// Each acquisition is a real POST /v1/sandboxes to a manager process; each sandbox is deleted after.
//
//   node --conditions=@foxhound/source -r ./tools/ts-run.cjs tools/bench/sandbox-acquire/bench.ts
// Env: BENCH_RUNS (15 per row), BENCH_BURST (50 threads), BENCH_DRIVERS (none,bwrap,gvisor),
// BENCH_WARM_POOL (3).
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
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
  PROBE_SERVER,
  bareSpawnMs,
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
const LIMITS = {
  SANDBOX_MAX_TOTAL: '500',
  SANDBOX_MAX_PER_OWNER: '500',
  SANDBOX_READY_TIMEOUT_SECONDS: '120',
};

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
  const results = await Promise.all(Array.from({ length: BURST }, () => acquire(manager)));
  const seconds = (performance.now() - started) / 1000;
  const warm = results.filter((r) => r.descriptor.warm === true).length;
  rows.push({
    name,
    samples: results.map((r) => r.ms),
    note: `${(BURST / seconds).toFixed(1)} sandboxes/s (${BURST} threads in ${seconds.toFixed(2)} s, ${warm} warm)`,
  });
  await Promise.all(results.map((r) => release(manager, r.descriptor)));
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
  const warm = await startManager({ ...env, LOCAL_WARM_POOL_SIZE: String(WARM_POOL) });
  try {
    await measureWarm(warm, `local ${driver}: warm acquire`, 20);
    await measureBurst(warm, `local ${driver}: burst of ${BURST}`);
  } finally {
    await warm.stop();
  }
  const cold = await startManager({ ...env, LOCAL_WARM_POOL_SIZE: '0' });
  try {
    const target = driver === 'bwrap' ? 150 : driver === 'gvisor' ? 500 : undefined;
    await measureCold(cold, `local ${driver}: cold acquire`, target);
  } finally {
    await cold.stop();
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
      row.target === undefined ? '' : `< ${row.target} ${p50 < row.target ? 'met' : 'MISSED'}`,
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
}

async function main() {
  // /var/tmp, not /tmp: gVisor's `runsc do` cannot use directories right under /tmp.
  const root = await mkdtemp('/var/tmp/fh-bench-sandboxes-');
  try {
    await measureBaselines(root);
    for (const driver of DRIVERS) {
      if (!driverWorks(driver)) {
        console.log(`(skipping ${driver}: not usable on this machine)`);
        continue;
      }
      await benchLocal(driver, root);
    }
    await benchKubeSim(root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  print();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
