// Thread ownership outlives the sandbox: another principal's follow-up is 403 whether the thread's
// sandbox is live or gone, the owner keeps the thread, and only an admin's explicit takeover, which
// is audited, continues it as someone else.
import request from 'supertest';
import { createStore, type Store } from '@foxhound/store';
import { thought } from '../__fixtures__/fakes';
import { startHarness, type Harness } from '../__fixtures__/harness';

let store: Store;
let harness: Harness;
let otherInvestigator: string;
beforeAll(async () => {
  store = await createStore({});
  harness = await startHarness(store);
  otherInvestigator = (await store.apiKeys.create({ name: 'another investigator', role: 'investigator' }))
    .key;
});
afterAll(async () => {
  await harness.close();
  await store.close();
});

const notYours = (thread: string, hint = '') => ({
  detail: `Thread ${thread} belongs to another principal.${hint}`,
  code: 'forbidden',
});

describe('a thread belongs to whoever started it', () => {
  it('403 for another investigator while the sandbox is live, and after it is gone; the owner continues', async () => {
    const thread = 'owned-thread-1';
    await harness.investigate({ prompt: 'checkout is down', thread_id: thread });
    await request(harness.url)
      .post('/investigate')
      .set('x-api-key', otherInvestigator)
      .send({ prompt: 'and now?', thread_id: thread })
      .expect(403, notYours(thread));

    // The sandbox dies with the next turn and is released.
    harness.executor.script({ before: (t) => [thought('reading', t)], die: true });
    await harness.investigate({ prompt: 'why?', thread_id: thread });
    expect(harness.manager.requests.some((r) => r.method === 'DELETE')).toBe(true);
    await request(harness.url)
      .post('/v1/investigations')
      .set('x-api-key', otherInvestigator)
      .send({ prompt: 'mine now?', threadId: thread })
      .expect(403, notYours(thread));

    const { events } = await harness.investigate({ prompt: 'still mine', thread_id: thread });
    expect(events.map((e) => e.type)).toStrictEqual(['session', 'thought', 'result']);
  });

  it('403 when another investigator interrupts the thread', async () => {
    const thread = 'owned-thread-2';
    await harness.investigate({ prompt: 'x', thread_id: thread });
    await request(harness.url)
      .post('/interrupt')
      .set('x-api-key', otherInvestigator)
      .send({ thread_id: thread })
      .expect(403, notYours(thread));
  });

  it('lets an admin take over only when asked explicitly, audits it, and starts from a fresh sandbox', async () => {
    const thread = 'owned-thread-3';
    await harness.investigate({ prompt: 'x', thread_id: thread });
    await request(harness.url)
      .post('/investigate')
      .set('x-api-key', harness.keys.admin)
      .send({ prompt: 'y', thread_id: thread })
      .expect(403, notYours(thread, ' Send "takeover": true to continue it as yours (audited).'));

    const before = harness.manager.requests.filter((r) => r.method === 'DELETE').length;
    const { stream, events } = await harness.investigate(
      { prompt: 'taking this over', thread_id: thread, takeover: true },
      harness.keys.admin,
    );
    expect(stream.status).toBe(200);
    expect(events.at(-1)?.type).toBe('result');
    expect(harness.manager.requests.filter((r) => r.method === 'DELETE').length).toBe(before + 1);

    const audit = await store.audit.list({ action: 'thread.takeover' });
    expect(audit.items.filter((e) => e.target === `thread/${thread}`).map((e) => e.outcome)).toStrictEqual([
      'success',
      'denied',
    ]);
    // The admin owns it now; the first investigator is the other principal.
    await request(harness.url)
      .post('/investigate')
      .set('x-api-key', harness.keys.investigator)
      .send({ prompt: 'z', thread_id: thread })
      .expect(403, notYours(thread));
  });

  it('refuses a takeover from anyone but an admin', async () => {
    const thread = 'owned-thread-4';
    await harness.investigate({ prompt: 'x', thread_id: thread });
    await request(harness.url)
      .post('/investigate')
      .set('x-api-key', otherInvestigator)
      .send({ prompt: 'y', thread_id: thread, takeover: true })
      .expect(403, notYours(thread));
  });
});
