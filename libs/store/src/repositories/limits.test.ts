// Limits shared through the database: a rate bucket and a slot pool that two stores on the same data
// (two gateway replicas) count together, decided by the database so concurrent callers cannot overshoot.
import { createStore, type Store } from '../store';
import { dropStore, ENGINES, testOptions, useStore } from '../__fixtures__/backends';
import { unique } from '../__fixtures__/data';

describe.each(ENGINES)('limits on %s', (engine) => {
  const { store, options } = useStore(engine);
  /** Moves a key's bucket an hour back, as if it had been idle that long. */
  const idle = (key: string) =>
    store().db.query(`UPDATE rate_limits SET tat = tat - 3600000 WHERE key = $1`, [key]);

  it('allows a burst of perMinute requests, then refuses with the wait until the next one', async () => {
    const key = unique('rate');
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await store().limits.take(key, 3));
    expect(decisions.map((d) => d.allowed)).toStrictEqual([true, true, true, false]);
    // One request every 20 s refills the bucket: the wait is positive and at most one interval.
    expect(decisions[3]!.retryAfterSeconds).toBeGreaterThan(0);
    expect(decisions[3]!.retryAfterSeconds).toBeLessThanOrEqual(20);
    await expect(store().limits.take(unique('other'), 3)).resolves.toMatchObject({ allowed: true });
    await idle(key);
    await expect(store().limits.take(key, 3)).resolves.toStrictEqual({ allowed: true, retryAfterSeconds: 0 });
  });

  it('refuses exactly what is over the limit when many take at once', async () => {
    const key = unique('burst');
    const decisions = await Promise.all(Array.from({ length: 25 }, () => store().limits.take(key, 10)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
  });

  it('prunes only buckets that are full again', async () => {
    const busy = unique('busy');
    const quiet = unique('quiet');
    await store().limits.take(busy, 5);
    await store().limits.take(quiet, 5);
    await idle(quiet);
    await store().limits.pruneRates();
    const { rows } = await store().db.query<{ key: string }>(
      'SELECT key FROM rate_limits WHERE key = ANY($1::text[])',
      [[busy, quiet]],
    );
    expect(rows.map((r) => r.key)).toStrictEqual([busy]);
  });

  it('hands out at most max slots, frees released ones and reclaims stale ones', async () => {
    const pool = unique('pool');
    const request = { pool, max: 2, runnerId: 'runner-a', staleMs: 60_000 };
    const first = await store().limits.acquireSlot(request);
    const second = await store().limits.acquireSlot({ ...request, runnerId: 'runner-b' });
    expect([first.acquired, second.acquired]).toStrictEqual([true, true]);
    await expect(store().limits.acquireSlot(request)).resolves.toStrictEqual({ acquired: false, inUse: 2 });
    if (!first.acquired || !second.acquired) throw new Error('unreachable');
    await expect(store().limits.releaseSlot(first.slotId)).resolves.toBe(true);
    await expect(store().limits.releaseSlot(first.slotId)).resolves.toBe(false);
    const third = await store().limits.acquireSlot(request);
    expect(third.acquired).toBe(true);
    // runner-b died: its slot is not renewed; runner-a renews its own.
    await store().db.query(`UPDATE run_slots SET heartbeat_at = now() - interval '1 hour' WHERE pool = $1`, [
      pool,
    ]);
    if (!third.acquired) throw new Error('unreachable');
    await expect(store().limits.renewSlots('runner-a', [third.slotId, second.slotId])).resolves.toBe(1);
    await expect(store().limits.acquireSlot(request)).resolves.toMatchObject({ acquired: true });
    await expect(store().limits.slotsInUse(pool)).resolves.toBe(2);
  });

  it('never overshoots when two stores on the same data race for the last slots', async () => {
    const second: Store = engine === 'postgres' ? await createStore({ ...options() }) : store();
    try {
      const pool = unique('race');
      const request = { pool, max: 3, runnerId: 'runner', staleMs: 60_000 };
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => (i % 2 ? second : store()).limits.acquireSlot(request)),
      );
      expect(results.filter((r) => r.acquired)).toHaveLength(3);
      expect(results.filter((r) => !r.acquired).map((r) => !r.acquired && r.inUse)).toStrictEqual(
        Array(9).fill(3),
      );
      // The bucket is one bucket for both stores too.
      const key = unique('shared');
      for (let i = 0; i < 2; i++) await store().limits.take(key, 3);
      await expect(second.limits.take(key, 3)).resolves.toMatchObject({ allowed: true });
      await expect(second.limits.take(key, 3)).resolves.toMatchObject({ allowed: false });
    } finally {
      if (second !== store()) await second.close();
    }
  });

  it('refuses bad input', async () => {
    await expect(store().limits.take('', 3)).rejects.toThrow('rate limit key must be 1..300 characters');
    await expect(store().limits.take('k', 0)).rejects.toThrow('perMinute must be an integer >= 1');
    await expect(
      store().limits.acquireSlot({ pool: 'p', max: 1, runnerId: 'r', staleMs: 10 }),
    ).rejects.toThrow('staleMs must be an integer of at least 1000');
  });
});

// Stores in two schemas of one PostgreSQL (test runs side by side) keep separate pools.
const onPostgres = process.env.DATABASE_URL ? it : it.skip;
onPostgres('keeps each schema to itself (PostgreSQL only: set DATABASE_URL)', async () => {
  const a = testOptions('postgres');
  const b = testOptions('postgres');
  const [one, two] = await Promise.all([createStore(a), createStore(b)]);
  try {
    const request = { pool: 'p', max: 1, runnerId: 'r', staleMs: 60_000 };
    await expect(one.limits.acquireSlot(request)).resolves.toMatchObject({ acquired: true });
    await expect(two.limits.acquireSlot(request)).resolves.toMatchObject({ acquired: true });
  } finally {
    await dropStore(one, a.schema);
    await dropStore(two, b.schema);
  }
});
