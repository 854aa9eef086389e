import request from 'supertest';
import { makeEvent, type StreamEvent } from '@foxhound/contracts';
import { openEventStream } from '@foxhound/service-kit';
import { createStore, type Store } from '@foxhound/store';
import { result, thought } from '../__fixtures__/fakes';
import { startHarness as startOn, type Harness } from '../__fixtures__/harness';

let harness: Harness;
// One embedded PostgreSQL for the file (starting PGlite costs seconds); tests use distinct threads.
let sharedStore: Store;
beforeAll(async () => {
  sharedStore = await createStore({});
});
afterAll(async () => {
  await sharedStore.close();
});

const startHarness = (env: Record<string, string> = {}, store: Store = sharedStore) => startOn(store, env);
const investigate = (body: unknown, key?: string) => harness.investigate(body, key);
const waitForStatus = (id: string, status: string) => harness.waitForStatus(id, status);

afterEach(async () => {
  await harness.close();
  if (harness.store !== sharedStore) await harness.store.close();
});

describe('POST /investigate', () => {
  beforeEach(async () => {
    harness = await startHarness();
  });

  it('streams a session event, then the executor events, and stores the investigation', async () => {
    const { stream, ids, events } = await investigate({
      prompt: 'checkout returns 500s',
      thread_id: 'inc-42',
    });
    expect(stream.headers['x-thread-id']).toBe('inc-42');
    expect(stream.headers['x-accel-buffering']).toBe('no');
    expect(events.map((e) => e.type)).toStrictEqual(['session', 'thought', 'result']);
    expect(events[0]).toMatchObject({
      type: 'session',
      data: { thread_id: 'inc-42', sandbox_id: 'sbx-1', reused: false, backend: 'kubernetes' },
      thread_id: 'inc-42',
    });
    expect(ids).toStrictEqual([1, 2, 3]);

    const sent = harness.executor.requests[0]!;
    expect(sent.headers).toMatchObject({
      'x-sandbox-id': 'sbx-1',
      'x-sandbox-namespace': 'foxhound-sandboxes',
      'x-sandbox-port': '8888',
      'x-sandbox-pod-ip': '10.0.0.9',
      authorization: 'Bearer router-token-0123456789',
    });
    expect(sent.body).toStrictEqual({ prompt: 'checkout returns 500s', thread_id: 'inc-42' });

    const id = (events[0] as Extract<StreamEvent, { type: 'session' }>).data.investigation_id!;
    const stored = await waitForStatus(id, 'completed');
    expect(stored).toMatchObject({
      threadId: 'inc-42',
      resultText: 'all good',
      sandboxId: 'sbx-1',
      provider: 'offline',
    });
  });

  it('audits every tool call the executor reports, chained, once the turn is over', async () => {
    const toolEnd = (name: string, i: number, t: string) =>
      makeEvent(
        'tool_end',
        { name, tool_use_id: `tu_${i}`, success: i !== 2, status: i === 2 ? 'error' : 'success' },
        t,
      );
    harness.executor.script({
      before: (t) => [
        ...['kubectl_get', 'fetch_pod_logs', 'quota_explain'].map((n, i) => toolEnd(n, i, t)),
        result('done', t),
      ],
    });
    const { events } = await investigate({ prompt: 'x', thread_id: 'inc-audit' });
    const id = (events[0] as Extract<StreamEvent, { type: 'session' }>).data.investigation_id!;
    await waitForStatus(id, 'completed');
    const audit = await harness.store.audit.list({ kind: 'tool_call', investigationId: id });
    expect(audit.items.map((e) => [e.action, e.outcome, e.actor]).reverse()).toStrictEqual([
      ['kubectl_get', 'success', 'executor:sbx-1'],
      ['fetch_pod_logs', 'success', 'executor:sbx-1'],
      ['quota_explain', 'failure', 'executor:sbx-1'],
    ]);
    await expect(harness.store.audit.verify()).resolves.toMatchObject({ ok: true });
  });

  it('accepts a follow-up sent the moment the result arrives (no 409 while the last turn is filed)', async () => {
    for (let i = 0; i < 3; i++) {
      const stream = await openEventStream(`${harness.url}/investigate`, {
        body: { prompt: `turn ${i}`, thread_id: 'inc-fast' },
        headers: { 'x-api-key': harness.keys.investigator },
      });
      expect(stream.status).toBe(200);
      for await (const frame of stream.frames) {
        if ((JSON.parse(frame.data) as StreamEvent).type === 'result') break;
      }
      stream.close();
    }
    const page = await harness.store.investigations.list({ threadId: 'inc-fast' });
    expect(page.items).toHaveLength(3);
  });

  it('sends a follow-up on the same thread to the same sandbox', async () => {
    await investigate({ prompt: 'first', thread_id: 'inc-7' });
    const { events } = await investigate({ prompt: 'and now?', thread_id: 'inc-7' });
    expect(events[0]).toMatchObject({ type: 'session', data: { sandbox_id: 'sbx-1', reused: true } });
    expect(
      harness.manager.requests.filter((r) => r.url === '/v1/sandboxes').map((r) => r.body),
    ).toMatchObject([{ threadId: 'inc-7' }, { threadId: 'inc-7' }]);
  });

  it('acquires sandboxes as the calling principal; 403 when another principal follows up on the thread', async () => {
    await investigate({ prompt: 'mine', thread_id: 'inc-owned' });
    const acquire = harness.manager.requests.find((r) => r.url === '/v1/sandboxes')!;
    expect(acquire.body).toMatchObject({ threadId: 'inc-owned', owner: expect.stringMatching(/^key:/) });
    const { stream } = await investigate({ prompt: 'theirs', thread_id: 'inc-owned' }, harness.keys.admin);
    expect(stream.status).toBe(403);
    expect(JSON.parse(await stream.text())).toStrictEqual({
      detail:
        'Thread inc-owned belongs to another principal. Send "takeover": true to continue it as yours (audited).',
      code: 'forbidden',
    });
  });

  it('502 as JSON, before any stream, when no sandbox can be had; the investigation is marked failed', async () => {
    harness.manager.failNext(500, 'claim rejected');
    const { stream } = await investigate({ prompt: 'x', thread_id: 'inc-9' });
    expect(stream.status).toBe(502);
    expect(JSON.parse(await stream.text())).toStrictEqual({
      detail: 'Could not acquire a sandbox: claim rejected',
      code: 'bad_gateway',
    });
    const page = await harness.store.investigations.list({ threadId: 'inc-9' });
    expect(page.items).toMatchObject([{ status: 'failed' }]);
  });

  it('turns an executor that dies mid-stream into one recoverable error and a fresh sandbox next time', async () => {
    harness.executor.script({ before: (t) => [thought('reading logs', t)], die: true });
    const { events } = await investigate({ prompt: 'x', thread_id: 'inc-3' });
    expect(events.map((e) => e.type)).toStrictEqual(['session', 'thought', 'error']);
    expect(events[2]).toMatchObject({ type: 'error', data: { recoverable: true, code: 'sandbox_lost' } });
    expect(
      harness.manager.requests.some((r) => r.method === 'DELETE' && r.url === '/v1/sandboxes/sbx-1'),
    ).toBe(true);

    // The follow-up gets a new sandbox, seeded with nothing yet (the failed turn had no result).
    const next = await investigate({ prompt: 'try again', thread_id: 'inc-3' });
    expect(next.events[0]).toMatchObject({ data: { sandbox_id: 'sbx-2', reused: false } });
  });

  it('starts one turn when two requests race on a thread: the other gets 409 and the sandbox is untouched', async () => {
    let open!: () => void;
    harness.executor.script({
      before: (t) => [thought('working', t)],
      gate: new Promise((resolve) => (open = resolve)),
      after: (t) => [result('done', t)],
    });
    const post = () =>
      request(harness.url)
        .post('/v1/investigations')
        .set('x-api-key', harness.keys.investigator)
        .send({ prompt: 'x', threadId: 'inc-race' });
    const answers = await Promise.all([post(), post()]);
    expect(answers.map((a) => a.status).sort()).toStrictEqual([201, 409]);
    expect(harness.manager.requests.filter((r) => r.url === '/v1/sandboxes')).toHaveLength(1);
    open();
    await waitForStatus(answers.find((a) => a.status === 201)!.body.id, 'completed');
  });

  it('a turn the executor refuses as busy (another replica runs one) fails alone; the sandbox is kept', async () => {
    harness.executor.script({
      before: () => [],
      refuse: { status: 409, detail: 'a turn is already running on this thread' },
    });
    const { events } = await investigate({ prompt: 'x', thread_id: 'inc-busy' });
    expect(events.at(-1)).toMatchObject({ type: 'error', data: { recoverable: true, code: 'thread_busy' } });
    expect(harness.manager.requests.some((r) => r.method === 'DELETE')).toBe(false);
  });

  it('hands a fresh sandbox the thread history from the store', async () => {
    await investigate({ prompt: 'what broke?', thread_id: 'inc-5' });
    harness.executor.script({ before: (t) => [thought('x', t)], die: true });
    await investigate({ prompt: 'second', thread_id: 'inc-5' });
    await investigate({ prompt: 'third', thread_id: 'inc-5' });
    const third = harness.executor.requests.at(-1)!.body as { history?: unknown };
    expect(third.history).toStrictEqual([
      { role: 'user', text: 'what broke?' },
      { role: 'assistant', text: 'all good' },
    ]);
  });

  it('keeps running when the client disconnects, and the whole stream stays replayable', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    harness.executor.script({
      before: (t) => [thought('step 1', t)],
      gate,
      after: (t) => [thought('step 2', t), result('done', t)],
    });
    const stream = await openEventStream(`${harness.url}/investigate`, {
      body: { prompt: 'x', thread_id: 'inc-8' },
      headers: { 'x-api-key': harness.keys.investigator },
    });
    const first = await stream.frames.next();
    const id = (JSON.parse(first.value!.data) as Extract<StreamEvent, { type: 'session' }>).data
      .investigation_id!;
    stream.close();
    open();
    await waitForStatus(id, 'completed');

    const replay = await openEventStream(`${harness.url}/v1/investigations/${id}/events`, {
      headers: { 'x-api-key': harness.keys.viewer, 'last-event-id': '2' },
    });
    const rest = [];
    for await (const frame of replay.frames)
      rest.push({ id: frame.id, type: (JSON.parse(frame.data) as StreamEvent).type });
    expect(rest).toStrictEqual([
      { id: '3', type: 'thought' },
      { id: '4', type: 'result' },
    ]);
  });

  it.each([
    ['a thread id with a slash', { prompt: 'x', thread_id: 'a/b' }, /^Invalid body\.thread_id/],
    ['an empty prompt', { prompt: '' }, /^Invalid body\.prompt/],
    [
      'a namespace that is not a DNS label',
      { prompt: 'x', namespaces: ['Kube_System'] },
      /^Invalid body\.namespaces\.0/,
    ],
  ])('400 for %s', async (_name, body, detail) => {
    const res = await request(harness.url)
      .post('/investigate')
      .set('x-api-key', harness.keys.investigator)
      .send(body)
      .expect(400);
    expect(res.body.detail).toMatch(detail);
  });
});

