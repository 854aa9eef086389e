// Leases on running investigations and the sweep that ends the ones nobody runs any more.
import { ENGINES, useStore } from '../__fixtures__/backends';
import { newInvestigation, result, thought } from '../__fixtures__/data';
import { SWEEP_ERROR_CODE } from './liveness';

describe.each(ENGINES)('liveness on %s', (engine) => {
  const { store } = useStore(engine);
  const start = async () => (await store().investigations.create(newInvestigation())).investigation;
  /** Moves an investigation's lease an hour into the past, as if its runner stopped renewing it. */
  const lapse = (id: string) =>
    store().db.query(
      `UPDATE investigations SET heartbeat_at = now() - interval '1 hour', created_at = now() - interval '1 hour' WHERE id = $1`,
      [id],
    );

  it('ends an investigation whose lease lapsed: interrupted, a terminal error event, an audit entry', async () => {
    const orphan = await start();
    await store().events.insert(orphan.id, [{ seq: 1, event: thought('looking', orphan.threadId) }]);
    await lapse(orphan.id);
    const swept = await store().liveness.sweep({ staleMs: 60_000, actor: 'gateway:test' });
    expect(swept).toContainEqual({ id: orphan.id, threadId: orphan.threadId });
    expect(await store().investigations.get(orphan.id)).toMatchObject({
      status: 'interrupted',
      error: { code: SWEEP_ERROR_CODE },
    });
    const events = await store().events.list(orphan.id);
    expect(events.map((e) => [e.seq, e.event.type])).toStrictEqual([
      [1, 'thought'],
      [2, 'error'],
    ]);
    const audit = await store().audit.list({ investigationId: orphan.id });
    expect(audit.items.map((e) => [e.action, e.actor])).toStrictEqual([
      ['investigation.swept', 'gateway:test'],
    ]);
    await expect(store().audit.verify()).resolves.toMatchObject({ ok: true });
  });

  it('keeps a stream that already ended as it is', async () => {
    const ended = await start();
    await store().events.insert(ended.id, [{ seq: 1, event: result(ended.threadId) }]);
    await lapse(ended.id);
    await store().liveness.sweep({ staleMs: 60_000, actor: 'gateway:test' });
    expect((await store().events.list(ended.id)).map((e) => e.event.type)).toStrictEqual(['result']);
  });

  it('leaves alone what is renewed, excluded, or already finished', async () => {
    const renewed = await start();
    const excluded = await start();
    const finished = await start();
    for (const i of [renewed, excluded, finished]) await lapse(i.id);
    await store().investigations.finish(finished.id, { status: 'completed' });
    expect(await store().liveness.heartbeat('runner-a', [renewed.id, finished.id])).toBe(1);
    const swept = await store().liveness.sweep({
      staleMs: 60_000,
      exclude: [excluded.id],
      actor: 'gateway:test',
    });
    expect(swept.map((s) => s.id)).not.toEqual(expect.arrayContaining([renewed.id]));
    expect(swept.map((s) => s.id)).not.toContain(excluded.id);
    expect((await store().investigations.get(renewed.id))?.status).toBe('running');
    expect((await store().investigations.get(finished.id))?.status).toBe('completed');
  });

  it('refuses a stale bound under a second', async () => {
    await expect(store().liveness.sweep({ staleMs: 10, actor: 'x' })).rejects.toThrow(/at least 1000/);
  });
});
