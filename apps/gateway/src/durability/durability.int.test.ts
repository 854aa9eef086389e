// Trust under faults: the store goes away across a turn's last burst (events, tool-call audits, a
// proposal, the result) and comes back; everything is stored exactly once, in order, the chain
// verifies, the investigation ends, and the client's stream ends with the result while the store is
// still away. Runs on PGlite (unplugged by a wrapper) and, with DATABASE_URL, on PostgreSQL behind a
// loopback proxy that drops every connection. OUTAGE_MS sets how long the store stays away after the
// client has its result (default 1500; the README quotes a 65 s run).
import { makeEvent, type Proposal, type StreamEvent } from '@foxhound/contracts';
import { openEventStream } from '@foxhound/service-kit';
import { createStore, SWEEP_ERROR_CODE } from '@foxhound/store';
import { result, thought } from '../__fixtures__/fakes';
import { startHarness, type Harness } from '../__fixtures__/harness';
import { pgliteWithFaults, postgresWithFaults, type FaultyStore } from '../__fixtures__/store-faults';

const OUTAGE_MS = Number(process.env.OUTAGE_MS ?? 1500);
const TOOL_CALLS = 30;

const backends: [string, () => Promise<FaultyStore>][] = [['PGlite', pgliteWithFaults]];
const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl) backends.push(['PostgreSQL', () => postgresWithFaults(databaseUrl)]);

const proposal: Proposal = {
  id: 'p1:ScaleDeployment:shop/checkout',
  action: { type: 'ScaleDeployment', namespace: 'shop', name: 'checkout', replicas: 3 },
  summary: 'Scale checkout back to 3 replicas',
  evidence: [{ source: 'field', path: 'spec.replicas', excerpt: '0' }],
  expectedEffect: 'checkout serves traffic again',
  risk: 'low',
  rollback: { description: 'scale back to 0' },
};

const toolEnd = (i: number, t: string) =>
  makeEvent('tool_end', { name: 'kubectl_get', tool_use_id: `tu_${i}`, success: true, status: 'success' }, t);

describe.each(backends)('a store outage across the final burst on %s', (_name, open) => {
  let faulty: FaultyStore;
  let harness: Harness;
  beforeEach(async () => {
    faulty = await open();
    harness = await startHarness(faulty.store, { GATEWAY_STORE_RETRY_SECONDS: '600' });
  });
  afterEach(async () => {
    faulty.restore();
    await harness.close();
    await faulty.close();
  });

  it(
    'stores every event, audit entry and the proposal exactly once, and ends the investigation',
    async () => {
      let burst!: () => void;
      harness.executor.script({
        before: (t) => [thought('reading the deployment', t)],
        gate: new Promise((resolve) => (burst = resolve)),
        after: (t) => [
          ...Array.from({ length: TOOL_CALLS }, (_, i) => toolEnd(i, t)),
          makeEvent('proposal', proposal, t),
          thought('scaling back restores capacity', t),
          result('checkout was scaled to 0', t),
        ],
      });
      const stream = await openEventStream(`${harness.url}/investigate`, {
        body: { prompt: 'checkout is down', thread_id: 'outage-final-burst' },
        headers: { 'x-api-key': harness.keys.investigator },
      });
      expect(stream.status).toBe(200);
      const seen: { seq: number; event: StreamEvent }[] = [];
      for await (const frame of stream.frames) {
        seen.push({ seq: Number(frame.id), event: JSON.parse(frame.data) as StreamEvent });
        if (seen.length === 2) {
          faulty.cut();
          burst();
        }
      }
      // The client's stream ended with the result while the store was still away.
      expect(seen.map((e) => e.event.type).at(-1)).toBe('result');
      expect(seen.map((e) => e.seq)).toStrictEqual(seen.map((_, i) => i + 1));
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
      const refusedDuringOutage = faulty.refused;
      faulty.restore();

      const investigationId = (seen[0]!.event as Extract<StreamEvent, { type: 'session' }>).data
        .investigation_id!;
      const stored = await harness.waitForStatus(investigationId, 'completed');
      expect(refusedDuringOutage).toBeGreaterThan(0);
      expect(stored.resultText).toBe('checkout was scaled to 0');
      const events = await harness.store.events.list(investigationId, { limit: 5000 });
      expect(events).toStrictEqual(seen);

      const streamedProposal = seen.find((e) => e.event.type === 'proposal')!.event as Extract<
        StreamEvent,
        { type: 'proposal' }
      >;
      const proposals = await harness.store.proposals.list({ investigationId });
      expect(proposals.map((p) => [p.proposal.id, p.state])).toStrictEqual([
        [streamedProposal.data.id, 'proposed'],
      ]);

      const audit = await harness.store.audit.list({ investigationId, kind: 'tool_call', limit: 500 });
      expect(audit.items.map((e) => e.details.toolUseId).sort()).toStrictEqual(
        Array.from({ length: TOOL_CALLS }, (_, i) => `tu_${i}`).sort(),
      );
      await expect(harness.store.audit.verify()).resolves.toMatchObject({ ok: true });
    },
    OUTAGE_MS + 60_000,
  );
});

describe('ending what nobody runs', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    await harness?.store.close();
  });

  it('sweeps an investigation left running by a gateway that died, at start-up; its replay ends with the error', async () => {
    const store = await createStore({});
    const { investigation } = await store.investigations.create({
      threadId: 'orphaned-thread',
      source: 'api',
      prompt: 'checkout is down',
    });
    await store.events.insert(investigation.id, [{ seq: 1, event: thought('looking', 'orphaned-thread') }]);
    // Its gateway last renewed the lease long ago.
    await store.db.query(
      `UPDATE investigations SET heartbeat_at = now() - interval '1 hour', created_at = now() - interval '1 hour' WHERE id = $1`,
      [investigation.id],
    );
    harness = await startHarness(store, { GATEWAY_RUN_LEASE_SECONDS: '60' });
    harness.gateway.startBackground();
    const ended = await harness.waitForStatus(investigation.id, 'interrupted');
    expect(ended.error?.code).toBe(SWEEP_ERROR_CODE);

    const replay = await openEventStream(`${harness.url}/v1/investigations/${investigation.id}/events`, {
      headers: { 'x-api-key': harness.keys.viewer },
    });
    const types: string[] = [];
    for await (const frame of replay.frames) types.push((JSON.parse(frame.data) as StreamEvent).type);
    expect(types).toStrictEqual(['thought', 'error']);
  });
});

describe('a hop that fails names itself', () => {
  let harness: Harness;
  afterEach(async () => {
    await harness.close();
    await harness.store.close();
  });

  it('with the router down: an error naming the router, and the sandbox kept', async () => {
    harness = await startHarness(await createStore({}), { SANDBOX_ROUTER_URL: 'http://127.0.0.1:9' });
    const { events } = await harness.investigate({ prompt: 'x', thread_id: 'router-down' });
    expect(events.map((e) => e.type)).toStrictEqual(['session', 'error']);
    expect(events[1]).toMatchObject({
      type: 'error',
      data: {
        recoverable: true,
        code: 'router_unavailable',
        message: expect.stringMatching(/sandbox-router could not be reached/),
      },
    });
    expect(harness.manager.requests.filter((r) => r.method === 'DELETE')).toStrictEqual([]);
  });
});
