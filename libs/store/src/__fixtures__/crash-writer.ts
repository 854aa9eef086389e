// Child process of the crash test: streams events into an EventWriter as fast as it can and reports
// on stdout each time the persisted seq moves, until the parent kills it with SIGKILL.
// argv: <store options as JSON> <investigation id>
import { makeEvent } from '@foxhound/contracts';
import { createStore } from '../store';

async function main(): Promise<void> {
  const [optionsJson = '{}', investigationId = ''] = process.argv.slice(2);
  const store = await createStore(JSON.parse(optionsJson));
  const writer = await store.openEventWriter(investigationId, { maxBatch: 7, flushIntervalMs: 5 });
  let reported = 0;
  for (let i = 1; ; i++) {
    writer.append(makeEvent('thought', { text: `event ${i}` }, 'crash'));
    if (writer.persistedSeq !== reported) {
      reported = writer.persistedSeq;
      process.stdout.write(`persisted ${reported} appended ${writer.lastSeq}\n`);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
