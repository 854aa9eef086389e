// Tails from the store on one gateway: a client that resumes past everything stored of a finished
// investigation (its gateway died before storing the tail it had sent, and the sweeper ended the turn
// after the stored events) still gets the turn's end.
import { makeEvent, type StreamEvent } from '@foxhound/contracts';
import { openEventStream } from '@foxhound/service-kit';
import { createStore, type Store } from '@foxhound/store';
import { thought } from '../__fixtures__/fakes';
import { startHarness, type Harness } from '../__fixtures__/harness';

let store: Store;
let harness: Harness;
beforeAll(async () => {
  store = await createStore({});
  harness = await startHarness(store);
});
afterAll(async () => {
  await harness.close();
  await store.close();
});

async function follow(id: string, lastEventId?: string): Promise<{ id?: string; event: StreamEvent }[]> {
  const stream = await openEventStream(`${harness.url}/v1/investigations/${id}/events`, {
    headers: { 'x-api-key': harness.keys.viewer, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
  });
  const frames = [];
  for await (const frame of stream.frames)
    frames.push({ id: frame.id, event: JSON.parse(frame.data) as StreamEvent });
  return frames;
}

it('ends a resumed stream whose ids ran ahead of the store with the stored end', async () => {
  const { investigation } = await store.investigations.create({
    threadId: 'ahead',
    source: 'api',
    prompt: 'x',
  });
  const end = makeEvent('error', { message: 'gone', recoverable: true, code: 'executor_gone' }, 'ahead');
  await store.events.insert(investigation.id, [
    { seq: 1, event: thought('looking', 'ahead') },
    { seq: 2, event: end },
  ]);
  await store.investigations.finish(investigation.id, { status: 'interrupted' });
  // The client had seen ids 1..5 from the gateway that died.
  expect(await follow(investigation.id, '5')).toStrictEqual([{ id: '2', event: end }]);
  // Resuming inside what is stored, or from the start, replays as stored, once.
  expect((await follow(investigation.id, '1')).map((f) => f.id)).toStrictEqual(['2']);
  expect((await follow(investigation.id)).map((f) => f.id)).toStrictEqual(['1', '2']);
  expect(await follow(investigation.id, '2')).toStrictEqual([{ id: '2', event: end }]);
});
