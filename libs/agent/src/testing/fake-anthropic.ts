// A strict local fake of the Anthropic Messages API for tests: a real HTTP server on 127.0.0.1:0
// that answers `POST /v1/messages` with `stream: true` as real SSE (message_start, content blocks
// with text/thinking/signature/input_json deltas split in chunks, message_delta with usage and
// stop_reason, message_stop). Like the API, it thinks when the model does: thinking blocks carry
// signatures it verifies when they come back, and with thinking on, the text a script puts before
// a tool call comes back inside a thinking block (Sonnet 5.5's shape). It refuses what the API
// refuses (fake-rules.ts) with the API's error shapes. Two modes: a script of model turns (one per
// request, or routed by `match` when specialists run concurrently), or a replay of a recorded
// transcript that serves each recorded answer to the request that matches its recorded request and
// answers anything else as a divergence. Every exchange is recorded, so a scripted run can be saved
// as a transcript. The wire format is in fake-sse.ts, the rules in fake-rules.ts, the prompt-cache
// model in fake-cache.ts, divergence messages in fake-replay.ts.
import { createHmac } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, type Socket } from 'node:net';
import { estimateTokens, PromptCache } from './fake-cache';
import { describeDivergence } from './fake-replay';
import { type ApiRefusal, contentKey, type Produced, refuse, thinkingOf } from './fake-rules';
import { answer, send, sendError, startStream, writeBlock } from './fake-sse';
import {
  DEFAULT_VOLATILE,
  normalize,
  prefixHash,
  sha,
  type VolatileText,
  type WireBlock,
  type WireRequest,
} from './fake-wire';

export type FakeBlock =
  | { type: 'text'; text: string }
  /** A thinking summary; the fake signs it (and returns it empty when the display is `omitted`). */
  | { type: 'thinking'; thinking: string }
  | { type: 'redacted_thinking' }
  /** `input` is sent as JSON; `rawInput` is sent verbatim (to script malformed JSON). */
  | { type: 'tool_use'; name: string; input?: unknown; rawInput?: string; id?: string };

export interface FakeUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

export type FakeStep =
  | {
      kind: 'message';
      content: FakeBlock[];
      stopReason?: string;
      usage?: FakeUsage;
      /** Served to the first request whose system prompt or first message contains this text. */
      match?: string;
    }
  | {
      kind: 'http_error';
      status: number;
      type: string;
      message?: string;
      headers?: Record<string, string>;
      match?: string;
    }
  | { kind: 'stream_error'; type: string; message?: string; match?: string }
  | { kind: 'hang'; content?: FakeBlock[]; match?: string };

/** One request and what the fake answered, in the normal form replays compare. */
export interface RecordedExchange {
  request: Pick<WireRequest, 'system' | 'tools' | 'messages'>;
  response: { content: WireBlock[]; stopReason: string; usage: Required<FakeUsage> } | { error: ApiRefusal };
}

export interface RecordedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The request body as the SDK sent it (parsed JSON). */
  body: WireRequest;
}

export interface FakeAnthropic {
  url: string;
  apiKey: string;
  requests: RecordedRequest[];
  /** Every exchange, in arrival order: save it as a transcript to replay. */
  exchanges: RecordedExchange[];
  /** The 400s the fake answered because a request broke a rule of the API. */
  refusals: ApiRefusal[];
  /** Replay only: requests that matched no recorded request, with where they differ. */
  divergences: string[];
  /** Appends steps to the script. */
  push(...steps: FakeStep[]): void;
  /** Resolves once `count` requests have arrived. */
  waitForRequests(count: number): Promise<void>;
  /** Steps (or recorded exchanges) not consumed yet. */
  readonly pending: number;
  close(): Promise<void>;
}

export interface FakeAnthropicOptions {
  apiKey?: string;
  script?: FakeStep[];
  /** Serve these recorded exchanges instead of a script. */
  replay?: RecordedExchange[];
  /** `simulated`: usage from the prompt-cache model (fake-cache.ts); `fixed`: 120 in, 40 out. */
  usage?: 'fixed' | 'simulated';
  /** Text masked before requests are compared (default: the current time line). */
  volatile?: VolatileText[];
  /** Signs thinking blocks; fixed by default so recordings replay byte for byte. */
  signingKey?: string;
}

