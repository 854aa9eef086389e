// The chaos suite: the whole system as real processes, started from the built dist/ as the
// end-to-end suite starts them: kube-sim, the sandbox-manager with executor processes under the
// strongest isolation available, the router, and the gateway on PostgreSQL behind a proxy that can
// cut its connections. Each test injects one fault while a turn is in flight: the executor, the
// router, the manager or the gateway killed with SIGKILL, or the store's connections cut across the
// turn's last burst. It then reads the store directly and checks that nothing was lost: the events
// the client saw are stored once each at the seq it saw, with no gap, the stream and the
// investigation ended, and the audit chain verifies. Needs DATABASE_URL (a PostgreSQL where this user
// may create a database) and `make build`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isTerminalEvent, type SandboxDescriptor, type StreamEvent } from '@foxhound/contracts';
import { openEventStream } from '@foxhound/service-kit';
import { startStack, type RunningStack } from '../stack';
import {
  createScratchDatabase,
  readTurn,
  sandboxPids,
  signal,
  startStoreProxy,
  type StoreProxy,
} from './faults';

const root = path.resolve(__dirname, '../../../..');
const databaseUrl = process.env.DATABASE_URL;
const describeOnPostgres = databaseUrl ? describe : describe.skip;

describeOnPostgres('chaos: one fault per turn, nothing lost (set DATABASE_URL to run)', () => {
  let stack: RunningStack;
  let stateDir: string;
  let database: Awaited<ReturnType<typeof createScratchDatabase>>;
  let proxy: StoreProxy;
  let key: string;

  beforeAll(async () => {
    stateDir = mkdtempSync(path.join(tmpdir(), 'fh-chaos-'));
    database = await createScratchDatabase(databaseUrl!);
    proxy = await startStoreProxy(database.url);
    stack = await startStack({
      root,
      mode: 'dist',
      stateDir,
      scenarios: [path.join(root, 'scenarios', 'quota-blocks-admission')],
      authMode: 'keys',
      warmPoolSize: 1,
      logLevel: 'info',
      env: {
        DATABASE_URL: proxy.url,
        GATEWAY_EXECUTOR_IDLE_SECONDS: '10',
        GATEWAY_RATE_LIMIT_PER_MINUTE: '100000',
        // A killed gateway's turn is ended by the next one within seconds.
        GATEWAY_RUN_LEASE_SECONDS: '4',
      },
    });
    key = stack.adminKey!;
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
    await proxy?.close();
    await database?.drop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  const process_ = (name: string) => {
    const proc = stack.processes.find((p) => p.name === name);
    if (!proc?.child.pid) throw new Error(`no running ${name}`);
    return proc;
  };

  async function sandboxOf(threadId: string): Promise<SandboxDescriptor> {
    const response = await fetch(`${stack.urls.manager}/v1/sandboxes?threadId=${threadId}`, {
      headers: { authorization: `Bearer ${stack.tokens.manager}` },
    });
    const { items } = (await response.json()) as { items: SandboxDescriptor[] };
    if (!items[0]) throw new Error(`no sandbox for ${threadId}`);
    return items[0];
  }

  interface Seen {
    id?: number;
    event: StreamEvent;
  }

  /** Opens a turn and reads up to its session event; the caller reads the rest. */
  async function openTurn(threadId: string, prompt: string) {
    const stream = await openEventStream(`${stack.urls.gateway}/investigate`, {
      body: { prompt, thread_id: threadId, namespaces: ['orders'] },
      headers: { 'x-api-key': key },
    });
    if (stream.status !== 200)
      throw new Error(`POST /investigate answered ${stream.status}: ${await stream.text()}`);
    const seen: Seen[] = [];
    const first = await stream.frames.next();
    const frame = first.value!;
    seen.push({ id: frame.id ? Number(frame.id) : undefined, event: JSON.parse(frame.data) as StreamEvent });
    const session = seen[0]!.event as Extract<StreamEvent, { type: 'session' }>;
    return {
      investigationId: session.data.investigation_id!,
      seen,
      async rest(): Promise<Seen[]> {
        for await (const f of stream.frames) {
          seen.push({ id: f.id ? Number(f.id) : undefined, event: JSON.parse(f.data) as StreamEvent });
        }
        return seen;
      },
      close: () => stream.close(),
    };
  }

  /** A whole turn, read to its end. */
  async function turn(threadId: string, prompt: string) {
    const t = await openTurn(threadId, prompt);
    await t.rest();
    return t;
  }

  /** Waits (bounded) until the store says the investigation ended. */
  async function ended(investigationId: string) {
    for (let i = 0; i < 600; i++) {
      const stored = await readTurn(database.url, investigationId);
      if (stored.status !== 'running') return stored;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`investigation ${investigationId} never ended`);
  }

  /**
   * Nothing lost: the store holds events 1..n with no gap and exactly one terminal event, the last;
   * every event the client saw with an id is stored at that seq with its type; the chain verifies.
   */
  async function expectNothingLost(investigationId: string, seen: Seen[]) {
    const stored = await ended(investigationId);
    expect(stored.events.map(([seq]) => seq)).toStrictEqual(stored.events.map((_, i) => i + 1));
    const terminal = stored.events.filter(([, type]) => type === 'result' || type === 'error');
    expect(terminal).toHaveLength(1);
    expect(stored.events.at(-1)).toStrictEqual(terminal[0]);
    const types = new Map(stored.events);
    for (const s of seen.filter((x) => x.id !== undefined))
      expect([s.id, types.get(s.id!)]).toStrictEqual([s.id, s.event.type]);
    const verify = await fetch(`${stack.urls.gateway}/v1/audit/verify`, { headers: { 'x-api-key': key } });
    expect(await verify.json()).toMatchObject({ ok: true });
    return stored;
  }

  it('executor killed mid-turn: the turn fails recoverably, everything it streamed is stored', async () => {
    await turn('chaos-executor', 'orders queue is backing up');
    const pids = sandboxPids((await sandboxOf('chaos-executor')).sandboxId);
    expect(pids.length).toBeGreaterThan(0);
    // Frozen, so the next turn is certainly in flight when it dies.
    signal(pids, 'SIGSTOP');
    const t = await openTurn('chaos-executor', 'and now?');
    signal(pids, 'SIGKILL');
    const seen = await t.rest();
    expect(seen.at(-1)?.event).toMatchObject({ type: 'error', data: { recoverable: true } });
    const stored = await expectNothingLost(t.investigationId, seen);
    expect(stored.status).toBe('failed');
  });

  it('router killed mid-turn: an error naming the hop, and the healthy sandbox serves the next turn', async () => {
    await turn('chaos-router', 'orders queue is backing up');
    const sandbox = await sandboxOf('chaos-router');
    const pids = sandboxPids(sandbox.sandboxId);
    signal(pids, 'SIGSTOP');
    const t = await openTurn('chaos-router', 'and now?');
    const router = process_('sandbox-router');
    signal([-router.child.pid!], 'SIGKILL');
    await router.exited;
    signal(pids, 'SIGCONT');
    const seen = await t.rest();
    expect(seen.at(-1)?.event).toMatchObject({ type: 'error', data: { recoverable: true } });
    const stored = await expectNothingLost(t.investigationId, seen);
    expect(stored.status).toBe('failed');
    await stack.restart('sandbox-router');
    const next = await turn('chaos-router', 'try again');
    expect(next.seen[0]?.event).toMatchObject({
      type: 'session',
      data: { reused: true, sandbox_id: sandbox.sandboxId },
    });
    expect(next.seen.at(-1)?.event.type).toBe('result');
  });

  it("store connections cut across the turn's last burst: every event stored once after it returns", async () => {
    await turn('chaos-store', 'orders queue is backing up');
    const pids = sandboxPids((await sandboxOf('chaos-store')).sandboxId);
    signal(pids, 'SIGSTOP');
    const t = await openTurn('chaos-store', 'what should I change?');
    proxy.cut();
    signal(pids, 'SIGCONT');
    // The client gets the whole turn while the store is away.
    const seen = await t.rest();
    expect(seen.at(-1)?.event.type).toBe('result');
    // The gateway noticed: it retried writes against the cut store.
    for (let i = 0; i < 600; i++) {
      const metrics = await (await fetch(`${stack.urls.gateway}/metrics`)).text();
      if (/^foxhound_gateway_store_retries_total\{[^}]*\} [1-9]/m.test(metrics)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await readTurn(database.url, t.investigationId)).status).toBe('running');
    proxy.restore();
    expect(proxy.refused).toBeGreaterThan(0);
    const stored = await expectNothingLost(t.investigationId, seen);
    expect(stored.status).toBe('completed');
    expect(stored.events).toHaveLength(seen.filter((s) => s.id !== undefined).length);
  });

  it('gateway killed mid-turn: the restarted gateway ends the orphaned turn, and a resumed stream ends', async () => {
    await turn('chaos-gateway', 'orders queue is backing up');
    const pids = sandboxPids((await sandboxOf('chaos-gateway')).sandboxId);
    signal(pids, 'SIGSTOP');
    const t = await openTurn('chaos-gateway', 'and now?');
    const gateway = process_('gateway');
    signal([-gateway.child.pid!], 'SIGKILL');
    await gateway.exited;
    signal(pids, 'SIGCONT');
    t.close();
    await stack.restart('gateway');
    // What the killed gateway had sent but not yet stored is the tail a crash may lose; what the
    // store holds is still whole, ended by the sweeper, and the chain verifies.
    const stored = await ended(t.investigationId);
    expect(stored).toMatchObject({ status: 'interrupted', errorCode: 'executor_gone' });
    expect(stored.events.map(([seq]) => seq)).toStrictEqual(stored.events.map((_, i) => i + 1));
    expect(stored.events.at(-1)?.[1]).toBe('error');
    const verify = await fetch(`${stack.urls.gateway}/v1/audit/verify`, { headers: { 'x-api-key': key } });
    expect(await verify.json()).toMatchObject({ ok: true });
    // The client resumes after the last id it saw, and its stream ends with the sweeper's error.
    const resumed = await openEventStream(
      `${stack.urls.gateway}/v1/investigations/${t.investigationId}/events`,
      {
        headers: { 'x-api-key': key, 'last-event-id': String(t.seen.at(-1)!.id) },
      },
    );
    const replayed: StreamEvent[] = [];
    for await (const frame of resumed.frames) replayed.push(JSON.parse(frame.data) as StreamEvent);
    expect(replayed.at(-1)).toMatchObject({ type: 'error', data: { code: 'executor_gone' } });
  });

  it('manager killed mid-turn: the turn still ends with everything stored, and a restarted manager serves new threads', async () => {
    await turn('chaos-manager', 'orders queue is backing up');
    const pids = sandboxPids((await sandboxOf('chaos-manager')).sandboxId);
    signal(pids, 'SIGSTOP');
    const t = await openTurn('chaos-manager', 'and now?');
    const manager = process_('sandbox-manager');
    const group = -manager.child.pid!;
    // The manager alone: its executors live on, as they would in their own pods.
    signal([manager.child.pid!], 'SIGKILL');
    await manager.exited;
    signal(pids, 'SIGCONT');
    const seen = await t.rest();
    expect(isTerminalEvent(seen.at(-1)!.event)).toBe(true);
    const stored = await expectNothingLost(t.investigationId, seen);
    expect(stored.status).not.toBe('running');
    // What the dead manager started goes with it, then a new manager starts.
    signal([group], 'SIGKILL');
    await stack.restart('sandbox-manager');
    const next = await turn('chaos-manager-after', 'orders queue is backing up');
    expect(next.seen.at(-1)?.event.type).toBe('result');
  });
});
