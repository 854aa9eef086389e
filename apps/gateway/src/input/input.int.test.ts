// Bad input that would only have failed in the store answers 400 naming the field; alerts whose labels
// would render an oversized prompt start an investigation with a shortened prompt; what the executor
// reports is stored even when it carries characters PostgreSQL text cannot hold.
import request from 'supertest';
import { makeEvent, MAX_PROMPT_CHARS, type StreamEvent } from '@foxhound/contracts';
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

const unstorable = (field: string) => ({
  detail: `${field} contains a character that cannot be stored (NUL or an unpaired UTF-16 surrogate).`,
  code: 'bad_request',
});

describe('strings the store cannot hold', () => {
  it.each([
    ['POST /investigate', '/investigate', { prompt: 'checkout\u0000 is down' }, 'body.prompt'],
    [
      'POST /v1/investigations',
      '/v1/investigations',
      { prompt: 'ok', threadId: 'th\u0000' },
      'body.threadId',
    ],
    ['POST /v1/alerts', '/v1/alerts', { title: 'High \ud800 latency', severity: 'high' }, 'body.title'],
    [
      'POST /v1/alerts (a label key)',
      '/v1/alerts',
      { title: 't', labels: { 'team\u0000': 'a' } },
      'body.labels (a key)',
    ],
  ])('400 naming the field on %s', async (_name, path, body, field) => {
    await request(harness.url)
      .post(path)
      .set('x-api-key', harness.keys.investigator)
      .send(body)
      .expect(400, unstorable(field));
  });

  it('400 naming the field for a decision reason', async () => {
    await request(harness.url)
      .post('/v1/actions/act_00000000000000000000/approve')
      .set('x-api-key', harness.keys.approver)
      .send({ reason: 'looks right\u0000' })
      .expect(400, unstorable('body.reason'));
  });

  it('400 naming the query parameter', async () => {
    await request(harness.url)
      .get('/v1/investigations')
      .query({ threadId: 'a\u0000b' })
      .set('x-api-key', harness.keys.viewer)
      .expect(400, unstorable('query.threadId'));
  });

  it('400 for a malformed cursor', async () => {
    await request(harness.url)
      .get('/v1/investigations')
      .query({ cursor: 'bm90LWEtY3Vyc29y' })
      .set('x-api-key', harness.keys.viewer)
      .expect(400, { detail: 'Invalid cursor.', code: 'bad_request' });
    await request(harness.url)
      .get('/v1/audit')
      .query({ cursor: '%%%' })
      .set('x-api-key', harness.keys.admin)
      .expect(400, { detail: 'Invalid cursor.', code: 'bad_request' });
  });

  it('stores the answer of an executor whose result carries a NUL, with the character replaced', async () => {
    harness.executor.script({
      before: (t) => [
        thought('reading', t),
        makeEvent(
          'tool_end',
          { name: 'kubectl\u0000get', tool_use_id: 'tu_1', success: true, status: 'success' },
          t,
        ),
        makeEvent('result', { text: 'root cause\u0000: quota', success: true, subtype: 'success' }, t),
      ],
    });
    const { events } = await harness.investigate({ prompt: 'x', thread_id: 'nul-in-answer' });
    const id = (events[0] as Extract<StreamEvent, { type: 'session' }>).data.investigation_id!;
    const stored = await harness.waitForStatus(id, 'completed');
    expect(stored.resultText).toBe('root cause\ufffd: quota');
  });
});

describe('alert prompts within the limit', () => {
  it('shortens a generic alert whose labels render past the limit, saying what was dropped', async () => {
    const labels = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`label_${i}`, 'v'.repeat(4000)]));
    const { body } = await request(harness.url)
      .post('/v1/alerts')
      .set('x-api-key', harness.keys.investigator)
      .send({ title: 'KubePodCrashLooping', severity: 'high', description: 'd'.repeat(20_000), labels })
      .expect(202);
    const investigation = await store.investigations.get(body.investigationId);
    expect(investigation!.prompt.length).toBeLessThanOrEqual(MAX_PROMPT_CHARS);
    expect(investigation!.prompt).toMatch(
      /\[Alert shortened to fit the 100000-character prompt limit: \d+ of 60 labels left out\.\]/,
    );
    expect(investigation!.prompt).toMatch(/^Alert: KubePodCrashLooping \(severity high\)\./);
  });

  it('clips an Alertmanager title and service taken from long labels to their bounds', async () => {
    const { body } = await request(harness.url)
      .post('/v1/alerts/alertmanager')
      .set('x-api-key', harness.keys.investigator)
      .send({
        version: '4',
        groupKey: '{}:{alertname="Long"}',
        status: 'firing',
        receiver: 'foxhound',
        groupLabels: { alertname: 'Long' },
        commonLabels: { alertname: 'Long', service: 's'.repeat(1000) },
        commonAnnotations: { summary: 'x'.repeat(4000) },
        alerts: [{ status: 'firing', labels: { alertname: 'Long' } }],
      })
      .expect(202);
    const investigation = await store.investigations.get(body.investigationId);
    expect(investigation!.title.length).toBe(500);
    expect(investigation!.alert!.service!.length).toBe(253);
  });
});