/** Convenience builders for scripts. */
export const say = (text: string, usage?: FakeUsage): FakeStep => ({
  kind: 'message',
  content: [{ type: 'text', text }],
  stopReason: 'end_turn',
  usage,
});
export const callTool = (name: string, input: unknown, text?: string, id?: string): FakeStep => ({
  kind: 'message',
  content: [
    ...(text ? [{ type: 'text' as const, text }] : []),
    { type: 'tool_use', name, input, ...(id ? { id } : {}) },
  ],
  stopReason: 'tool_use',
});

export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const apiKey = options.apiKey ?? 'sk-ant-test-key';
  const volatile = options.volatile ?? DEFAULT_VOLATILE;
  const signingKey = options.signingKey ?? 'foxhound-fake-signing-key';
  const script: FakeStep[] = [...(options.script ?? [])];
  const replay = options.replay ? [...options.replay] : undefined;
  const requests: RecordedRequest[] = [];
  const exchanges: RecordedExchange[] = [];
  const refusals: ApiRefusal[] = [];
  const divergences: string[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const sockets = new Set<Socket>();
  const produced: Produced = { signatures: new Map(), thinkingOfToolUse: new Map(), paused: new Set() };
  const cache = new PromptCache();

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: String(err) } }));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += String(chunk);
    if (req.method !== 'POST' || !req.url?.startsWith('/v1/messages')) {
      return sendError(res, {
        status: 404,
        type: 'not_found_error',
        message: `No route ${req.method} ${req.url}`,
      });
    }
    const presented = req.headers['x-api-key'] ?? req.headers.authorization?.replace(/^Bearer /, '');
    if (presented !== apiKey)
      return sendError(res, { status: 401, type: 'authentication_error', message: 'invalid x-api-key' });
    const body = JSON.parse(raw) as WireRequest;
    requests.push({ path: req.url, headers: req.headers, body });
    for (const w of waiters.filter((w) => requests.length >= w.count)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
    const key = normalize({ system: body.system, tools: body.tools, messages: body.messages }, volatile);
    const refusal = refuse(body, produced, volatile);
    if (refusal) {
      refusals.push(refusal);
      exchanges.push({ request: key, response: { error: refusal } });
      return sendError(res, refusal);
    }
    if (replay) return serveReplay(res, body, key);
    const step = takeStep(body);
    if (!step) {
      res.setHeader('x-should-retry', 'false');
      return sendError(res, { status: 500, type: 'api_error', message: 'The fake script is exhausted.' });
    }
    if (step.kind === 'http_error') {
      for (const [k, v] of Object.entries(step.headers ?? {})) res.setHeader(k, v);
      const error = { status: step.status, type: step.type, message: step.message ?? step.type };
      exchanges.push({ request: key, response: { error } });
      return sendError(res, error);
    }
    if (step.kind === 'stream_error') {
      startStream(res, body, {
        input_tokens: 0,
        output_tokens: 0,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      });
      send(res, 'error', { type: 'error', error: { type: step.type, message: step.message ?? step.type } });
      res.end();
      return;
    }
    const content = resolve(step.content ?? [], body);
    const hasToolUse = content.some((b) => b.type === 'tool_use');
    const stopReason =
      step.kind === 'message' ? (step.stopReason ?? (hasToolUse ? 'tool_use' : 'end_turn')) : 'end_turn';
    const usage = billed(body, content, step.kind === 'message' ? step.usage : undefined);
    remember(body, content, stopReason);
    if (step.kind === 'hang') {
      // Left open until the client disconnects or close().
      if (body.stream) startStream(res, body, usage);
      if (body.stream) content.forEach((block, index) => writeBlock(res, block, index));
      return;
    }
    exchanges.push({ request: key, response: { content: normalize(content, []), stopReason, usage } });
    answer(res, body, content, stopReason, usage);
  }

  function takeStep(body: WireRequest): FakeStep | undefined {
    const routed = JSON.stringify([body.system ?? '', body.messages[0]?.content ?? '']);
    const index = script.findIndex((s) => s.match !== undefined && routed.includes(s.match));
    if (index >= 0) return script.splice(index, 1)[0];
    const next = script.findIndex((s) => s.match === undefined);
    return next >= 0 ? script.splice(next, 1)[0] : undefined;
  }

  function serveReplay(res: ServerResponse, body: WireRequest, key: RecordedExchange['request']): void {
    const wanted = JSON.stringify(key);
    const index = replay!.findIndex((e) => JSON.stringify(e.request) === wanted);
    if (index < 0) {
      const divergence = describeDivergence(key, replay!);
      divergences.push(divergence);
      return sendError(res, {
        status: 400,
        type: 'invalid_request_error',
        message: `Replay divergence: ${divergence}`,
      });
    }
    const [exchange] = replay!.splice(index, 1);
    exchanges.push(exchange!);
    const response = exchange!.response;
    if ('error' in response) return sendError(res, response.error);
    remember(body, response.content, response.stopReason);
    answer(res, body, response.content, response.stopReason, response.usage);
  }

  /** Concrete blocks for a scripted answer: signed thinking, deterministic tool ids. */
  function resolve(blocks: FakeBlock[], body: WireRequest): WireBlock[] {
    const { on, display } = thinkingOf(body);
    const continuing = body.messages.at(-1)?.role === 'assistant';
    const prefix = prefixHash(body, body.messages.length - (continuing ? 1 : 0), volatile);
    const lastToolUse = blocks.map((b) => b.type).lastIndexOf('tool_use');
    const sign = (text: string) =>
      createHmac('sha256', signingKey).update(`${body.model}\n${prefix}\n${text}`).digest('base64');
    const thinking = (text: string): WireBlock => {
      const shown = display === 'omitted' ? '' : text;
      return { type: 'thinking', thinking: shown, signature: sign(shown) };
    };
    return blocks.map((block, index): WireBlock => {
      switch (block.type) {
        case 'thinking':
          return thinking(block.thinking);
        case 'redacted_thinking':
          return { type: 'redacted_thinking', data: `redacted:${sign(`redacted ${index}`)}` };
        case 'text':
          // With thinking on, the words between tool calls come back as thinking (Sonnet 5.5).
          return on && index < lastToolUse ? thinking(block.text) : { type: 'text', text: block.text };
        case 'tool_use':
          return {
            type: 'tool_use',
            id: block.id ?? `toolu_${sha(`${prefix}:${index}`).slice(0, 24)}`,
            name: block.name,
            input: block.input ?? {},
            ...(block.rawInput !== undefined ? { rawInput: block.rawInput } : {}),
          };
      }
    });
  }

  /** What later requests are checked against: signatures, each call's thinking, paused turns. */
  function remember(body: WireRequest, content: WireBlock[], stopReason: string): void {
    // A continuation of a paused turn belongs to that turn: its prefix ends before it.
    const continuing = body.messages.at(-1)?.role === 'assistant';
    const prefix = prefixHash(body, body.messages.length - (continuing ? 1 : 0), volatile);
    const signatures: string[] = [];
    for (const block of content) {
      if (block.type === 'thinking') {
        produced.signatures.set(block.signature!, { thinking: block.thinking!, prefix });
        signatures.push(block.signature!);
      } else if (block.type === 'redacted_thinking') {
        produced.signatures.set(block.data!, { thinking: '', prefix });
        signatures.push(block.data!);
      }
    }
    const firstCall = content.find((b) => b.type === 'tool_use');
    if (firstCall) produced.thinkingOfToolUse.set(firstCall.id!, signatures);
    if (stopReason === 'pause_turn')
      produced.paused.add(contentKey(content.map(({ rawInput: _r, ...b }) => b)));
  }

  function billed(
    body: WireRequest,
    content: WireBlock[],
    usage: FakeUsage | undefined,
  ): Required<FakeUsage> {
    if (usage || options.usage !== 'simulated')
      return {
        input_tokens: usage?.input_tokens ?? 120,
        output_tokens: usage?.output_tokens ?? 40,
        cache_creation_input_tokens: usage?.cache_creation_input_tokens ?? 0,
        cache_read_input_tokens: usage?.cache_read_input_tokens ?? 0,
      };
    return { ...cache.bill(body), output_tokens: estimateTokens(content) };
  }

  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    exchanges,
    refusals,
    divergences,
    push: (...steps) => script.push(...steps),
    waitForRequests: (count) =>
      requests.length >= count
        ? Promise.resolve()
        : new Promise((done) => waiters.push({ count, resolve: done })),
    get pending() {
      return replay ? replay.length : script.length;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
