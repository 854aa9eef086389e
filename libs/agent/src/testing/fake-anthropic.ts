// A local fake of the Anthropic Messages API for tests: a real HTTP server on 127.0.0.1:0 that
// answers `POST /v1/messages` with `stream: true` as real SSE (message_start, content_block_start,
// text_delta / input_json_delta deltas split in chunks, content_block_stop, message_delta with usage
// and stop_reason, message_stop), one scripted step per request. It records every request so tests
// can assert on the tools offered, cache_control and each subagent's allow-list. Steps can also
// answer with an HTTP error (429 then success), an error event mid-stream, or hang until the client
// goes away (interrupts, timeouts).
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, type Socket } from 'node:net';

export type FakeBlock =
  | { type: 'text'; text: string }
  /** `input` is sent as JSON; `rawInput` is sent verbatim (to script malformed JSON). */
  | { type: 'tool_use'; name: string; input?: unknown; rawInput?: string; id?: string };

export interface FakeUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

export type FakeStep =
  | { kind: 'message'; content: FakeBlock[]; stopReason?: string; usage?: FakeUsage }
  | { kind: 'http_error'; status: number; type: string; message?: string; headers?: Record<string, string> }
  | { kind: 'stream_error'; type: string; message?: string }
  | { kind: 'hang'; content?: FakeBlock[] };

export interface RecordedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  // The request body as the SDK sent it (parsed JSON).
  body: {
    model: string;
    max_tokens: number;
    stream?: boolean;
    system?: { type: string; text: string; cache_control?: unknown }[] | string;
    tools?: { name: string; description?: string; input_schema: unknown; cache_control?: unknown }[];
    messages: { role: string; content: unknown }[];
  };
}

export interface FakeAnthropic {
  url: string;
  apiKey: string;
  requests: RecordedRequest[];
  /** Appends steps to the script. */
  push(...steps: FakeStep[]): void;
  /** Resolves once `count` requests have arrived. */
  waitForRequests(count: number): Promise<void>;
  /** Steps not consumed yet. */
  readonly pending: number;
  close(): Promise<void>;
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

export async function startFakeAnthropic(
  options: { apiKey?: string; script?: FakeStep[] } = {},
): Promise<FakeAnthropic> {
  const apiKey = options.apiKey ?? 'sk-ant-test-key';
  const script: FakeStep[] = [...(options.script ?? [])];
  const requests: RecordedRequest[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const sockets = new Set<Socket>();
  let toolIds = 0;

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
      return sendError(res, 404, 'not_found_error', `No route ${req.method} ${req.url}`);
    }
    const presented = req.headers['x-api-key'] ?? req.headers.authorization?.replace(/^Bearer /, '');
    if (presented !== apiKey) return sendError(res, 401, 'authentication_error', 'invalid x-api-key');
    requests.push({ path: req.url, headers: req.headers, body: JSON.parse(raw) as RecordedRequest['body'] });
    for (const w of waiters.filter((w) => requests.length >= w.count)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
    const step = script.shift();
    if (!step) {
      res.setHeader('x-should-retry', 'false');
      return sendError(res, 500, 'api_error', 'The fake script is exhausted.');
    }
    if (step.kind === 'http_error') {
      for (const [k, v] of Object.entries(step.headers ?? {})) res.setHeader(k, v);
      return sendError(res, step.status, step.type, step.message ?? step.type);
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'request-id': `req_${requests.length}`,
    });
    const model = (JSON.parse(raw) as { model: string }).model;
    const usage = step.kind === 'message' ? step.usage : undefined;
    send(res, 'message_start', {
      type: 'message_start',
      message: {
        id: `msg_fake_${requests.length}`,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: usage?.input_tokens ?? 120,
          output_tokens: 1,
          cache_creation_input_tokens: usage?.cache_creation_input_tokens ?? 0,
          cache_read_input_tokens: usage?.cache_read_input_tokens ?? 0,
        },
      },
    });
    send(res, 'ping', { type: 'ping' });
    if (step.kind === 'stream_error') {
      send(res, 'error', { type: 'error', error: { type: step.type, message: step.message ?? step.type } });
      res.end();
      return;
    }
    const blocks = step.content ?? [];
    blocks.forEach((block, index) => writeBlock(res, block, index));
    if (step.kind === 'hang') return; // left open until the client disconnects or close()
    send(res, 'message_delta', {
      type: 'message_delta',
      delta: {
        stop_reason: step.stopReason ?? (blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn'),
        stop_sequence: null,
      },
      usage: { output_tokens: usage?.output_tokens ?? 40 },
    });
    send(res, 'message_stop', { type: 'message_stop' });
    res.end();
  }

  function writeBlock(res: ServerResponse, block: FakeBlock, index: number): void {
    if (block.type === 'text') {
      send(res, 'content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'text', text: '' },
      });
      for (const piece of chunks(block.text, 24)) {
        send(res, 'content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'text_delta', text: piece },
        });
      }
    } else {
      toolIds += 1;
      const id = block.id ?? `toolu_fake_${String(toolIds).padStart(3, '0')}`;
      send(res, 'content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id, name: block.name, input: {} },
      });
      const json = block.rawInput ?? JSON.stringify(block.input ?? {});
      for (const piece of chunks(json, 16)) {
        send(res, 'content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: piece },
        });
      }
    }
    send(res, 'content_block_stop', { type: 'content_block_stop', index });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    push: (...steps) => script.push(...steps),
    waitForRequests: (count) =>
      requests.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ count, resolve })),
    get pending() {
      return script.length;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_error' });
  res.end(JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_error' }));
}

function chunks(text: string, size: number): string[] {
  if (text.length === 0) return [''];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
