// The crash case, for real: a child process streams events through an EventWriter and is killed with
// SIGKILL mid-stream. What survives must be events 1..n in order with nothing missing in between and
// nothing the child had not appended; only the unflushed tail may be lost.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { dropStore, ENGINES, testOptions } from '../__fixtures__/backends';
import { newInvestigation } from '../__fixtures__/data';
import { type StoreOptions } from '../config';
import { createStore } from '../store';

const repoRoot = resolve(__dirname, '../../../..');
const child = resolve(__dirname, '../__fixtures__/crash-writer.ts');

/** Runs the child until it reports at least `minPersisted` stored events, then SIGKILLs it. */
async function crashAfter(options: StoreOptions, investigationId: string, minPersisted: number) {
  const proc: ChildProcess = spawn(
    process.execPath,
    [
      '--conditions=@foxhound/source',
      '-r',
      join(repoRoot, 'tools/ts-run.cjs'),
      child,
      JSON.stringify(options),
      investigationId,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  proc.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((done) =>
    proc.on('exit', (code, signal) => done(signal ?? code)),
  );
  let reported = { persisted: 0, appended: 0 };
  try {
    for await (const line of createInterface({ input: proc.stdout as NodeJS.ReadableStream })) {
      const [, persisted, appended] = /^persisted (\d+) appended (\d+)$/.exec(line) ?? [];
      reported = { persisted: Number(persisted), appended: Number(appended) };
      if (reported.persisted >= minPersisted) break;
    }
  } finally {
    // Also when the test fails or times out first: the child must never outlive it.
    proc.kill('SIGKILL');
  }
  const how = await exited;
  if (how !== 'SIGKILL') throw new Error(`child ended with ${how} before the kill: ${stderr}`);
  return reported;
}

describe.each(ENGINES)('an event writer killed mid-stream on %s', (engine) => {
  let dataDir: string | undefined;
  afterEach(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('leaves events 1..n in order, n at least what it reported stored', async () => {
    if (engine === 'pglite') dataDir = await mkdtemp(join(tmpdir(), 'fh-crash-'));
    const options = testOptions(engine, dataDir ? { dataDir } : {});

    // The parent sets up the investigation, then lets go of the data (PGlite: one process per directory).
    const setup = await createStore(options);
    const { investigation } = await setup.investigations.create(newInvestigation());
    if (engine === 'pglite') await setup.close();

    const reported = await crashAfter(options, investigation.id, 50);

    const after = engine === 'pglite' ? await createStore(options) : setup;
    try {
      const events = [];
      for (let page = await after.events.list(investigation.id); page.length > 0;) {
        events.push(...page);
        page = await after.events.list(investigation.id, { afterSeq: page[page.length - 1]?.seq ?? 0 });
      }
      const n = events.length;
      expect(n).toBeGreaterThanOrEqual(reported.persisted);
      expect(events.map((e) => e.seq)).toStrictEqual(Array.from({ length: n }, (_, i) => i + 1));
      expect(events.map((e) => (e.event.data as { text: string }).text)).toStrictEqual(
        Array.from({ length: n }, (_, i) => `event ${i + 1}`),
      );
    } finally {
      await dropStore(after, options.schema);
    }
    // A child process booting the store and streaming: slow on a busy 2-core machine.
  }, 120_000);
});
