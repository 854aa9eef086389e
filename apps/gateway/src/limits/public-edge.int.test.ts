// The public edge: a per-source limit before authentication, unauthenticated denials counted per
// source and minute in the audit chain (a flood adds O(1) rows), and favicon.ico answered.
import request from 'supertest';
import { createStore, type Store } from '@foxhound/store';
import { startHarness, type Harness } from '../__fixtures__/harness';

let store: Store;
let harness: Harness;
afterEach(async () => {
  await harness.close();
  await store.close();
});

const FLOOD = 400;
const LIMIT = 100;

describe('an unauthenticated flood from one address', () => {
  beforeEach(async () => {
    store = await createStore({});
    harness = await startHarness(store, { GATEWAY_SOURCE_RATE_LIMIT_PER_MINUTE: String(LIMIT) });
  });

  it('is refused past the source limit before authentication, and costs one audit row per source-minute', async () => {
    const before = (await store.audit.head()).seq;
    const statuses: number[] = [];
    for (let i = 0; i < FLOOD; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, () =>
          request(harness.url)
            .get('/v1/investigations')
            .set('x-api-key', `fh_${'x'.repeat(40)}`),
        ),
      );
      statuses.push(...batch.map((r) => r.status));
    }
    const count = (s: number) => statuses.filter((x) => x === s).length;
    // The bucket refills while the flood runs, so a few more than LIMIT get through to authentication.
    expect(count(401)).toBeGreaterThanOrEqual(LIMIT);
    expect(count(401) + count(429)).toBe(FLOOD);
    expect(count(429)).toBeGreaterThan(0);

    await harness.gateway.denials.flush(true);
    const added = (await store.audit.list({ actor: 'unauthenticated', limit: 100 })).items;
    // One row per source and minute: two when the flood straddles a minute boundary.
    expect(added.length).toBeLessThanOrEqual(2);
    expect((await store.audit.head()).seq - before).toBe(added.length);
    expect(added.reduce((n, e) => n + (e.details.count as number), 0)).toBe(FLOOD);
    expect(added[0]!.details).toMatchObject({ source: '127.0.0.1' });
    await expect(store.audit.verify()).resolves.toMatchObject({ ok: true });
  });

  it('429 with Retry-After and the reason once the address is over its limit', async () => {
    const answers = await Promise.all(
      Array.from({ length: 2 * LIMIT }, () => request(harness.url).get('/openapi.json')),
    );
    const res = answers.find((r) => r.status === 429)!;
    expect(res).toBeDefined();
    expect(res.body).toStrictEqual({
      detail: 'Too many requests from this address; slow down.',
      code: 'rate_limited',
    });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('favicon.ico', () => {
  beforeEach(async () => {
    store = await createStore({});
    harness = await startHarness(store);
  });

  it('204 without credentials', async () => {
    await request(harness.url).get('/favicon.ico').expect(204);
  });
});
