// The log part of the diagnostics benchmark, side by side in one run:
//  - today's engine: libs/diagnostics as committed before the log model (BENCH_BASE, default the
//    commit below), extracted with `git archive` into a temporary directory, with logs unread (the
//    snapshot without logs) and, for reference, given the same logs;
//  - the engine in this tree, reading every pod's log;
// on (a) one namespace of 100 pods with 200 log lines each and (b) the 10,000-pod cluster with logs
// for 1,000 pods, plus the log model's parsing throughput in MB of log text per CPU second (one
// core: it is single-threaded). Each measurement runs in its own child process so its peak heap and
// RSS are its own: the child builds the data, records the heap, runs the engine, and reports.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { analyzeLog, type ClusterSnapshot, diagnose } from '@foxhound/diagnostics';
import { namespaceScope, syntheticCluster } from './synthetic';
import { syntheticLog } from './synthetic-logs';

const LINES = 200;
/** Runs per measurement: the namespace case is cheap, so more runs steady its median on a shared machine. */
const ROUNDS: Record<Case, number> = { namespace: 11, cluster: 5 };
/** The last commit before the log model: "today's engine". */
const BASE = process.env.BENCH_BASE ?? '9480cf8';
const ROOT = resolve(__dirname, '../../..');
type Case = 'namespace' | 'cluster';
/** Today's engine without logs, today's engine with the same logs, this tree's engine with them. */
type Engine = 'today-logs-unread' | 'today-same-logs' | 'new-logs-read';
type Diagnose = (s: ClusterSnapshot) => { rootCauses: unknown[] };

interface Measure {
  cpuMedianMs: number;
  cpuMaxMs: number;
  /** Growth of V8's committed heap over the data alone, during the first (cold) run. */
  heapGrowthMb: number;
  /** Heap in use at the end of the cold run, results retained, over the data alone. */
  heapUsedMb: number;
  maxRssMb: number;
  rootCauses: number;
}

function withLogs(s: ClusterSnapshot, pods: number): ClusterSnapshot {
  const logs = s.objects.pods.slice(0, pods).map((p) => ({
    namespace: p.metadata.namespace!,
    pod: p.metadata.name,
    container: 'app',
    previous: false,
    truncated: false,
    lines: syntheticLog(p.metadata.name, p.metadata.labels?.app ?? 'web', LINES),
  }));
  return { ...s, logs: [...s.logs, ...logs] };
}

function build(which: Case): ClusterSnapshot {
  if (which === 'namespace') {
    const cluster = syntheticCluster({
      namespaces: 1,
      workloadsPerNamespace: 10,
      podsPerWorkload: 10,
      nodes: 10,
    });
    return withLogs(namespaceScope(cluster, 'team-0'), 100);
  }
  return withLogs(
    syntheticCluster({ namespaces: 100, workloadsPerNamespace: 10, podsPerWorkload: 10, nodes: 50 }),
    1_000,
  );
}

/** A copy whose memo caches start cold; without logs for "logs unread". */
function fresh(s: ClusterSnapshot, engine: Engine): ClusterSnapshot {
  return {
    ...s,
    objects: { ...s.objects },
    logs: engine === 'today-logs-unread' ? [] : s.logs.map((l) => ({ ...l, lines: [...l.lines] })),
  };
}

/** Today's libs/diagnostics sources in a temporary directory that resolves workspace packages. */
function extractToday(): string {
  const dir = mkdtempSync(join(tmpdir(), 'foxhound-bench-today-'));
  execFileSync('sh', [
    '-c',
    `git -C "$1" archive "$2" libs/diagnostics/src | tar -x -C "$3"`,
    'sh',
    ROOT,
    BASE,
    dir,
  ]);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

function engineOf(engine: Engine, todayDir: string | undefined): Diagnose {
  if (engine === 'new-logs-read') return diagnose;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(join(todayDir!, 'libs/diagnostics/src/index.ts')) as { diagnose: Diagnose }).diagnose;
}

function cpu<T>(fn: () => T): { ms: number; result: T } {
  const start = process.cpuUsage();
  const result = fn();
  const used = process.cpuUsage(start);
  return { ms: (used.user + used.system) / 1000, result };
}

const MB = 1024 * 1024;

