// Investigations: creation, alert deduplication, the compare-and-set finish, and listing with filters
// and cursor pagination. Every returned shape is checked against the contract the gateway serves.
import {
  InvestigationDetailSchema,
  type InvestigationReport,
  InvestigationSummarySchema,
  makeEvent,
} from '@foxhound/contracts';
import { ENGINES, useStore } from '../__fixtures__/backends';
import { newInvestigation, unique } from '../__fixtures__/data';
import { StoreConflictError, StoreInputError } from '../errors';

const report = (): InvestigationReport => ({
  summary: 'checkout pods are OOMKilled',
  rootCause: 'memory limit of 64Mi is below the working set',
  healthy: false,
  affected: { kind: 'Deployment', name: 'checkout', namespace: 'shop' },
  evidence: [{ source: 'event', excerpt: 'OOMKilled' }],
  timeline: [],
  impact: 'checkout returns 500s',
  blastRadius: [],
  findings: (['critical', 'high', 'high', 'info'] as const).map((severity, i) => ({
    id: `f${i}`,
    analyzer: 'pod',
    reason: 'OOMKilled',
    severity,
    object: { kind: 'Pod', name: `checkout-${i}`, namespace: 'shop' },
    symptom: 'restarting',
    cause: 'out of memory',
    evidence: [],
    confidence: 0.9,
  })),
  proposals: [],
  confidence: 0.9,
  notChecked: [],
});

