// Event persistence: seq numbers handed out at append time, batches written by size, by timer, at the
// terminal event and on close, replay after a seq (stored plus still buffered), and what the writer
// does when the database goes away: retry in order, or give up keeping only a gap-free prefix.
import { type StreamEvent } from '@foxhound/contracts';
import { ENGINES, useStore, waitFor } from '../__fixtures__/backends';
import { newInvestigation, result, thought } from '../__fixtures__/data';
import { type Queryable, type Row } from '../db/database';
import { StoreConflictError, StoreInputError, StoreUnavailableError } from '../errors';
import { EventWriter } from './event-writer';

const HOUR = 3_600_000;
const texts = (events: { event: StreamEvent }[]) =>
  events.map((e) => (e.event.data as { text: string }).text);

/** The real database behind a switch: while `down`, every query fails as unavailable. */
function switchable(db: Queryable) {
  const state = { down: false };
  const fail = () => Promise.reject(new StoreUnavailableError('database is down'));
  const q: Queryable = {
    query: (sql, params) => (state.down ? fail() : db.query(sql, params)),
    exec: (sql) => (state.down ? fail() : db.exec(sql)),
  };
  return { state, q };
}

describe.each(ENGINES)('events on %s', (engine) => {
  const { store } = useStore(engine);
  const start = async () => (await store().investigations.create(newInvestigation())).investigation.id;

  it('numbers events from 1 in append order and replays them after any seq', async () => {
    const id = await start();
    const writer = await store().openEventWriter(id);
    const seqs = ['a', 'b', 'c', 'd'].map((t) => writer.append(thought(t)));
    expect(seqs).toStrictEqual([1, 2, 3, 4]);
    await writer.close();

    const all = await store().events.list(id);
    expect(all.map((e) => e.seq)).toStrictEqual([1, 2, 3, 4]);
    expect(all[0]?.event).toStrictEqual({ ...thought('a'), timestamp: all[0]?.event.timestamp });
    expect(texts(await store().events.list(id, { afterSeq: 2 }))).toStrictEqual(['c', 'd']);
    expect(texts(await store().events.list(id, { afterSeq: 1, limit: 2 }))).toStrictEqual(['b', 'c']);
    expect(await store().events.list(id, { afterSeq: 4 })).toStrictEqual([]);
  });

  it('continues after the last stored seq when a writer is opened again', async () => {
    const id = await start();
    const first = await store().openEventWriter(id);
    first.append(thought('a'));
    first.append(thought('b'));
    await first.close();
    const second = await store().openEventWriter(id);
    expect(second.append(thought('c'))).toBe(3);
    await second.close();
    expect(texts(await store().events.list(id))).toStrictEqual(['a', 'b', 'c']);
  });

  it('refuses a second writer for an investigation while the first is open', async () => {
    const id = await start();
    const writer = await store().openEventWriter(id);
    await expect(store().openEventWriter(id)).rejects.toThrow(StoreConflictError);
    await writer.close();
    await (await store().openEventWriter(id)).close();
  });

  it('writes a full batch without waiting for the timer', async () => {
    const id = await start();
    const writer = await store().openEventWriter(id, { maxBatch: 3, flushIntervalMs: HOUR });
    for (let i = 1; i <= 3; i++) writer.append(thought(`e${i}`));
    await waitFor(() => writer.persistedSeq === 3, 'the full batch');
    writer.append(thought('e4'));
    writer.append(thought('e5'));
    expect(writer.persistedSeq).toBe(3);
    expect((await store().events.list(id)).map((e) => e.seq)).toStrictEqual([1, 2, 3]);
    await writer.close();
    expect((await store().events.list(id)).map((e) => e.seq)).toStrictEqual([1, 2, 3, 4, 5]);
  });

  it('writes a partial batch when its timer fires', async () => {
    const id = await start();
    const writer = await store().openEventWriter(id, { maxBatch: 100, flushIntervalMs: 5 });
    writer.append(thought('a'));
    writer.append(thought('b'));
    await waitFor(() => writer.persistedSeq === 2, 'the timed flush');
    await writer.close();
  });

  it('writes the terminal event at once', async () => {
    const id = await start();
    const writer = await store().openEventWriter(id, { maxBatch: 100, flushIntervalMs: HOUR });
    writer.append(thought('a'));
    writer.append(result());
    await waitFor(() => writer.persistedSeq === 2, 'the result event to be stored');
    expect((await store().events.list(id)).map((e) => e.event.type)).toStrictEqual(['thought', 'result']);
    await writer.close();
  });

  it('flushes what is buffered on close', async () => {
    const id = await start();
    const writer = await store().openEventWriter(id, { maxBatch: 100, flushIntervalMs: HOUR });
    writer.append(thought('a'));
    writer.append(thought('b'));
    writer.append(thought('c'));
    expect(writer.persistedSeq).toBe(0);
    await writer.close();
    expect(texts(await store().events.list(id))).toStrictEqual(['a', 'b', 'c']);
    expect(() => writer.append(thought('late'))).toThrow(StoreInputError);
  });

  it('replays stored and still-buffered events together, in order', async () => {
    const id = await start();
    const writer = await store().openEventWriter(id, { maxBatch: 100, flushIntervalMs: HOUR });
    for (const t of ['a', 'b', 'c', 'd', 'e']) writer.append(thought(t));
    await writer.flush();
    for (const t of ['f', 'g', 'h']) writer.append(thought(t));
    const replayed = await writer.replay(2);
    expect(replayed.map((e) => e.seq)).toStrictEqual([3, 4, 5, 6, 7, 8]);
    expect(texts(replayed)).toStrictEqual(['c', 'd', 'e', 'f', 'g', 'h']);
    expect(texts(await writer.replay(6))).toStrictEqual(['g', 'h']);
    await writer.close();
  });

  it('retries in order once the database is back', async () => {
    const id = await start();
    const { state, q } = switchable(store().db);
    const errors: boolean[] = [];
    const writer = new EventWriter(q, id, 0, {
      maxBatch: 2,
      flushIntervalMs: HOUR,
      retryDelayMs: HOUR,
      onError: (_err, info) => errors.push(info.fatal),
    });
    writer.append(thought('a'));
    writer.append(thought('b'));
    await writer.flush();
    state.down = true;
    for (const t of ['c', 'd', 'e']) writer.append(thought(t));
    await expect(writer.flush()).rejects.toThrow(StoreUnavailableError);
    expect(errors).toContain(false);
    expect(writer.persistedSeq).toBe(2);
    state.down = false;
    await writer.flush();
    await writer.close();
    expect(texts(await store().events.list(id))).toStrictEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('keeps retrying on close until the database is back, storing every event once', async () => {
    const id = await start();
    const { state, q } = switchable(store().db);
    const writer = new EventWriter(q, id, 0, {
      maxBatch: 2,
      flushIntervalMs: HOUR,
      retryDelayMs: 5,
      maxRetryDelayMs: 20,
      closeTimeoutMs: HOUR,
    });
    state.down = true;
    for (const t of ['a', 'b', 'c', 'd', 'e']) writer.append(thought(t));
    const closed = writer.close();
    await waitFor(() => writer.backlog === 5, 'the events to wait in the buffer');
    state.down = false;
    await closed;
    expect(texts(await store().events.list(id))).toStrictEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('stores a batch once when it is retried after a commit whose answer was lost', async () => {
    const id = await start();
    let lose = 1;
    // The INSERT commits, then the connection drops before the answer arrives: the writer must retry.
    const q: Queryable = {
      query: async <R extends Row = Row>(sql: string, params?: readonly unknown[]) => {
        const answer = await store().db.query<R>(sql, params);
        if (sql.startsWith('INSERT') && lose-- > 0) throw new StoreUnavailableError('connection terminated');
        return answer;
      },
      exec: (sql) => store().db.exec(sql),
    };
    const writer = new EventWriter(q, id, 0, {
      flushIntervalMs: HOUR,
      retryDelayMs: 5,
      closeTimeoutMs: HOUR,
    });
    for (const t of ['a', 'b', 'c']) writer.append(thought(t));
    await writer.close();
    expect(texts(await store().events.list(id))).toStrictEqual(['a', 'b', 'c']);
  });

  it('holds a producer back until the buffer has room, and releases it once events are stored', async () => {
    const id = await start();
    const { state, q } = switchable(store().db);
    const writer = new EventWriter(q, id, 0, { maxBatch: 10, flushIntervalMs: HOUR, retryDelayMs: 5 });
    state.down = true;
    for (const t of ['a', 'b', 'c', 'd']) writer.append(thought(t));
    let released = false;
    const room = writer.waitForRoom(3).then(() => (released = true));
    await writer.flush().catch(() => undefined);
    expect(released).toBe(false);
    state.down = false;
    await room;
    expect(writer.backlog).toBe(0);
    await writer.close();
  });

  it('fails a waiting producer with a clear error once the bound is passed', async () => {
    const id = await start();
    const { state, q } = switchable(store().db);
    const writer = new EventWriter(q, id, 0, { flushIntervalMs: HOUR, retryDelayMs: HOUR, maxPending: 3 });
    state.down = true;
    writer.append(thought('a'));
    writer.append(thought('b'));
    writer.append(thought('c'));
    const room = writer.waitForRoom(2);
    writer.append(thought('d'));
    await expect(room).rejects.toThrow(/4 events could not be stored \(the bound is 3\)/);
    await expect(writer.close()).rejects.toThrow(StoreUnavailableError);
  });

  it('gives up after maxPending unstored events, keeping a gap-free prefix', async () => {
    const id = await start();
    const { state, q } = switchable(store().db);
    const fatal: Error[] = [];
    const writer = new EventWriter(q, id, 0, {
      maxBatch: 100,
      flushIntervalMs: HOUR,
      retryDelayMs: HOUR,
      maxPending: 3,
      onError: (err, info) => info.fatal && fatal.push(err),
    });
    writer.append(thought('a'));
    await writer.flush();
    state.down = true;
    for (const t of ['b', 'c', 'd', 'e']) writer.append(thought(t));
    expect(fatal).toHaveLength(1);
    expect(writer.failure).toBe(fatal[0]);
    state.down = false;
    // The live stream goes on numbering; nothing after the gap is stored, so replay stays in order.
    expect(writer.append(thought('f'))).toBe(6);
    await expect(writer.close()).rejects.toThrow(/gave up/);
    expect(texts(await store().events.list(id))).toStrictEqual(['a']);
  });

  it('gives up at once when a write can never succeed', async () => {
    const fatal: boolean[] = [];
    const writer = await store().openEventWriter('inv_does_not_exist', {
      onError: (_err, info) => fatal.push(info.fatal),
    });
    writer.append(thought('orphan'));
    await expect(writer.flush()).rejects.toThrow();
    expect(fatal).toStrictEqual([true]);
    expect(writer.failure).toBeDefined();
    await expect(writer.close()).rejects.toThrow();
  });

  it('refuses an oversized event without using up a seq', async () => {
    const id = await start();
    const writer = await store().openEventWriter(id, { maxEventBytes: 1024 });
    expect(() => writer.append(thought('x'.repeat(2000)))).toThrow(/exceeds the 1024-byte limit/);
    expect(writer.append(thought('small'))).toBe(1);
    await writer.close();
  });

  it.each([
    ['a negative afterSeq', { afterSeq: -1 }],
    ['a limit of 0', { limit: 0 }],
    ['a limit above 5000', { limit: 5001 }],
  ])('refuses to list with %s', async (_name, options) => {
    await expect(store().events.list('inv_x', options)).rejects.toThrow(StoreInputError);
  });
});
