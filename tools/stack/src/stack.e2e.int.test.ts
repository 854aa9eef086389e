// End to end: the four services and kube-sim as real processes, started as `make up` starts them
// (from the built dist/), driven only over HTTP. Executors run under the strongest isolation the
// machine has.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import {
  type InvestigationDetail,
  type SandboxDescriptor,
  type StoredProposal,
  type StreamEvent,
} from '@foxhound/contracts';
import { openEventStream } from '@foxhound/service-kit';
import { startStack, type RunningStack } from './stack';

const root = path.resolve(__dirname, '../../..');
let stack: RunningStack;
let stateDir: string;
let key: string;

beforeAll(async () => {
  stateDir = mkdtempSync(path.join(tmpdir(), 'fh-e2e-'));
  stack = await startStack({
    root,
    mode: 'dist',
    stateDir,
    scenarios: ['quota-blocks-admission', 'crashloop-missing-env'].map((s) =>
      path.join(root, 'scenarios', s),
    ),
    authMode: 'keys',
    warmPoolSize: 1,
    logLevel: 'info',
    // One admin key drives every request of the suite within seconds; the per-credential limit
    // has its own tests in the gateway, and must not make this suite depend on how fast it runs.
    env: { GATEWAY_EXECUTOR_IDLE_SECONDS: '5', GATEWAY_RATE_LIMIT_PER_MINUTE: '100000' },
  });
  key = stack.adminKey!;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

async function investigate(body: Record<string, unknown>, apiKey = key) {
  const stream = await openEventStream(`${stack.urls.gateway}/investigate`, {
    body,
    headers: { 'x-api-key': apiKey },
  });
  const events: StreamEvent[] = [];
  const ids: string[] = [];
  if (stream.status === 200) {
    for await (const frame of stream.frames) {
      events.push(JSON.parse(frame.data) as StreamEvent);
      ids.push(frame.id ?? '');
    }
  }
  if (stream.status !== 200 && stream.status !== 401 && stream.status !== 403) {
    throw new Error(`POST /investigate answered ${stream.status}: ${await stream.text()}`);
  }
  const session = events.find((e): e is Extract<StreamEvent, { type: 'session' }> => e.type === 'session');
  return { status: stream.status, events, ids, session: session?.data };
}

async function api<T>(
  method: string,
  route: string,
  body?: unknown,
  apiKey = key,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${stack.urls.gateway}${route}`, {
    method,
    headers: { 'x-api-key': apiKey, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: (await response.json().catch(() => undefined)) as T };
}

async function finished(id: string): Promise<InvestigationDetail> {
  for (let i = 0; i < 600; i++) {
    const { body } = await api<InvestigationDetail>('GET', `/v1/investigations/${id}`);
    if (body.status !== 'running') return body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`investigation ${id} did not finish`);
}

/** Host processes of a local sandbox (the manager passes SANDBOX_ID in each one's environment). */
async function sandboxPids(threadId: string): Promise<number[]> {
  const response = await fetch(`${stack.urls.manager}/v1/sandboxes?threadId=${threadId}`, {
    headers: { authorization: `Bearer ${stack.tokens.manager}` },
  });
  const { items } = (await response.json()) as { items: SandboxDescriptor[] };
  const marker = `SANDBOX_ID=${items[0]!.sandboxId}\0`;
  const pids = new Set<number>();
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(marker)) pids.add(Number(entry));
      // stat: "pid (comm) state ppid ...", comm may hold spaces and parentheses.
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  // Their descendants too: an isolation driver (gVisor's sentry and gofer) runs the executor in
  // children that do not carry the sandbox's environment, and a stopped parent does not stop them.
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, parent] of parents)
      if (!pids.has(pid) && pids.has(parent)) {
        pids.add(pid);
        grew = true;
      }
  }
  return [...pids];
}

describe('the whole system', () => {
  let first: { id: string; sandboxId: string; eventCount: number };

  it('investigates through the public API and names the root cause with a typed fix', async () => {
    const { status, events, ids, session } = await investigate({
      prompt: 'order-processor has 6 of 8 pods',
      thread_id: 'e2e-quota',
      namespaces: ['orders'],
    });
    expect(status).toBe(200);
    expect(events[0]?.type).toBe('session');
    expect(events.at(-1)?.type).toBe('result');
    expect(events.filter((e) => e.type === 'result' || e.type === 'error')).toHaveLength(1);
    expect(ids).toStrictEqual(events.map((_, i) => String(i + 1)));
    expect(session).toMatchObject({ thread_id: 'e2e-quota', reused: false, backend: 'local' });

    const detail = await finished(session!.investigation_id!);
    expect(detail.status).toBe('completed');
    expect(detail.report?.rootCause).toMatch(/orders-compute/);
    expect(detail.report?.proposals.map((p) => p.action.type)).toContain('PatchResourceQuota');
    first = { id: detail.id, sandboxId: session!.sandbox_id, eventCount: events.length };
  });

  it('sends a follow-up on the same thread to the same sandbox', async () => {
    const { session, events } = await investigate({
      prompt: 'is anything else in orders broken?',
      thread_id: 'e2e-quota',
    });
    expect(session).toMatchObject({ sandbox_id: first.sandboxId, reused: true });
    expect(events.at(-1)?.type).toBe('result');
  });

  it('replays a finished stream from the store, resuming after Last-Event-ID', async () => {
    const replay = await openEventStream(`${stack.urls.gateway}/v1/investigations/${first.id}/events`, {
      headers: { 'x-api-key': key, 'last-event-id': '3' },
    });
    const ids = [];
    for await (const frame of replay.frames) ids.push(Number(frame.id));
    expect(ids[0]).toBe(4);
    expect(ids.at(-1)).toBe(first.eventCount);
  });

  it('fixes the quota incident once an approver approves (quota raised, pods admitted), then rolls it back to the exact quota', async () => {
    const { body: actions } = await api<{ items: StoredProposal[] }>(
      'GET',
      `/v1/actions?investigationId=${first.id}`,
    );
    const proposal = actions.items.find((a) => a.proposal.action.type === 'PatchResourceQuota');
    expect(proposal).toMatchObject({ state: 'proposed', proposal: { dryRun: { ok: true } } });
    const kube = new KubeConfig();
    kube.loadFromFile(stack.kubeconfig);
    const core = kube.makeApiClient(CoreV1Api);
    const readQuota = () => core.readNamespacedResourceQuota({ name: 'orders-compute', namespace: 'orders' });
    const before = await readQuota();
    const [approver, approver2] = await Promise.all(
      ['e2e approver', 'e2e second approver'].map((name) =>
        api<{ key: string }>('POST', '/v1/keys', { name, role: 'approver' }),
      ),
    );
    const decide = async (id: string, reason: string, apiKey: string) => {
      // The scenario's quota carries Argo CD's tracking annotation: the live patch is chosen explicitly.
      const approved = await api<StoredProposal>(
        'POST',
        `/v1/actions/${id}/approve`,
        { reason, livePatchOnGitOps: true },
        apiKey,
      );
      expect(approved.status).toBe(200);
      let state = approved.body.state;
      for (let i = 0; i < 1200 && !['recovered', 'failed'].includes(state); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        state = (await api<StoredProposal>('GET', `/v1/actions/${id}`)).body.state;
      }
      return state;
    };
    expect(
      await decide(proposal!.proposal.id, 'the quota predates the node rotation', approver!.body.key),
    ).toBe('recovered');
    const deployment = await kube
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ name: 'order-processor', namespace: 'orders' });
    expect(deployment.status?.availableReplicas).toBe(deployment.spec?.replicas);
    const raised = await readQuota();
    expect(raised.spec?.hard).not.toEqual(before.spec?.hard);

    // The rollback is a proposal of its own (RestoreObject of the quota's pre-image), approved by
    // someone other than who asked for it, and leaves the quota exactly as it was.
    const rollback = await api<StoredProposal>(
      'POST',
      `/v1/actions/${proposal!.proposal.id}/rollback`,
      { reason: 'e2e: the budget is back to what finance approved' },
      approver!.body.key,
    );
    expect(rollback).toMatchObject({
      status: 201,
      body: { proposal: { action: { type: 'RestoreObject' } } },
    });
    expect(await decide(rollback.body.proposal.id, 'e2e: restore it', approver2!.body.key)).toBe('recovered');
    const restored = await readQuota();
    expect({
      labels: restored.metadata?.labels,
      annotations: restored.metadata?.annotations,
      spec: restored.spec,
    }).toEqual({
      labels: before.metadata?.labels,
      annotations: before.metadata?.annotations,
      spec: before.spec,
    });
  });

  it('acts in `default` like any application namespace; refuses only the namespaces of Foxhound and the system', async () => {
    const validate = async (namespace: string) => {
      const response = await fetch(`${stack.urls.manager}/v1/actions/validate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.tokens.manager}`, 'content-type': 'application/json' },
        body: JSON.stringify({ action: { type: 'DeletePod', namespace, name: 'no-such-pod' } }),
      });
      return ((await response.json()) as { refusal?: string }).refusal;
    };
    expect(await validate('default')).toBe('DeletePod default/no-such-pod: the target Pod does not exist.');
    for (const namespace of ['foxhound', 'kube-system'])
      expect(await validate(namespace)).toBe(
        `DeletePod ${namespace}/no-such-pod: namespace ${namespace} is protected; Foxhound never changes anything there.`,
      );
  });

  it('starts one investigation from an Alertmanager group', async () => {
    const { status, body } = await api<{ status: string; investigationId: string }>(
      'POST',
      '/v1/alerts/alertmanager',
      {
        version: '4',
        groupKey: '{}:{alertname="KubePodCrashLooping",namespace="identity"}',
        status: 'firing',
        receiver: 'foxhound',
        groupLabels: { alertname: 'KubePodCrashLooping' },
        commonLabels: { alertname: 'KubePodCrashLooping', namespace: 'identity', severity: 'critical' },
        commonAnnotations: { summary: 'account-service is crash looping' },
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'KubePodCrashLooping', namespace: 'identity' },
            annotations: {},
          },
        ],
      },
    );
    expect(status).toBe(202);
    expect(body.status).toBe('started');
    const detail = await finished(body.investigationId);
    expect(detail).toMatchObject({ status: 'completed', source: 'alertmanager' });
  });

  it('refuses callers without a key (401) and viewers who try to investigate (403)', async () => {
    expect((await investigate({ prompt: 'x' }, 'fh_' + 'a'.repeat(43))).status).toBe(401);
    const created = await api<{ key: string }>('POST', '/v1/keys', { name: 'e2e viewer', role: 'viewer' });
    expect(created.status).toBe(201);
    expect((await investigate({ prompt: 'x' }, created.body.key)).status).toBe(403);
    const audit = await api<{ items: { outcome: string }[] }>(
      'GET',
      '/v1/audit?action=POST%20%2Finvestigate',
    );
    // The viewer's refusal is audited at once; unauthenticated denials are counted per source and
    // minute into one entry when the minute is over (the gateway's denial-ledger tests cover that).
    expect(audit.body.items.filter((e) => e.outcome === 'denied').length).toBeGreaterThanOrEqual(1);
  });

  it('turns an executor killed mid-stream into a recoverable error, and the next turn gets a fresh sandbox', async () => {
    await investigate({ prompt: 'start the thread', thread_id: 'e2e-crash', namespaces: ['orders'] });
    const pids = await sandboxPids('e2e-crash');
    expect(pids.length).toBeGreaterThan(0);
    // Freeze the executor so the next turn is certainly in flight when it dies.
    for (const pid of pids) process.kill(pid, 'SIGSTOP');
    const stream = await openEventStream(`${stack.urls.gateway}/investigate`, {
      body: { prompt: 'and now?', thread_id: 'e2e-crash' },
      headers: { 'x-api-key': key },
    });
    const session = await stream.frames.next();
    expect(JSON.parse(session.value!.data)).toMatchObject({ type: 'session', data: { reused: true } });
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    const rest: StreamEvent[] = [];
    for await (const frame of stream.frames) rest.push(JSON.parse(frame.data) as StreamEvent);
    expect(rest.at(-1)).toMatchObject({ type: 'error', data: { recoverable: true } });

    const next = await investigate({ prompt: 'try again', thread_id: 'e2e-crash' });
    expect(next.session).toMatchObject({ reused: false });
    expect(next.session?.sandbox_id).not.toBe(
      session.value && JSON.parse(session.value.data).data.sandbox_id,
    );
    expect(next.events.at(-1)?.type).toBe('result');
  });

  it('keeps history across a gateway restart', async () => {
    const countEvents = async () => {
      const replay = await openEventStream(`${stack.urls.gateway}/v1/investigations/${first.id}/events`, {
        headers: { 'x-api-key': key },
      });
      let count = 0;
      for await (const _frame of replay.frames) count += 1;
      return count;
    };
    const before = await countEvents();
    expect(before).toBeGreaterThanOrEqual(first.eventCount);
    await stack.restart('gateway');
    const detail = await api<InvestigationDetail>('GET', `/v1/investigations/${first.id}`);
    expect(detail.body).toMatchObject({ id: first.id, status: 'completed' });
    expect(await countEvents()).toBe(before);
  });
});