describe('v1 investigations API', () => {
  beforeEach(async () => {
    harness = await startHarness();
  });

  it('201 with the stream URL; the investigation can be read and followed', async () => {
    const created = await request(harness.url)
      .post('/v1/investigations')
      .set('authorization', `Bearer ${harness.keys.investigator}`)
      .send({ prompt: 'latency alert on search', namespaces: ['search'] })
      .expect(201);
    expect(created.body).toMatchObject({
      status: 'running',
      streamUrl: `/v1/investigations/${created.body.id}/events`,
      sandbox: { id: 'sbx-1', reused: false },
    });
    expect(harness.executor.requests.length).toBeLessThanOrEqual(1);
    const events = await openEventStream(`${harness.url}${created.body.streamUrl}`, {
      headers: { 'x-api-key': harness.keys.viewer },
    });
    const types = [];
    for await (const frame of events.frames) types.push((JSON.parse(frame.data) as StreamEvent).type);
    expect(types).toStrictEqual(['session', 'thought', 'result']);
    expect(harness.executor.requests[0]!.body).toMatchObject({ context: { namespaces: ['search'] } });

    const detail = await request(harness.url)
      .get(`/v1/investigations/${created.body.id}`)
      .set('x-api-key', harness.keys.viewer)
      .expect(200);
    expect(detail.body).toMatchObject({
      id: created.body.id,
      status: 'completed',
      prompt: 'latency alert on search',
    });
    const list = await request(harness.url)
      .get(`/v1/investigations?status=completed&threadId=${created.body.threadId}`)
      .set('x-api-key', harness.keys.viewer)
      .expect(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toStrictEqual([created.body.id]);
  });

  it('404 for an unknown investigation, 400 for a bad Last-Event-ID', async () => {
    await request(harness.url)
      .get('/v1/investigations/inv_missing')
      .set('x-api-key', harness.keys.viewer)
      .expect(404, { detail: 'No investigation inv_missing.', code: 'not_found' });
    const created = await request(harness.url)
      .post('/v1/investigations')
      .set('x-api-key', harness.keys.investigator)
      .send({ prompt: 'x' });
    await request(harness.url)
      .get(`/v1/investigations/${created.body.id}/events`)
      .set('x-api-key', harness.keys.viewer)
      .set('last-event-id', 'abc')
      .expect(400, {
        detail: 'Last-Event-ID must be the id of an event from this stream.',
        code: 'bad_request',
      });
  });
});

describe('alerts', () => {
  beforeEach(async () => {
    harness = await startHarness();
  });

  const group = (status: 'firing' | 'resolved') => ({
    version: '4',
    groupKey: '{}:{alertname="KubePodCrashLooping"}',
    status,
    receiver: 'foxhound',
    groupLabels: { alertname: 'KubePodCrashLooping' },
    commonLabels: { alertname: 'KubePodCrashLooping', namespace: 'payments', severity: 'critical' },
    commonAnnotations: { summary: 'Pod is crash looping.' },
    alerts: [
      {
        status,
        labels: { alertname: 'KubePodCrashLooping', namespace: 'payments', pod: 'ledger-7d9f' },
        annotations: { description: 'Pod payments/ledger-7d9f restarted 6 times in 10 minutes.' },
        startsAt: '2026-11-22T06:00:00Z',
      },
    ],
  });

  it('starts one investigation per firing group and joins it while it is open', async () => {
    let open!: () => void;
    harness.executor.script({
      before: (t) => [thought('x', t)],
      gate: new Promise((r) => (open = r)),
      after: (t) => [result('ok', t)],
    });
    const first = await request(harness.url)
      .post('/v1/alerts/alertmanager')
      .set('x-api-key', harness.keys.investigator)
      .send(group('firing'))
      .expect(202);
    expect(first.body).toMatchObject({ status: 'started' });
    const again = await request(harness.url)
      .post('/v1/alerts/alertmanager')
      .set('x-api-key', harness.keys.investigator)
      .send(group('firing'))
      .expect(202);
    expect(again.body).toMatchObject({ status: 'deduplicated', investigationId: first.body.investigationId });
    const sent = harness.executor.requests[0]!.body as { prompt: string; alert: unknown; context: unknown };
    expect(sent.prompt).toContain('Pod payments/ledger-7d9f restarted 6 times');
    expect(sent.context).toStrictEqual({ namespaces: ['payments'] });
    open();
    await waitForStatus(first.body.investigationId, 'completed');
  });

  it('ignores a resolved group', async () => {
    await request(harness.url)
      .post('/v1/alerts/alertmanager')
      .set('x-api-key', harness.keys.investigator)
      .send(group('resolved'))
      .expect(202, { status: 'ignored', reason: 'No firing alerts in this group.' });
  });

  it('starts an investigation from a generic alert', async () => {
    const res = await request(harness.url)
      .post('/v1/alerts')
      .set('x-api-key', harness.keys.investigator)
      .send({
        title: 'Checkout p99 above 2s',
        severity: 'high',
        service: 'checkout',
        namespace: 'storefront',
      })
      .expect(202);
    expect(res.body.status).toBe('started');
    await waitForStatus(res.body.investigationId, 'completed');
  });
});

describe('security', () => {
  it('401 without credentials and with a bad key, both audited in the source-minute count', async () => {
    harness = await startHarness();
    await request(harness.url).post('/investigate').send({ prompt: 'x' }).expect(401, {
      detail: 'Missing credentials: send X-API-Key or Authorization: Bearer.',
      code: 'unauthenticated',
    });
    await request(harness.url)
      .get('/v1/investigations')
      .set('x-api-key', `fh_${'x'.repeat(40)}`)
      .expect(401, { detail: 'Invalid, expired or revoked API key.', code: 'unauthenticated' });
    await harness.gateway.denials.flush(true);
    const audit = await harness.store.audit.list({ actor: 'unauthenticated' });
    const reasons: Record<string, number> = {};
    for (const entry of audit.items) {
      expect([entry.action, entry.outcome]).toStrictEqual(['denied requests', 'denied']);
      for (const [reason, n] of Object.entries(entry.details.reasons as Record<string, number>))
        reasons[reason] = (reasons[reason] ?? 0) + n;
    }
    expect(reasons).toStrictEqual({ 'missing credentials': 1, 'invalid credentials': 1 });
  });

  it('403 with the reason when a viewer starts an investigation, and an audit entry', async () => {
    harness = await startHarness();
    await request(harness.url)
      .post('/investigate')
      .set('x-api-key', harness.keys.viewer)
      .send({ prompt: 'x' })
      .expect(403, {
        detail: 'Role viewer may not investigations write; this needs the investigator or admin role.',
        code: 'forbidden',
      });
    const audit = await harness.store.audit.list({ kind: 'request', action: 'POST /investigate' });
    expect(audit.items[0]).toMatchObject({ actorRole: 'viewer', outcome: 'denied' });
  });

  it('an admin creates a key that works, then revokes it; the secret is never listed', async () => {
    harness = await startHarness();
    const created = await request(harness.url)
      .post('/v1/keys')
      .set('x-api-key', harness.keys.admin)
      .send({ name: 'alertmanager', role: 'investigator' })
      .expect(201);
    await request(harness.url).get('/v1/investigations').set('x-api-key', created.body.key).expect(200);
    const listed = await request(harness.url)
      .get('/v1/keys')
      .set('x-api-key', harness.keys.admin)
      .expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
    await request(harness.url)
      .delete(`/v1/keys/${created.body.apiKey.id}`)
      .set('x-api-key', harness.keys.admin)
      .expect(204);
    await request(harness.url).get('/v1/investigations').set('x-api-key', created.body.key).expect(401);
    const verify = await request(harness.url)
      .get('/v1/audit/verify')
      .set('x-api-key', harness.keys.admin)
      .expect(200);
    expect(verify.body).toMatchObject({ ok: true });
  });

  it('429 with Retry-After past the per-key rate', async () => {
    harness = await startHarness({ GATEWAY_RATE_LIMIT_PER_MINUTE: '2' });
    await request(harness.url).get('/v1/investigations').set('x-api-key', harness.keys.viewer).expect(200);
    await request(harness.url).get('/v1/investigations').set('x-api-key', harness.keys.viewer).expect(200);
    const limited = await request(harness.url)
      .get('/v1/investigations')
      .set('x-api-key', harness.keys.viewer)
      .expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Another key has its own bucket.
    await request(harness.url).get('/v1/investigations').set('x-api-key', harness.keys.admin).expect(200);
  });

  it('429 when the running-investigation limit is reached', async () => {
    harness = await startHarness({ GATEWAY_MAX_RUNNING_INVESTIGATIONS: '1' });
    let open!: () => void;
    harness.executor.script({
      before: (t) => [thought('x', t)],
      gate: new Promise((r) => (open = r)),
      after: (t) => [result('ok', t)],
    });
    const first = await request(harness.url)
      .post('/v1/investigations')
      .set('x-api-key', harness.keys.investigator)
      .send({ prompt: 'a' })
      .expect(201);
    const second = await request(harness.url)
      .post('/v1/investigations')
      .set('x-api-key', harness.keys.investigator)
      .send({ prompt: 'b' })
      .expect(429);
    expect(second.body.detail).toBe('1 investigations are already running; try again shortly.');
    open();
    await waitForStatus(first.body.id, 'completed');
  });

  it('serves the OpenAPI document without credentials', async () => {
    harness = await startHarness();
    const res = await request(harness.url).get('/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/investigate',
        '/v1/investigations/{id}/events',
        '/v1/alerts/alertmanager',
        '/v1/audit',
        '/v1/actions/{id}/approve',
      ]),
    );
  });

  it('503 on /readyz and on API calls while the store is down', async () => {
    harness = await startHarness({}, await createStore({}));
    await request(harness.url).get('/readyz').expect(200);
    await harness.store.close();
    const ready = await request(harness.url).get('/readyz').expect(503);
    expect(ready.body.checks.store).not.toBe('ok');
    await request(harness.url).get('/v1/investigations').set('x-api-key', harness.keys.viewer).expect(503);
  });
});
