// Notices of stored events: what the trigger sends at commit, read back through the store's listener,
// from another store on the same data (another gateway replica), per schema, and again after the
// listening connection was killed on the server.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { dropStore, ENGINES, testOptions, useStore, waitFor } from './__fixtures__/backends';
import { newInvestigation, thought } from './__fixtures__/data';
import { listenPostgres } from './db/pg-listener';
import { EVENTS_CHANNEL, parseEventsPayload, type StoredEventsNotice } from './event-feed';
import { createStore } from './store';

describe.each(ENGINES)('event feed on %s', (engine) => {
  const { store, options } = useStore(engine);

  it('tells a listener, once per statement and investigation, the last seq stored', async () => {
    const notices: StoredEventsNotice[] = [];
    const listener = await store().listenEvents({
      onEvents: (n) => notices.push(n),
      onResync: () => undefined,
    });
    try {
      const { investigation } = await store().investigations.create(newInvestigation());
      const event = (seq: number) => ({ seq, event: thought(`step ${seq}`, investigation.threadId) });
      await store().events.insert(investigation.id, [event(1), event(2), event(3)]);
      await waitFor(() => notices.length >= 1, 'the first notice');
      // A batch retried after its commit: nothing inserted, nothing notified; the next batch is.
      await store().events.insert(investigation.id, [event(3)]);
      await store().events.insert(investigation.id, [event(4)]);
      await waitFor(() => notices.length >= 2, 'the second notice');
      // A rolled-back insert notifies nobody.
      await expect(
        store().transaction(async (repos) => {
          await repos.events.insert(investigation.id, [event(5)]);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      await store().events.insert(investigation.id, [event(5)]);
      await waitFor(() => notices.length >= 3, 'the third notice');
      expect(notices).toStrictEqual([
        { investigationId: investigation.id, lastSeq: 3 },
        { investigationId: investigation.id, lastSeq: 4 },
        { investigationId: investigation.id, lastSeq: 5 },
      ]);
    } finally {
      await listener.close();
    }
  });

  if (engine === 'postgres') {
    it('reaches another store on the same schema, and not one on another schema', async () => {
      const peer = await createStore({ ...options() });
      const elsewhereOptions = testOptions('postgres');
      const elsewhere = await createStore(elsewhereOptions);
      const seen: StoredEventsNotice[] = [];
      const foreign: StoredEventsNotice[] = [];
      const listeners = [
        await peer.listenEvents({ onEvents: (n) => seen.push(n), onResync: () => undefined }),
        await elsewhere.listenEvents({ onEvents: (n) => foreign.push(n), onResync: () => undefined }),
      ];
      try {
        const { investigation } = await store().investigations.create(newInvestigation());
        await store().events.insert(investigation.id, [
          { seq: 1, event: thought('x', investigation.threadId) },
        ]);
        await waitFor(() => seen.length === 1, 'the peer notice');
        // The foreign listener is on the same server and channel: a notice for it would have arrived
        // alongside; one of its own proves it listens.
        const own = await elsewhere.investigations.create(newInvestigation());
        await elsewhere.events.insert(own.investigation.id, [{ seq: 1, event: thought('y') }]);
        await waitFor(() => foreign.length === 1, 'the other schema notice');
        expect(foreign).toStrictEqual([{ investigationId: own.investigation.id, lastSeq: 1 }]);
        expect(seen).toStrictEqual([{ investigationId: investigation.id, lastSeq: 1 }]);
      } finally {
        await Promise.all(listeners.map((l) => l.close()));
        await peer.close();
        await dropStore(elsewhere, elsewhereOptions.schema);
      }
    });

    it('reconnects when its connection is killed, and says notices may have been missed', async () => {
      const applicationName = `foxhound-listen-test-${randomBytes(6).toString('hex')}`;
      const url = process.env.DATABASE_URL!;
      const payloads: string[] = [];
      let resyncs = 0;
      const errors: Error[] = [];
      const listener = await listenPostgres(
        {
          url,
          connectTimeoutMs: 2000,
          what: 'test',
          onError: (e) => errors.push(e),
          retryDelayMs: 20,
          applicationName,
        },
        EVENTS_CHANNEL,
        { onNotify: (p) => payloads.push(p), onResync: () => (resyncs += 1) },
      );
      const admin = new Client({ connectionString: url });
      await admin.connect();
      try {
        const killed = await admin.query(
          'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1',
          [applicationName],
        );
        expect(killed.rows).toStrictEqual([{ ok: true }]);
        await waitFor(() => resyncs === 1, 'the resync');
        expect(errors.length).toBeGreaterThan(0);
        await admin.query(`SELECT pg_notify($1, $2)`, [EVENTS_CHANNEL, `${applicationName} after`]);
        await waitFor(() => payloads.includes(`${applicationName} after`), 'a notice after reconnecting');
      } finally {
        await admin.end();
        await listener.close();
      }
    });
  }
});

describe('parseEventsPayload', () => {
  it.each([
    ['public inv_1 7', { investigationId: 'inv_1', lastSeq: 7 }],
    ['other inv_1 7', undefined],
    ['public inv_1', undefined],
    ['public inv_1 0', undefined],
    ['public inv_1 x', undefined],
    ['public inv_1 7 extra', undefined],
  ])('%s', (payload, expected) => {
    expect(parseEventsPayload(payload, 'public')).toStrictEqual(expected);
  });
});
