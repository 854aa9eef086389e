// Fakes at the network edge for the gateway's tests: a sandbox-manager and an executor (reached as
// if through the router) as real HTTP servers on port 0, scripted per test and recording requests.
import http, { type IncomingMessage } from 'node:http';
import { type AddressInfo } from 'node:net';
import {
  makeEvent,
  type ActionExecution,
  type ExecuteActionRequest,
  type SandboxDescriptor,
  type StreamEvent,
} from '@foxhound/contracts';

export interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text ? JSON.parse(text) : undefined;
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function startFakeManager() {
  const requests: Recorded[] = [];
  const sandboxes = new Map<string, SandboxDescriptor>();
  const owners = new Map<string, string | undefined>();
  let failWith: { status: number; detail: string } | undefined;
  let created = 0;
  // Remediation: executions by proposal id, and the states each GET moves them through.
  const executions = new Map<string, ActionExecution>();
  const executeCalls: ExecuteActionRequest[] = [];
  let progression: { state: ActionExecution['state']; final: boolean; message: string }[] = [
    { state: 'applied', final: false, message: 'Applied.' },
    {
      state: 'recovered',
      final: true,
      message: 'Deployment orders/order-processor has 8 of 8 replicas available.',
    },
  ];
  const steps = new Map<string, number>();
  const server = http.createServer(async (req, res) => {
    const body = await readBody(req);
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    res.setHeader('content-type', 'application/json');
    if (req.url === '/readyz') return res.end('{"status":"ready"}');
    if (failWith) {
      res.statusCode = failWith.status;
      return res.end(JSON.stringify({ detail: failWith.detail }));
    }
    if (req.method === 'POST' && req.url === '/v1/sandboxes') {
      const { threadId, owner } = body as { threadId: string; owner?: string };
      const existing = sandboxes.get(threadId);
      // Like the real manager: a thread's sandbox belongs to whoever acquired it first.
      if (existing && owners.get(threadId) !== owner) {
        res.statusCode = 403;
        return res.end(JSON.stringify({ detail: `Thread ${threadId} belongs to another owner.` }));
      }
      owners.set(threadId, owner);
      const now = new Date().toISOString();
      const descriptor: SandboxDescriptor = existing
        ? { ...existing, reused: true }
        : {
            sandboxId: `sbx-${++created}`,
            threadId,
            namespace: 'foxhound-sandboxes',
            port: 8888,
            podIP: '10.0.0.9',
            reused: false,
            backend: 'kubernetes',
            createdAt: now,
            expiresAt: now,
          };
      sandboxes.set(threadId, descriptor);
      return res.end(JSON.stringify(descriptor));
    }
    if (req.method === 'POST' && req.url === '/v1/actions/validate') {
      const { action } = body as { action: { namespace: string } };
      return res.end(
        JSON.stringify(
          action.namespace === 'kube-system'
            ? { ok: false, refusal: 'kube-system is a protected namespace.' }
            : { ok: true, dryRun: { ok: true } },
        ),
      );
    }
    if (req.method === 'POST' && req.url === '/v1/actions/executions') {
      const request = body as ExecuteActionRequest;
      executeCalls.push(request);
      const now = new Date().toISOString();
      const execution = executions.get(request.proposalId) ?? {
        proposalId: request.proposalId,
        action: request.action,
        state: 'applying' as const,
        message: `Applying ${request.action.type}.`,
        evidence: [],
        startedAt: now,
        updatedAt: now,
        final: false,
      };
      executions.set(request.proposalId, execution);
      res.statusCode = 202;
      return res.end(JSON.stringify(execution));
    }
    if (req.method === 'GET' && req.url?.startsWith('/v1/actions/executions/')) {
      const id = decodeURIComponent(req.url.slice('/v1/actions/executions/'.length));
      const execution = executions.get(id);
      if (!execution) {
        res.statusCode = 404;
        return res.end('{"detail":"no such execution"}');
      }
      const step = steps.get(id) ?? 0;
      const next = progression[Math.min(step, progression.length - 1)]!;
      steps.set(id, step + 1);
      const updated = {
        ...execution,
        ...next,
        evidence: [next.message],
        updatedAt: new Date().toISOString(),
      };
      executions.set(id, updated);
      return res.end(JSON.stringify(updated));
    }
    if (req.method === 'DELETE' && req.url?.startsWith('/v1/sandboxes/')) {
      const id = decodeURIComponent(req.url.slice('/v1/sandboxes/'.length));
      for (const [thread, sandbox] of sandboxes) if (sandbox.sandboxId === id) sandboxes.delete(thread);
      res.statusCode = 204;
      return res.end();
    }
    res.statusCode = 404;
    res.end('{"detail":"not found"}');
  });
  const url = await listen(server);
  return {
    url,
    requests,
    failNext: (status: number, detail: string) => (failWith = { status, detail }),
    executeCalls,
    /** The states successive GETs of an execution report (the last one repeats). */
    progress: (states: typeof progression) => (progression = states),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A turn's script: events to send, optionally waiting on a gate before the rest, or dying mid-way. */
export interface TurnScript {
  before: (threadId: string) => StreamEvent[];
  gate?: Promise<void>;
  after?: (threadId: string) => StreamEvent[];
  /** Destroy the connection after `before` (the executor crashed). */
  die?: boolean;
  /** Answer with this status and a JSON error instead of a stream. */
  refuse?: { status: number; detail: string };
}

export const thought = (text: string, threadId: string) => makeEvent('thought', { text }, threadId);
export const result = (text: string, threadId: string) =>
  makeEvent('result', { text, success: true, subtype: 'success', provider: 'offline' }, threadId);

export async function startFakeExecutor() {
  const requests: Recorded[] = [];
  const scripts: TurnScript[] = [];
  const interrupts: Recorded[] = [];
  const server = http.createServer(async (req, res) => {
    const body = await readBody(req);
    const record = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
    if (req.url === '/interrupt') {
      interrupts.push(record);
      res.statusCode = 200;
      return res.end('{}');
    }
    requests.push(record);
    const threadId = (body as { thread_id: string }).thread_id;
    const script = scripts.shift() ?? {
      before: (t: string) => [thought('looking', t), result('all good', t)],
    };
    if (script.refuse) {
      res.writeHead(script.refuse.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ detail: script.refuse.detail }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    let id = 1;
    const send = (events: StreamEvent[]) => {
      for (const event of events) res.write(`id: ${id++}\ndata: ${JSON.stringify(event)}\n\n`);
    };
    send(script.before(threadId));
    if (script.die) {
      // Crash once what was written has left, as a killed process would after its last write.
      res.write('', () => res.socket?.destroy());
      return;
    }
    if (script.gate) await script.gate;
    if (script.after) send(script.after(threadId));
    res.end();
  });
  const url = await listen(server);
  return {
    url,
    requests,
    interrupts,
    script: (turn: TurnScript) => scripts.push(turn),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
