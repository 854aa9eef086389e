// Diagnostics benchmark: CPU time of diagnose() per namespace scope and over a whole synthetic
// cluster (10,000 pods in 100 namespaces with faults sprinkled in), against a plain JSON walk over
// the same objects measured in the same run. The budget the issue sets: well under a second of CPU
// per namespace scope. Then the log part (log-bench.ts): today's engine against this tree's reading
// every pod's log, on a 100-pod namespace and the 10,000-pod cluster, and the log model's MB/s.
//   node --conditions=@foxhound/source -r ./tools/ts-run.cjs tools/bench/diagnostics/bench.ts
import { performance } from 'node:perf_hooks';
import { type ClusterSnapshot, diagnose } from '@foxhound/diagnostics';
import { logBenchmark } from './log-bench';
import { namespaceScope, syntheticCluster } from './synthetic';

const SHAPE = { namespaces: 100, workloadsPerNamespace: 10, podsPerWorkload: 10, nodes: 50 };
const ROUNDS = 3;

/** The baseline: visit every value of every object once, as any analysis must at least do. */
function jsonWalk(snapshot: ClusterSnapshot): number {
  let visited = 0;
  const walk = (value: unknown): void => {
    visited++;
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object')
      for (const key in value) walk((value as Record<string, unknown>)[key]);
  };
  walk(snapshot.objects);
  walk(snapshot.logs);
  return visited;
}

/** A copy whose memo caches (indexes, log classifications) start cold, as a fresh collection would. */
function fresh(s: ClusterSnapshot): ClusterSnapshot {
  return { ...s, objects: { ...s.objects }, logs: s.logs.map((l) => ({ ...l, lines: [...l.lines] })) };
}

function cpuMs<T>(fn: () => T): { ms: number; wallMs: number; result: T } {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const result = fn();
  const used = process.cpuUsage(cpu);
  return { ms: (used.user + used.system) / 1000, wallMs: performance.now() - wall, result };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const fmt = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;

function main(): void {
  const cluster = syntheticCluster(SHAPE);
  const namespaces = cluster.objects.namespaces.map((n) => n.metadata.name);
  const scopes = namespaces.map((ns) => namespaceScope(cluster, ns));
  console.log(
    `diagnostics benchmark: ${cluster.objects.pods.length} pods, ${cluster.objects.deployments.length} Deployments, ${namespaces.length} namespaces, ${cluster.objects.nodes.length} nodes, ${cluster.logs.length} container logs`,
  );

  // Warm the JIT on a few scopes so the rounds measure steady-state code.
  for (const s of scopes.slice(0, 5)) diagnose(fresh(s));

  const analysis: number[] = [];
  const baseline: number[] = [];
  let problems = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const scope of scopes) {
      const input = fresh(scope);
      baseline.push(cpuMs(() => jsonWalk(input)).ms);
      const run = cpuMs(() => diagnose(input));
      analysis.push(run.ms);
      if (round === 0) problems += run.result.rootCauses.length;
    }
  }
  const median = percentile(analysis, 50);
  const baseMedian = percentile(baseline, 50);
  console.log(
    `\nper namespace scope (${SHAPE.workloadsPerNamespace * SHAPE.podsPerWorkload} pods), ${analysis.length} runs:`,
  );
  console.log(
    `  diagnose()  CPU median ${fmt(median)}, p95 ${fmt(percentile(analysis, 95))}, max ${fmt(Math.max(...analysis))}`,
  );
  console.log(`  JSON walk   CPU median ${fmt(baseMedian)}, p95 ${fmt(percentile(baseline, 95))}`);
  console.log(`  ratio       diagnose / walk = ${(median / baseMedian).toFixed(1)}x (median)`);
  console.log(
    `  budget      p95 ${fmt(percentile(analysis, 95))} of the 1000 ms per scope (${((percentile(analysis, 95) / 1000) * 100).toFixed(1)}%)`,
  );
  console.log(`  root causes found across the ${scopes.length} scopes: ${problems}`);

  const whole: number[] = [];
  const wholeBase: number[] = [];
  let wall = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const input = fresh(cluster);
    wholeBase.push(cpuMs(() => jsonWalk(input)).ms);
    const run = cpuMs(() => diagnose(input));
    whole.push(run.ms);
    wall = run.wallMs;
  }
  const wholeMedian = percentile(whole, 50);
  console.log(`\nwhole cluster (${cluster.objects.pods.length} pods), ${ROUNDS} runs:`);
  console.log(`  diagnose()  CPU median ${fmt(wholeMedian)} (wall ${fmt(wall)} last run)`);
  console.log(`  JSON walk   CPU median ${fmt(percentile(wholeBase, 50))}`);
  console.log(`  ratio       diagnose / walk = ${(wholeMedian / percentile(wholeBase, 50)).toFixed(1)}x`);
  logBenchmark();
}

main();