/** Child side: one case, one engine. */
export function measure(which: Case, engine: Engine, todayDir?: string): Measure {
  const run = engineOf(engine, todayDir);
  const data = build(which);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heap0 = v8.getHeapStatistics();
  const cold = cpu(() => run(fresh(data, engine)));
  const heap1 = v8.getHeapStatistics();
  const runs = [cold.ms];
  for (let i = 1; i < ROUNDS[which]; i++) runs.push(cpu(() => run(fresh(data, engine))).ms);
  runs.sort((a, b) => a - b);
  return {
    cpuMedianMs: runs[Math.floor(runs.length / 2)],
    cpuMaxMs: runs[runs.length - 1],
    heapGrowthMb: (heap1.total_heap_size - heap0.total_heap_size) / MB,
    heapUsedMb: (heap1.used_heap_size - heap0.used_heap_size) / MB,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    rootCauses: cold.result.rootCauses.length,
  };
}

/** Child side: the log model alone over every log of a case, MB of text per CPU second. */
export function parseThroughput(which: Case): { mb: number; lines: number; ms: number } {
  const data = build(which);
  const logs = data.logs.map((l) => [...l.lines]);
  let bytes = 0;
  for (const lines of logs) for (const line of lines) bytes += Buffer.byteLength(line) + 1;
  // Warm the JIT on one pass, then measure passes over arrays the memo has never seen; the median.
  const pass = () => {
    const copies = logs.map((l) => [...l]);
    return cpu(() => {
      for (const lines of copies) analyzeLog(lines);
    }).ms;
  };
  pass();
  const runs = [pass(), pass(), pass()].sort((a, b) => a - b);
  return { mb: bytes / MB, lines: logs.reduce((n, l) => n + l.length, 0), ms: runs[1] };
}

function child<T>(args: string[]): T {
  const out = execFileSync(process.execPath, [...process.execArgv, '--expose-gc', __filename, ...args], {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

const f = (n: number, digits = 1) => n.toFixed(digits);

/** Parent side: every measurement in its own child, printed side by side. */
export function logBenchmark(): void {
  const started = performance.now();
  const today = extractToday();
  try {
    console.log(
      `\nlogs: today's engine (libs/diagnostics at ${BASE}) vs this tree's, which reads every pod's log (${LINES} lines each)`,
    );
    for (const which of ['namespace', 'cluster'] as const) {
      const rows = (['today-logs-unread', 'today-same-logs', 'new-logs-read'] as const).map(
        (engine) => [engine, child<Measure>(['measure', which, engine, today])] as const,
      );
      const title =
        which === 'namespace'
          ? '(a) one namespace, 100 pods, logs for all 100'
          : '(b) 10,000 pods, logs for 1,000';
      console.log(`\n${title}, ${ROUNDS[which]} runs each:`);
      console.log(
        '  engine                   CPU median   CPU max      heap growth  heap used   max RSS    root causes',
      );
      for (const [name, m] of rows)
        console.log(
          `  ${name.padEnd(24)} ${`${f(m.cpuMedianMs)} ms`.padEnd(12)} ${`${f(m.cpuMaxMs)} ms`.padEnd(12)} ${`${f(m.heapGrowthMb)} MB`.padEnd(12)} ${`${f(m.heapUsedMb)} MB`.padEnd(11)} ${`${f(m.maxRssMb, 0)} MB`.padEnd(10)} ${m.rootCauses}`,
        );
      const [unread, same, now] = rows.map(([, m]) => m.cpuMedianMs);
      console.log(
        `  ratio                    new / today (logs unread) ${f(now / unread, 2)}x, new / today (same logs) ${f(now / same, 2)}x (CPU medians)`,
      );
    }
    for (const which of ['namespace', 'cluster'] as const) {
      const t = child<{ mb: number; lines: number; ms: number }>(['parse', which]);
      console.log(
        `\nlog model alone, ${which === 'namespace' ? '(a)' : '(b)'}: ${f(t.mb, 2)} MB, ${t.lines} lines in ${f(t.ms)} ms CPU (median of 3 warm passes) = ${f(t.mb / (t.ms / 1000))} MB/s per core (target >= 20)`,
      );
    }
  } finally {
    rmSync(today, { recursive: true, force: true });
  }
  console.log(`\n(log benchmark wall time ${f((performance.now() - started) / 1000)} s)`);
}

if (require.main === module) {
  const [mode, which, engine, todayDir] = process.argv.slice(2);
  if (mode === 'measure') console.log(JSON.stringify(measure(which as Case, engine as Engine, todayDir)));
  else if (mode === 'parse') console.log(JSON.stringify(parseThroughput(which as Case)));
  else logBenchmark();
}
