// Two gateway replicas on one PostgreSQL (each a real HTTP server with its own pool, the same schema):
// a client tailing on replica B sees replica A's events as A stores them, woken by PostgreSQL's
// notices (B's slow status check is 30 s, longer than these tests may take), and the credential rate
// limit and the running-investigation limit hold across both replicas. Needs DATABASE_URL.
import { randomBytes } from 'node:crypto';
import { type StreamEvent } from '@foxhound/contracts';
import { openEventStream } from '@foxhound/service-kit';
import { createStore, type Store } from '@foxhound/store';
import { result, thought } from '../__fixtures__/fakes';
import { startHarness, type Harness } from '../__fixtures__/harness';

const databaseUrl = process.env.DATABASE_URL;
const describeOnPostgres = databaseUrl ? describe : describe.skip;

interface Replicas {
  a: Harness;
  b: Harness;
  close(): Promise<void>;
}

/** Two stores on a fresh schema and a gateway on each; `close` stops them and drops the schema. */
async function startReplicas(env: Record<string, string> = {}): Promise<Replicas> {
  const schema = `fh_test_${randomBytes(6).toString('hex')}`;
  const stores: Store[] = [];
  const harnesses: Harness[] = [];
  try {
    for (let i = 0; i < 2; i++) stores.push(await createStore({ databaseUrl, schema, poolMax: 4 }));
    for (const store of stores) harnesses.push(await startHarness(store, env));
  } catch (err) {
    await Promise.all(harnesses.map((h) => h.close()));
    await Promise.all(stores.map((s) => s.close()));
    throw err;
  }
  return {
    a: harnesses[0]!,
    b: harnesses[1]!,
    async close() {
      for (const h of harnesses) await h.close();
      await stores[0]!.db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      for (const s of stores) await s.close();
    },
  };
}

/** A gate the test opens: the fake executor waits on it in the middle of its turn. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describeOnPostgres('two gateway replicas on one PostgreSQL (set DATABASE_URL to run)', () => {
  let replicas: Replicas | undefined;
  afterEach(async () => {
    await replicas?.close();
    replicas = undefined;
  });

  it("tails on replica B what replica A streams, live, to the turn's end", async () => {
    replicas = await startReplicas();
    const { a, b } = replicas;
    const rest = gate();
    a.executor.script({
      before: (t) => [thought('reading the deployment', t)],
      gate: rest.promise,
      after: (t) => [thought('the quota is exhausted', t), result('raise the quota', t)],
    });
    const onA = await openEventStream(`${a.url}/investigate`, {
      body: { prompt: 'checkout is down', thread_id: `replicas-${randomBytes(4).toString('hex')}` },
      headers: { 'x-api-key': a.keys.investigator },
    });
    expect(onA.status).toBe(200);
    let id = '';
    for await (const frame of onA.frames) {
      const event = JSON.parse(frame.data) as StreamEvent;
      if (event.type === 'session') id = event.data.investigation_id!;
      if (event.type === 'thought') break;
    }

    const onB = await openEventStream(`${b.url}/v1/investigations/${id}/events`, {
      headers: { 'x-api-key': b.keys.viewer },
    });
    expect(onB.status).toBe(200);
    const seen: { id: number; event: StreamEvent }[] = [];
    for await (const frame of onB.frames) {
      seen.push({ id: Number(frame.id), event: JSON.parse(frame.data) as StreamEvent });
      if (seen.at(-1)!.event.type === 'thought') {
        // B holds A's first events; only now does A's executor go on.
        if (seen.filter((s) => s.event.type === 'thought').length === 1) rest.open();
      }
    }
    // B's stream ended by itself at the result, with every event once, in order, with A's ids.
    expect(seen.map((s) => s.event.type)).toStrictEqual(['session', 'thought', 'thought', 'result']);
    expect(seen.map((s) => s.id)).toStrictEqual([1, 2, 3, 4]);
    expect((seen[2]!.event as Extract<StreamEvent, { type: 'thought' }>).data.text).toBe(
      'the quota is exhausted',
    );
    onA.close();
    await a.waitForStatus(id, 'completed');
  }, 25_000);

  it('counts a credential rate limit and the running-investigation limit across both replicas', async () => {
    replicas = await startReplicas({
      GATEWAY_RATE_LIMIT_PER_MINUTE: '5',
      GATEWAY_MAX_RUNNING_INVESTIGATIONS: '1',
    });
    const { a, b } = replicas;
    // One key, stored once, valid on both replicas.
    const key = a.keys.investigator;

    // The running limit: A's turn holds the only slot, so B refuses a second turn.
    const hold = gate();
    a.executor.script({
      before: (t) => [thought('reading', t)],
      gate: hold.promise,
      after: (t) => [result('ok', t)],
    });
    const running = await openEventStream(`${a.url}/investigate`, {
      body: { prompt: 'checkout is down', thread_id: `held-${randomBytes(4).toString('hex')}` },
      headers: { 'x-api-key': key },
    });
    expect(running.status).toBe(200);
    for await (const frame of running.frames)
      if ((JSON.parse(frame.data) as StreamEvent).type === 'thought') break;
    const refused = await fetch(`${b.url}/investigate`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({
        prompt: 'and payments too',
        thread_id: `second-${randomBytes(4).toString('hex')}`,
      }),
    });
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { detail: string }).detail).toBe(
      '1 investigations are already running; try again shortly.',
    );
    hold.open();
    for await (const frame of running.frames) void frame;

    // The rate limit: 5 per minute for the key, whichever replica answers. Two requests so far (A's
    // turn, B's refusal); three more pass, alternating replicas, and then both refuse.
    const list = (h: Harness) => fetch(`${h.url}/v1/investigations`, { headers: { 'x-api-key': key } });
    const statuses = [];
    for (const h of [a, b, a, b, a]) statuses.push((await list(h)).status);
    expect(statuses).toStrictEqual([200, 200, 200, 429, 429]);
    const retry = await list(b);
    expect(retry.status).toBe(429);
    expect(Number(retry.headers.get('retry-after'))).toBeGreaterThan(0);
  }, 25_000);
});
