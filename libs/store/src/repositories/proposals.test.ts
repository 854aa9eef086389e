// Proposals: recorded once, moved only along the lifecycle, one winner among concurrent deciders,
// approval refused past expiry, and every move in the history and in the audit trail.
import { StoredProposalSchema } from '@foxhound/contracts';
import { ENGINES, useStore } from '../__fixtures__/backends';
import { newInvestigation, proposal } from '../__fixtures__/data';
import { StoreConflictError, StoreInputError } from '../errors';

describe.each(ENGINES)('proposals on %s', (engine) => {
  const { store } = useStore(engine);
  const repo = () => store().proposals;
  const start = async () => (await store().investigations.create(newInvestigation())).investigation.id;
  const recorded = async (expiresAt?: string) => {
    const investigationId = await start();
    const p = proposal();
    await repo().record({ investigationId, proposal: p, actor: 'executor:sbx-1', expiresAt });
    return { investigationId, id: p.id, p };
  };

  it('records a proposal as proposed, with its first history entry and an audit entry', async () => {
    const investigationId = await start();
    const p = proposal();
    const stored = await repo().record({ investigationId, proposal: p, actor: 'executor:sbx-1' });
    expect(stored).toStrictEqual({
      proposal: { ...p, investigationId },
      investigationId,
      state: 'proposed',
      createdAt: stored.createdAt,
      updatedAt: stored.createdAt,
      history: [{ to: 'proposed', actor: 'executor:sbx-1', at: stored.history[0]?.at }],
    });
    expect(StoredProposalSchema.parse(stored)).toStrictEqual(stored);
    expect((await store().audit.list({ investigationId })).items).toMatchObject([
      {
        kind: 'transition',
        action: 'proposal.proposed',
        actor: 'executor:sbx-1',
        target: `proposal/${p.id}`,
      },
    ]);
  });

  it('treats recording the same proposal again as a no-op, and another investigation reusing its id as a conflict', async () => {
    const { investigationId, id, p } = await recorded();
    const again = await repo().record({ investigationId, proposal: p, actor: 'executor:sbx-1' });
    expect(again.history).toHaveLength(1);
    const other = await start();
    await expect(repo().record({ investigationId: other, proposal: p, actor: 'x' })).rejects.toThrow(
      StoreConflictError,
    );
    expect((await repo().get(id))?.investigationId).toBe(investigationId);
  });

  it('lets exactly one of many concurrent approvers win', async () => {
    const { id } = await recorded();
    const approvers = Array.from({ length: 8 }, (_, i) => `user:approver-${i}`);
    const results = await Promise.all(
      approvers.map((actor) => repo().transition({ id, from: ['proposed'], to: 'approved', actor })),
    );
    const winners = results.filter((r) => r.won);
    expect(winners).toHaveLength(1);
    const final = await repo().get(id);
    expect(final?.state).toBe('approved');
    expect(final?.history.filter((h) => h.to === 'approved')).toHaveLength(1);
    expect(final?.decision?.actor).toBe(winners[0]?.proposal?.decision?.actor);
    for (const loser of results.filter((r) => !r.won)) expect(loser.proposal?.state).toBe('approved');
  });

  it('applies an approved action once even when two executors race to start it', async () => {
    const { id } = await recorded();
    await repo().transition({ id, from: ['proposed'], to: 'approved', actor: 'user:alice' });
    const starts = await Promise.all(
      ['manager-a', 'manager-b'].map((actor) =>
        repo().transition({ id, from: ['approved'], to: 'applying', actor }),
      ),
    );
    expect(starts.map((r) => r.won).sort()).toStrictEqual([false, true]);
  });

  it('tells the loser of a decision what the proposal became', async () => {
    const { id } = await recorded();
    await repo().transition({
      id,
      from: ['proposed'],
      to: 'rejected',
      actor: 'user:bob',
      reason: 'wrong target',
    });
    const late = await repo().transition({ id, from: ['proposed'], to: 'approved', actor: 'user:alice' });
    expect(late.won).toBe(false);
    expect(late.proposal?.state).toBe('rejected');
    expect(late.proposal?.decision).toStrictEqual({
      approved: false,
      actor: 'user:bob',
      reason: 'wrong target',
      at: late.proposal?.decision?.at,
    });
  });

  it('walks the whole lifecycle with every step in history and in the audit trail', async () => {
    const { investigationId, id } = await recorded();
    const steps = [
      ['proposed', 'approved', 'user:alice'],
      ['approved', 'applying', 'sandbox-manager'],
      ['applying', 'applied', 'sandbox-manager'],
      ['applied', 'failed', 'sandbox-manager'],
      ['failed', 'recovered', 'sandbox-manager'],
    ] as const;
    for (const [from, to, actor] of steps) {
      await expect(repo().transition({ id, from: [from], to, actor })).resolves.toMatchObject({ won: true });
    }
    const final = await repo().get(id);
    expect(final?.history.map((h) => [h.from ?? null, h.to])).toStrictEqual([
      [null, 'proposed'],
      ...steps.map(([from, to]) => [from, to]),
    ]);
    const audit = (await store().audit.list({ investigationId })).items.reverse();
    expect(audit.map((e) => [e.kind, e.action])).toStrictEqual([
      ['transition', 'proposal.proposed'],
      ['decision', 'proposal.approved'],
      ['transition', 'proposal.applying'],
      ['transition', 'proposal.applied'],
      ['transition', 'proposal.failed'],
      ['transition', 'proposal.recovered'],
    ]);
  });

  it.each([
    ['proposed', 'applied'],
    ['rejected', 'approved'],
    ['recovered', 'failed'],
    ['expired', 'approved'],
  ] as const)('refuses the move %s → %s', async (from, to) => {
    await expect(repo().transition({ id: 'p', from: [from], to, actor: 'x' })).rejects.toThrow(
      new StoreInputError(`a proposal cannot go from ${from} to ${to}`),
    );
  });

  it('reports an unknown proposal as lost, not as an error', async () => {
    await expect(
      repo().transition({ id: 'prop-missing', from: ['proposed'], to: 'approved', actor: 'x' }),
    ).resolves.toStrictEqual({ won: false, proposal: null });
  });

  it('refuses approval past expiry and expires it in the sweep', async () => {
    const { investigationId, id } = await recorded('2020-01-01T00:00:00Z');
    const fresh = await recorded(new Date(Date.now() + 3_600_000).toISOString());
    const approval = await repo().transition({ id, from: ['proposed'], to: 'approved', actor: 'user:alice' });
    expect(approval.won).toBe(false);
    expect(approval.proposal?.state).toBe('proposed');

    expect(await repo().expireDue()).toContain(id);
    expect((await repo().get(id))?.state).toBe('expired');
    expect((await repo().get(fresh.id))?.state).toBe('proposed');
    expect((await store().audit.list({ investigationId, action: 'proposal.expired' })).items).toMatchObject([
      { actor: 'system', details: { from: 'proposed', to: 'expired' } },
    ]);
    expect(await repo().expireDue()).not.toContain(id);
  });

  it('lists the proposals of an investigation and the approval inbox', async () => {
    const investigationId = await start();
    const a = proposal();
    const b = proposal();
    await repo().record({ investigationId, proposal: a, actor: 'executor' });
    await repo().record({ investigationId, proposal: b, actor: 'executor' });
    await repo().transition({ id: b.id, from: ['proposed'], to: 'rejected', actor: 'user:bob' });
    expect((await repo().list({ investigationId })).map((p) => p.proposal.id)).toStrictEqual([a.id, b.id]);
    const inbox = (await repo().list({ state: 'proposed', limit: 500 })).map((p) => p.proposal.id);
    expect(inbox).toContain(a.id);
    expect(inbox).not.toContain(b.id);
  });
});
