// Limits that fit alerts: a finished turn's sandbox is released once its thread is idle (so it stops
// counting against the manager's per-owner limit), alert turns use a shorter window, and alert
// webhooks have their own rate and concurrency limits apart from the API's.
import request from 'supertest';
import { createStore, type Store } from '@foxhound/store';
import { result, thought } from '../__fixtures__/fakes';
import { startHarness, type Harness } from '../__fixtures__/harness';

let store: Store;
let harness: Harness;
afterEach(async () => {
  await harness.close();
  await store.close();
});

const deletes = () => harness.manager.requests.filter((r) => r.method === 'DELETE').map((r) => r.url);
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

describe('idle sandboxes', () => {
  beforeEach(async () => {
    store = await createStore({});
    harness = await startHarness(store, { GATEWAY_SANDBOX_IDLE_SECONDS: '0.05' });
  });

  it('releases a finished turn’s sandbox once the thread is idle; the next turn starts fresh with the history', async () => {
    await harness.investigate({ prompt: 'checkout is down', thread_id: 'idle-thread' });
    await until(() => deletes().includes('/v1/sandboxes/sbx-1'), 'the idle sandbox to be released');
    const { events } = await harness.investigate({ prompt: 'and now?', thread_id: 'idle-thread' });
    expect(events[0]).toMatchObject({ type: 'session', data: { sandbox_id: 'sbx-2', reused: false } });
    expect(harness.executor.requests.at(-1)!.body).toMatchObject({
      history: [
        { role: 'user', text: 'checkout is down' },
        { role: 'assistant', text: 'all good' },
      ],
    });
  });
});

describe('alert integrations', () => {
  beforeEach(async () => {
    store = await createStore({});
    harness = await startHarness(store, {
      GATEWAY_RATE_LIMIT_PER_MINUTE: '3',
      GATEWAY_MAX_RUNNING_INVESTIGATIONS: '1',
      GATEWAY_ALERT_SANDBOX_IDLE_SECONDS: '0.05',
    });
  });

  const alert = (i: number) =>
    request(harness.url)
      .post('/v1/alerts')
      .set('x-api-key', harness.keys.investigator)
      .send({ title: `Disk almost full on node ${i}`, severity: 'warning' });

  it('are limited apart from the key’s API requests, and release each alert turn’s sandbox', async () => {
    for (let i = 0; i < 12; i++) {
      const res = await alert(i).expect(202);
      await harness.waitForStatus(res.body.investigationId, 'completed');
    }
    await until(() => deletes().length === 12, 'every alert sandbox to be released');
    const api = await Promise.all(
      Array.from({ length: 5 }, () =>
        request(harness.url).get('/v1/investigations').set('x-api-key', harness.keys.investigator),
      ),
    );
    expect(api.map((r) => r.status)).toContain(429);
  });

  it('start while the API’s running-investigation limit is taken, and the API stays limited', async () => {
    let open!: () => void;
    harness.executor.script({
      before: (t) => [thought('working', t)],
      gate: new Promise((resolve) => (open = resolve)),
      after: (t) => [result('done', t)],
    });
    const started = await request(harness.url)
      .post('/v1/investigations')
      .set('x-api-key', harness.keys.investigator)
      .send({ prompt: 'slow one', threadId: 'api-slot-holder' })
      .expect(201);
    const fromAlert = await alert(99).expect(202);
    expect(fromAlert.body.status).toBe('started');
    await request(harness.url)
      .post('/v1/investigations')
      .set('x-api-key', harness.keys.investigator)
      .send({ prompt: 'another' })
      .expect(429);
    open();
    await harness.waitForStatus(started.body.id as string, 'completed');
    await harness.waitForStatus(fromAlert.body.investigationId as string, 'completed');
    expect((await store.investigations.get(started.body.id as string))?.status).toBe('completed');
  });
});
