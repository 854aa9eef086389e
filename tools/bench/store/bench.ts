// Event store write throughput: the batching EventWriter against one INSERT per event, measured side by
// side in one run on PGlite (in memory and on disk) and, when DATABASE_URL is set, on PostgreSQL.
// Prints events/s per engine and mode, the writer's speed-up over the per-event baseline, each engine
// against PGlite in memory, and how long `append` holds up the stream it persists.
//
// Run from the repository root (no build needed):
//   node --conditions=@foxhound/source -r ./tools/ts-run.cjs tools/bench/store/bench.ts
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node --conditions=@foxhound/source \
//     -r ./tools/ts-run.cjs tools/bench/store/bench.ts
// Env: BENCH_EVENTS (events per measurement, default 2000), BENCH_ROUNDS (default 3, the median is shown).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeEvent, type StreamEvent } from '@foxhound/contracts';
import { createStore, type Store, type StoreOptions } from '@foxhound/store';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Events that arrive together before the stream yields, like the lines of one SSE chunk. */
const CHUNK = 20;

interface Sample {
  seconds: number;
  /** Mean time spent inside append() per event, in microseconds (writer only). */
  appendMicros?: number;
}

const event = (i: number): StreamEvent =>
  makeEvent(
    'tool_end',
    {
      name: 'kubectl_get',
      tool_use_id: `toolu_${i}`,
      success: true,
      status: 'success',
      summary: 'Listed pods in shop',
      output: `NAME READY STATUS RESTARTS AGE\ncheckout-7d9-${i} 0/1 CrashLoopBackOff 12 41m\n`.repeat(4),
    },
    'bench-thread',
  );

async function newInvestigation(store: Store): Promise<string> {
  const { investigation } = await store.investigations.create({
    threadId: 'bench-thread',
    source: 'api',
    prompt: 'bench',
  });
  return investigation.id;
}

/** Baseline: what a relay without batching does, one awaited INSERT per event. */
async function perEventInsert(store: Store, events: StreamEvent[]): Promise<Sample> {
  const id = await newInvestigation(store);
  const started = process.hrtime.bigint();
  for (let i = 0; i < events.length; i++) {
    await store.events.insert(id, [{ seq: i + 1, event: events[i] as StreamEvent }]);
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** The EventWriter as the gateway uses it: append as events arrive, close when the stream ends. */
async function batchedWriter(store: Store, events: StreamEvent[]): Promise<Sample> {
  const id = await newInvestigation(store);
  const writer = await store.openEventWriter(id);
  let appendNanos = 0n;
  const started = process.hrtime.bigint();
  for (let i = 0; i < events.length; i++) {
    const before = process.hrtime.bigint();
    writer.append(events[i] as StreamEvent);
    appendNanos += process.hrtime.bigint() - before;
    if (i % CHUNK === CHUNK - 1) await new Promise((resolve) => setImmediate(resolve));
  }
  await writer.close();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const stored = await store.events.lastSeq(id);
  if (stored !== events.length) throw new Error(`writer stored ${stored} of ${events.length} events`);
  return { seconds, appendMicros: Number(appendNanos) / 1e3 / events.length };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

interface Row {
  engine: string;
  mode: string;
  eventsPerSecond: number;
  appendMicros?: number;
}

interface Engine {
  name: string;
  store: Store;
  cleanup: () => Promise<void>;
}

async function openEngines(dir: string): Promise<Engine[]> {
  const engines: Engine[] = [];
  const open = async (name: string, options: StoreOptions, drop?: string) => {
    const store = await createStore(options);
    engines.push({
      name,
      store,
      cleanup: async () => {
        if (drop) await store.db.query(`DROP SCHEMA IF EXISTS "${drop}" CASCADE`);
        await store.close();
      },
    });
  };
  await open('PGlite (memory)', {});
  await open('PGlite (disk)', { dataDir: dir });
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    const schema = `fh_bench_${randomBytes(4).toString('hex')}`;
    await open('PostgreSQL', { databaseUrl, schema }, schema);
  } else {
    console.log('DATABASE_URL is not set: PostgreSQL skipped.\n');
  }
  return engines;
}

/** Rounds interleave every engine and mode, so a noisy neighbour slows all of them alike. */
async function measure(engines: Engine[]): Promise<Row[]> {
  const events = Array.from({ length: EVENTS }, (_, i) => event(i));
  const samples = new Map<string, { baseline: Sample[]; writer: Sample[] }>();
  for (const e of engines) {
    // Warm-up: JIT, query plans, pool connections.
    await perEventInsert(e.store, events.slice(0, 200));
    await batchedWriter(e.store, events.slice(0, 200));
    samples.set(e.name, { baseline: [], writer: [] });
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const e of engines) {
      const s = samples.get(e.name) as { baseline: Sample[]; writer: Sample[] };
      s.baseline.push(await perEventInsert(e.store, events));
      s.writer.push(await batchedWriter(e.store, events));
    }
  }
  const rate = (list: Sample[]) => EVENTS / median(list.map((s) => s.seconds));
  return engines.flatMap((e) => {
    const s = samples.get(e.name) as { baseline: Sample[]; writer: Sample[] };
    return [
      { engine: e.name, mode: 'one INSERT per event', eventsPerSecond: rate(s.baseline) },
      {
        engine: e.name,
        mode: 'EventWriter (batch 100 / 50 ms)',
        eventsPerSecond: rate(s.writer),
        appendMicros: median(s.writer.map((x) => x.appendMicros ?? 0)),
      },
    ];
  });
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'fh-bench-store-'));
  const engines = await openEngines(dir);
  let rows: Row[];
  try {
    rows = await measure(engines);
  } finally {
    for (const e of engines) await e.cleanup();
    await rm(dir, { recursive: true, force: true });
  }

  const reference = rows.filter((r) => r.engine === 'PGlite (memory)');
  const header = ['engine', 'mode', 'events/s', 'vs one INSERT', 'vs PGlite (memory)', 'append µs/event'];
  const table = rows.map((r) => {
    const baseline = rows.find((b) => b.engine === r.engine && b.mode === 'one INSERT per event') as Row;
    const peer = reference.find((p) => p.mode === r.mode) as Row;
    return [
      r.engine,
      r.mode,
      Math.round(r.eventsPerSecond).toLocaleString('en-US'),
      `${(r.eventsPerSecond / baseline.eventsPerSecond).toFixed(2)}x`,
      `${(r.eventsPerSecond / peer.eventsPerSecond).toFixed(2)}x`,
      r.appendMicros === undefined ? '-' : r.appendMicros.toFixed(2),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  console.log(`Event store write throughput: ${EVENTS} events per run, median of ${ROUNDS} runs\n`);
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of table) console.log(line(row));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
