// The audit trail: entries chained by hash, one chain under concurrent appends, append-only in the
// database, and a verifier that names the first entry broken by each kind of tampering.
import { AuditEntrySchema } from '@foxhound/contracts';
import { ENGINES, useStore } from '../__fixtures__/backends';
import { unique } from '../__fixtures__/data';
import { type Queryable } from '../db/database';
import { StoreInputError } from '../errors';
import { createAuditRepository } from './audit';
import { hashEntry } from './audit-chain';
import { transactionSession } from './session';

const request = (action: string, details: Record<string, unknown> = {}) => ({
  kind: 'request' as const,
  actor: 'key:key_1',
  actorRole: 'admin' as const,
  action,
  requestId: 'req-1',
  details,
});

class RolledBack extends Error {}

describe.each(ENGINES)('audit trail on %s', (engine) => {
  const { store } = useStore(engine);
  const audit = () => store().audit;

  /** Tampers inside a transaction, verifies there, then rolls the tampering back for the next test. */
  async function verifyAfter(tamper: (tx: Queryable) => Promise<unknown>) {
    let outcome: Awaited<ReturnType<ReturnType<typeof audit>['verify']>> | undefined;
    await expect(
      store().db.transaction(async (tx) => {
        await tx.exec('ALTER TABLE audit_log DISABLE TRIGGER USER');
        await tamper(tx);
        outcome = await createAuditRepository(transactionSession(tx)).verify();
        throw new RolledBack();
      }),
    ).rejects.toThrow(RolledBack);
    return outcome;
  }

  it('chains each entry to the one before it', async () => {
    const first = await audit().append(request('POST /v1/keys', { name: 'ci' }));
    const second = await audit().append(request('DELETE /v1/keys/key_1'));
    expect(second.seq).toBe(first.seq + 1);
    expect(second.prevHash).toBe(first.hash);
    const { hash, ...unhashed } = second;
    expect(hashEntry(unhashed)).toBe(hash);
    expect(AuditEntrySchema.parse(first)).toStrictEqual(first);
    expect(await audit().head()).toStrictEqual({ seq: second.seq, hash: second.hash });
  });

  it('appends an entry with a dedup key once, however often the batch is retried', async () => {
    const before = await audit().head();
    const key = unique('turn');
    const batch = [
      { ...request('kubectl_get'), dedupKey: `${key}:1` },
      { ...request('fetch_pod_logs'), dedupKey: `${key}:2` },
    ];
    await audit().appendMany(batch);
    await expect(
      audit().appendMany([...batch, { ...request('quota_explain'), dedupKey: `${key}:3` }]),
    ).resolves.toMatchObject([{ action: 'quota_explain', seq: before.seq + 3 }]);
    const again = await audit().append(batch[0]!);
    expect(again).toMatchObject({ seq: before.seq + 1, action: 'kubectl_get' });
    expect((await audit().head()).seq).toBe(before.seq + 3);
    await expect(audit().verify()).resolves.toMatchObject({ ok: true });
  });

  it('keeps one chain under concurrent appends', async () => {
    const before = await audit().head();
    const entries = await Promise.all(
      Array.from({ length: 30 }, (_, i) => audit().append(request(`call ${i}`))),
    );
    const seqs = entries.map((e) => e.seq).sort((a, b) => a - b);
    expect(seqs).toStrictEqual(Array.from({ length: 30 }, (_, i) => before.seq + 1 + i));
    await expect(audit().verify()).resolves.toMatchObject({ ok: true, checked: before.seq + 30 });
  });

  it('appends a batch in order, chained, interleaved safely with single appends', async () => {
    const before = await audit().head();
    const [batch, single] = await Promise.all([
      audit().appendMany(Array.from({ length: 12 }, (_, i) => request(`tool ${i}`))),
      audit().append(request('between')),
    ]);
    expect(batch.map((e) => e.action)).toStrictEqual(Array.from({ length: 12 }, (_, i) => `tool ${i}`));
    expect(batch.map((e) => e.seq)).toStrictEqual(batch.map((_, i) => batch[0]!.seq + i));
    for (let i = 1; i < batch.length; i++) expect(batch[i]!.prevHash).toBe(batch[i - 1]!.hash);
    expect([batch[0]!.seq - 1, single.seq - 1]).toContain(before.seq);
    await expect(audit().verify()).resolves.toMatchObject({ ok: true, checked: before.seq + 13 });
    await expect(audit().appendMany([])).resolves.toStrictEqual([]);
  });

  it('stores details exactly as hashed, whatever their keys, numbers and characters', async () => {
    const details = {
      z: 1,
      a: { y: [3, 0.1, -0], x: 'NUL \u0000 and ünïcödé 🦊' },
      big: 1e21,
      when: new Date(0),
    };
    const entry = await audit().append(request('odd details', details));
    expect(entry.details).toStrictEqual({
      a: { x: 'NUL \u0000 and ünïcödé 🦊', y: [3, 0.1, 0] },
      big: 1e21,
      when: '1970-01-01T00:00:00.000Z',
      z: 1,
    });
    await expect(audit().verify()).resolves.toMatchObject({ ok: true });
  });

  it('shortens oversized details to a preview instead of dropping the entry', async () => {
    const entry = await audit().append(request('huge', { output: 'x'.repeat(100_000) }));
    expect(entry.details).toStrictEqual({ truncated: { bytes: 100_013, preview: expect.any(String) } });
    await expect(audit().verify()).resolves.toMatchObject({ ok: true });
  });

  it('refuses UPDATE, DELETE and TRUNCATE in the database itself', async () => {
    await audit().append(request('guarded'));
    for (const sql of [
      "UPDATE audit_log SET actor = 'mallory'",
      'DELETE FROM audit_log',
      'TRUNCATE audit_log',
    ]) {
      await expect(store().db.query(sql)).rejects.toThrow('audit_log is append-only');
    }
  });

  it.each([
    [
      'an edited entry',
      (seq: number) => `UPDATE audit_log SET details = '{"name":"innocent"}' WHERE seq = ${seq}`,
      (seq: number) => ({ seq, reason: 'hash_mismatch' }),
    ],
    [
      'an edited entry given a made-up hash',
      (seq: number) => `UPDATE audit_log SET actor = 'mallory', hash = repeat('a', 64) WHERE seq = ${seq}`,
      (seq: number) => ({ seq, reason: 'hash_mismatch' }),
    ],
    [
      'a deleted entry',
      (seq: number) => `DELETE FROM audit_log WHERE seq = ${seq}`,
      (seq: number) => ({ seq, reason: 'sequence_gap' }),
    ],
    [
      'deleted newest entries',
      (seq: number) => `DELETE FROM audit_log WHERE seq >= ${seq}`,
      (seq: number) => ({ seq, reason: 'head_mismatch' }),
    ],
  ])('names the first entry broken by %s', async (_name, tamper, expected) => {
    const target = await audit().append(request('target'));
    await audit().append(request('after'));
    const outcome = await verifyAfter((tx) => tx.query(tamper(target.seq)));
    expect(outcome).toMatchObject({ ok: false, broken: expected(target.seq) });
    await expect(audit().verify()).resolves.toMatchObject({ ok: true });
  });

  it('names the entry after one that was replaced with a self-consistent forgery', async () => {
    const target = await audit().append(request('target'));
    await audit().append(request('after'));
    const outcome = await verifyAfter(async (tx) => {
      const forged = { ...target, actor: 'mallory' };
      const { hash: _old, ...unhashed } = forged;
      await tx.query(`UPDATE audit_log SET actor = $1, hash = $2 WHERE seq = $3`, [
        'mallory',
        hashEntry(unhashed),
        target.seq,
      ]);
    });
    expect(outcome).toMatchObject({
      ok: false,
      broken: { seq: target.seq + 1, reason: 'prev_hash_mismatch' },
    });
  });

  it('lists newest first with filters and pages', async () => {
    const investigationId = unique('inv');
    for (const action of ['a', 'b', 'c']) {
      await audit().append({ ...request(action), kind: 'tool_call', investigationId, actor: 'executor:sbx' });
    }
    const first = await audit().list({ investigationId, limit: 2 });
    expect(first.items.map((e) => e.action)).toStrictEqual(['c', 'b']);
    const second = await audit().list({ investigationId, limit: 2, cursor: first.nextCursor ?? undefined });
    expect(second.items.map((e) => e.action)).toStrictEqual(['a']);
    expect(second.nextCursor).toBeNull();
    expect((await audit().list({ investigationId, action: 'b' })).items).toHaveLength(1);
    expect((await audit().list({ investigationId, kind: 'request' })).items).toHaveLength(0);
    expect((await audit().list({ investigationId, before: '2000-01-01T00:00:00Z' })).items).toHaveLength(0);
  });

  it.each([
    ['an empty actor', { ...request('x'), actor: '' }],
    ['an unknown kind', { ...request('x'), kind: 'gossip' as 'request' }],
  ])('refuses to append %s', async (_name, input) => {
    await expect(audit().append(input)).rejects.toThrow(StoreInputError);
  });
});
