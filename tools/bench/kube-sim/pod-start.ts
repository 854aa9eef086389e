// kube-sim's controllers under load, in declared-behaviour mode: how long 100 pods take from their
// Deployment's creation to Ready (scheduler, kubelet, image pull, readiness probe; the simulated
// delays set to 1 ms so what is measured is the simulation's own work), p50/p95 per pod; then the
// CPU and memory 100 running pods cost while each writes a log line every simulated second, beside
// the same cluster idle. Real processes under isolation drivers are not built, so there is no
// runtime column to compare against yet.
import { defaultControllers, startKubeSim, type KubeObject } from '@foxhound/kube-sim';

const PODS = Number(process.env.BENCH_PODS ?? 100);
const MS_PER_SECOND = 100;

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))];

function deployment(name: string, replicas: number, container: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'bench' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', ...container }] },
      },
    },
  } as KubeObject;
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function main(): Promise<void> {
  const sim = await startKubeSim({
    prometheus: false,
    controllers: defaultControllers({
      kubelet: { startDelayMs: 1, readyDelayMs: 1, msPerSecond: MS_PER_SECOND },
      agentSandbox: false,
    }),
  });
  sim.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
  const readyAt = new Map<string, number>();
  const created = new Map<string, number>();
  const unsubscribe = sim.store.subscribe((e) => {
    if (e.resource.plural !== 'pods' || e.resource.group !== '') return;
    const name = e.object.metadata.name!;
    if (e.type === 'ADDED') created.set(name, performance.now());
    const ready = (
      (e.object as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions ?? []
    ).some((c) => c.type === 'Ready' && c.status === 'True');
    if (ready && !readyAt.has(name)) readyAt.set(name, performance.now());
  });

  const t0 = performance.now();
  sim.store.create(
    'deployments.apps',
    deployment('web', PODS, {
      image: 'nginx:1.27',
      ports: [{ containerPort: 80 }],
      readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 1 },
    }),
  );
  await until(() => readyAt.size >= PODS, 120_000);
  const all = performance.now() - t0;
  const perPod = [...readyAt].map(([name, at]) => at - (created.get(name) ?? t0));
  console.log(`kube-sim pod start (declared-behaviour mode, ${PODS} nginx pods, one Deployment)`);
  console.log(
    `  create to Ready per pod: p50 ${percentile(perPod, 50).toFixed(1)} ms, p95 ${percentile(perPod, 95).toFixed(1)} ms; all ${PODS} Ready after ${all.toFixed(0)} ms`,
  );
  unsubscribe();

  const sample = async (label: string) => {
    global.gc?.();
    const cpu = process.cpuUsage();
    const mem = process.memoryUsage().heapUsed;
    const wallStart = performance.now();
    await new Promise((r) => setTimeout(r, 5_000));
    const used = process.cpuUsage(cpu);
    const wall = performance.now() - wallStart;
    const pct = ((used.user + used.system) / 1000 / wall) * 100;
    console.log(
      `  ${label.padEnd(44)} cpu ${pct.toFixed(1)}% of a core, heap ${((process.memoryUsage().heapUsed - mem) / 1e6).toFixed(1)} MB over 5 s`,
    );
    return pct;
  };
  const idle = await sample('100 Ready nginx pods, idle');
  sim.store.create(
    'deployments.apps',
    deployment('ticker', PODS, {
      image: 'busybox:1.36',
      command: ['sh', '-c', 'while true; do echo tick; sleep 1; done'],
    }),
  );
  await until(
    () => sim.store.list('pods', { namespace: 'bench', labelSelector: 'app=ticker' }).items.length >= PODS,
    60_000,
  );
  const busy = await sample(`+ ${PODS} busybox pods logging every ${MS_PER_SECOND} ms`);
  console.log(
    `  overhead of ${PODS} running declared-behaviour pods: ${(busy - idle).toFixed(1)} points of a core`,
  );
  await sim.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