describe.each(ENGINES)('investigations on %s', (engine) => {
  const { store } = useStore(engine);
  const repo = () => store().investigations;

  it('creates a running investigation titled by the first line of its prompt', async () => {
    const input = newInvestigation();
    const { investigation, created } = await repo().create(input);
    expect(created).toBe(true);
    expect(investigation).toStrictEqual({
      id: expect.stringMatching(/^inv_[0-9a-f]{20}$/),
      threadId: input.threadId,
      status: 'running',
      source: 'api',
      title: 'checkout is returning 500s',
      principal: 'key:key_test',
      createdAt: investigation.createdAt,
      updatedAt: investigation.createdAt,
      findings: { total: 0, critical: 0, high: 0, medium: 0, low: 0, info: 0 },
      prompt: input.prompt,
    });
    expect(InvestigationDetailSchema.parse(investigation)).toStrictEqual(investigation);
    expect(await repo().get(investigation.id)).toStrictEqual(investigation);
  });

  it('returns null for an unknown id', async () => {
    expect(await repo().get('inv_missing')).toBeNull();
  });

  it('refuses a caller-chosen id that already exists', async () => {
    const id = unique('inv');
    await repo().create(newInvestigation({ id }));
    await expect(repo().create(newInvestigation({ id }))).rejects.toThrow(StoreConflictError);
  });

  it.each([
    ['a thread id with a slash', { threadId: 'a/b' }, 'threadId'],
    ['an empty prompt', { prompt: '' }, 'prompt'],
    ['an unknown source', { source: 'email' as 'api' }, 'source'],
  ])('refuses %s, naming the field', async (_name, override, field) => {
    const attempt = repo().create(newInvestigation(override));
    await expect(attempt).rejects.toThrow(StoreInputError);
    await expect(attempt).rejects.toThrow(field);
  });

  it('starts one investigation for concurrent alerts with the same fingerprint', async () => {
    const fingerprint = unique('fp');
    const alert = { title: 'KubePodCrashLooping shop/checkout', severity: 'critical' as const, labels: {} };
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        repo().create(newInvestigation({ source: 'alertmanager', alert, alertFingerprint: fingerprint })),
      ),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const ids = new Set(results.map((r) => r.investigation.id));
    expect(ids.size).toBe(1);
    const open = await repo().findOpenByFingerprint(fingerprint);
    expect(open?.id).toBe([...ids][0]);
    expect(open?.title).toBe('KubePodCrashLooping shop/checkout');
    expect(open?.alert).toStrictEqual(alert);
  });

  it('starts a new investigation for a fingerprint whose last one finished', async () => {
    const fingerprint = unique('fp');
    const first = await repo().create(newInvestigation({ source: 'webhook', alertFingerprint: fingerprint }));
    await repo().finish(first.investigation.id, { status: 'completed' });
    expect(await repo().findOpenByFingerprint(fingerprint)).toBeNull();
    const second = await repo().create(
      newInvestigation({ source: 'webhook', alertFingerprint: fingerprint }),
    );
    expect(second.created).toBe(true);
    expect(second.investigation.id).not.toBe(first.investigation.id);
  });

  it('finishes once: the outcome, findings counts and usage are stored and a second finish loses', async () => {
    const { investigation } = await repo().create(newInvestigation());
    expect(await repo().setSandbox(investigation.id, 'sbx-1')).toBe(true);
    const usage = {
      inputTokens: 12_000,
      outputTokens: 900,
      cacheReadInputTokens: 4000,
      cacheCreationInputTokens: 0,
      costUsd: 0.0525,
      modelCalls: 7,
    };
    const outcome = {
      status: 'completed' as const,
      report: report(),
      resultText: 'checkout is OOMKilled',
      usage,
      provider: 'offline',
      model: 'deterministic',
      durationMs: 5120,
    };
    await expect(repo().finish(investigation.id, outcome)).resolves.toBe(true);
    await expect(
      repo().finish(investigation.id, { status: 'failed', error: { message: 'late' } }),
    ).resolves.toBe(false);

    const done = await repo().get(investigation.id);
    expect(done).toStrictEqual({
      ...investigation,
      status: 'completed',
      sandboxId: 'sbx-1',
      updatedAt: done?.updatedAt,
      completedAt: done?.completedAt,
      rootCause: 'memory limit of 64Mi is below the working set',
      healthy: false,
      findings: { total: 4, critical: 1, high: 2, medium: 0, low: 0, info: 1 },
      usage,
      report: report(),
      resultText: 'checkout is OOMKilled',
      provider: 'offline',
      model: 'deterministic',
      durationMs: 5120,
    });
    expect(InvestigationDetailSchema.parse(done)).toStrictEqual(done);
  });

  it('stores a failure with its error', async () => {
    const { investigation } = await repo().create(newInvestigation());
    await repo().finish(investigation.id, {
      status: 'failed',
      error: { message: 'sandbox lost', code: 'upstream' },
    });
    expect(await repo().get(investigation.id)).toMatchObject({
      status: 'failed',
      error: { message: 'sandbox lost', code: 'upstream' },
    });
  });

  it('keeps text the JSON column would otherwise refuse (NUL characters in a report)', async () => {
    const { investigation } = await repo().create(newInvestigation());
    const withNul = { ...report(), summary: 'log line with \u0000 inside' };
    await repo().finish(investigation.id, { status: 'completed', report: withNul });
    expect((await repo().get(investigation.id))?.report?.summary).toBe('log line with \u0000 inside');
  });

  it('lists a thread newest first, page by page, each item once', async () => {
    const threadId = unique('thread');
    const created: string[] = [];
    for (let i = 0; i < 5; i++)
      created.push((await repo().create(newInvestigation({ threadId }))).investigation.id);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await repo().list({ threadId, limit: 2, cursor });
      for (const item of page.items) expect(InvestigationSummarySchema.parse(item)).toStrictEqual(item);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);

    expect(seen).toHaveLength(5);
    expect(new Set(seen)).toStrictEqual(new Set(created));
    const pages = await repo().list({ threadId, limit: 100 });
    const order = pages.items.map((i) => [i.createdAt, i.id].join(' '));
    expect(order).toStrictEqual([...order].sort().reverse());
    expect(pages.nextCursor).toBeNull();
  });

  it('filters by status, source and creation time', async () => {
    const threadId = unique('thread');
    const api = (await repo().create(newInvestigation({ threadId }))).investigation;
    const alert = (await repo().create(newInvestigation({ threadId, source: 'alertmanager' }))).investigation;
    const old = (await repo().create(newInvestigation({ threadId }))).investigation;
    await repo().finish(api.id, { status: 'completed' });
    await store().db.query(`UPDATE investigations SET created_at = '2020-01-01T00:00:00Z' WHERE id = $1`, [
      old.id,
    ]);

    const ids = async (query: Parameters<ReturnType<typeof repo>['list']>[0]) =>
      (await repo().list({ threadId, ...query })).items.map((i) => i.id);
    expect(await ids({ status: 'completed' })).toStrictEqual([api.id]);
    expect(await ids({ source: 'alertmanager' })).toStrictEqual([alert.id]);
    expect(await ids({ createdBefore: '2021-01-01T00:00:00+02:00' })).toStrictEqual([old.id]);
    expect((await ids({ createdAfter: '2021-01-01T00:00:00Z' })).sort()).toStrictEqual(
      [api.id, alert.id].sort(),
    );
  });

  it('filters by who started it and by text in the title or root cause, case-insensitively', async () => {
    const threadId = unique('thread');
    const mine = (
      await repo().create(newInvestigation({ threadId, principal: 'key:ann', title: 'Checkout 500s' }))
    ).investigation;
    const theirs = (
      await repo().create(newInvestigation({ threadId, principal: 'key:bob', title: 'orders slow' }))
    ).investigation;
    const literal = (await repo().create(newInvestigation({ threadId, title: '100% of pods_down' })))
      .investigation;
    await repo().finish(theirs.id, {
      status: 'completed',
      report: { ...report(), rootCause: 'Quota exhausted' },
    });

    const ids = async (query: Parameters<ReturnType<typeof repo>['list']>[0]) =>
      (await repo().list({ threadId, ...query })).items.map((i) => i.id);
    expect(await ids({ principal: 'key:ann' })).toStrictEqual([mine.id]);
    expect(await ids({ q: 'CHECKOUT' })).toStrictEqual([mine.id]);
    expect(await ids({ q: 'quota' })).toStrictEqual([theirs.id]);
    expect(await ids({ q: '100%' })).toStrictEqual([literal.id]);
    expect(await ids({ q: 's_d' })).toStrictEqual([literal.id]);
    expect(await ids({ q: '%' })).toStrictEqual([literal.id]);
  });

  it.each([
    ['a cursor that is not base64 JSON', { cursor: '!!!' }],
    ['a cursor of the wrong shape', { cursor: Buffer.from('[1]').toString('base64url') }],
    ['a limit above 100', { limit: 101 }],
    ['a malformed date', { createdAfter: 'yesterday' }],
  ])('refuses %s', async (_name, query) => {
    await expect(repo().list(query)).rejects.toThrow(StoreInputError);
  });

  it('deletes the events of a deleted investigation', async () => {
    const { investigation } = await repo().create(newInvestigation());
    await store().events.insert(investigation.id, [
      { seq: 1, event: makeEvent('thought', { text: 'x' }, 't') },
    ]);
    await store().db.query('DELETE FROM investigations WHERE id = $1', [investigation.id]);
    expect(await store().events.list(investigation.id)).toStrictEqual([]);
  });
});
