// Child process of the crash test: streams events into an EventWriter as fast as it can and reports
// on stdout each time the persisted seq moves, until the parent kills it with SIGKILL. Bounded, so
// it can never outlive a parent that failed before killing it: it stops after MAX_EVENTS or
// MAX_SECONDS, and as soon as the parent is gone (its stdout pipe breaks or it is re-parented).
// argv: <store options as JSON> <investigation id>
import { makeEvent } from '@foxhound/contracts';
import { createStore } from '../store';

const MAX_EVENTS = 200_000;
const MAX_SECONDS = 120;

async function main(): Promise<void> {
  const parent = process.ppid;
  process.stdout.on('error', () => process.exit(0));
  const deadline = Date.now() + MAX_SECONDS * 1000;
  const [optionsJson = '{}', investigationId = ''] = process.argv.slice(2);
  const store = await createStore(JSON.parse(optionsJson));
  const writer = await store.openEventWriter(investigationId, { maxBatch: 7, flushIntervalMs: 5 });
  let reported = 0;
  for (let i = 1; i <= MAX_EVENTS && Date.now() < deadline && process.ppid === parent; i++) {
    writer.append(makeEvent('thought', { text: `event ${i}` }, 'crash'));
    if (writer.persistedSeq !== reported) {
      reported = writer.persistedSeq;
      process.stdout.write(`persisted ${reported} appended ${writer.lastSeq}\n`);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  process.exit(3);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
