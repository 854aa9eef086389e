// A strict local fake of the Chat Completions API for tests: a real HTTP server on 127.0.0.1:0
// that answers `POST /v1/chat/completions` with `stream: true` as the API streams it (SSE chunks of
// `chat.completion.chunk`, the role first, content and tool-call arguments split across deltas with
// the call's id and name only on its first delta, the finish reason, a usage chunk when
// `stream_options.include_usage` asks for one, then `data: [DONE]`). Like the API it refuses a
// conversation whose tool messages do not answer the assistant's tool calls, with a 400 in the
// API's error shape. A script gives one answer per request; `match` routes an answer to the first
// request whose system prompt contains the text, for specialists running concurrently.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, type Socket } from 'node:net';

export type ChatStep =
  | {
      kind: 'answer';
      text?: string;
      /** Streamed as `reasoning_content`, as vLLM sends a reasoning model's thinking. */
      reasoning?: string;
      /** `arguments` is sent as JSON; `rawArguments` verbatim (to script malformed JSON). */
      toolCalls?: { name: string; arguments?: unknown; rawArguments?: string; id?: string }[];
      finishReason?: 'stop' | 'tool_calls' | 'length' | 'content_filter';
      usage?: { prompt_tokens?: number; completion_tokens?: number; cached_tokens?: number };
      match?: string;
    }
  | { kind: 'http_error'; status: number; message: string; headers?: Record<string, string>; match?: string }
  /** Sends the role chunk and then nothing, holding the response open. */
  | { kind: 'hang'; match?: string };

export interface ChatWireRequest {
  model: string;
  messages: {
    role: string;
    content?: string | null;
    tool_calls?: { id: string; type: string; function: { name: string; arguments: string } }[];
    tool_call_id?: string;
  }[];
  tools?: { type: string; function: { name: string; description?: string; parameters: unknown } }[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  max_completion_tokens?: number;
  max_tokens?: number;
}

export interface FakeOpenAI {
  url: string;
  apiKey: string;
  requests: { headers: http.IncomingHttpHeaders; body: ChatWireRequest }[];
  push(...steps: ChatStep[]): void;
  /** Answers every request that finds the script empty with this step (a model that never stops). */
  repeatForever(step: ChatStep): void;
  /** Script steps not yet served. */
  pending(): number;
  close(): Promise<void>;
}

export const chatSay = (
  text: string,
  extra: Partial<Extract<ChatStep, { kind: 'answer' }>> = {},
): ChatStep => ({
  kind: 'answer',
  text,
  finishReason: 'stop',
  ...extra,
});

export const chatCall = (
  name: string,
  args: unknown,
  extra: { text?: string; id?: string; match?: string } = {},
): ChatStep => ({
  kind: 'answer',
  ...(extra.text ? { text: extra.text } : {}),
  toolCalls: [{ name, arguments: args, ...(extra.id ? { id: extra.id } : {}) }],
  finishReason: 'tool_calls',
  ...(extra.match ? { match: extra.match } : {}),
});

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const apiKey = `sk-fake-${Math.random().toString(36).slice(2)}`;
  const script: ChatStep[] = [];
  let forever: ChatStep | undefined;
  const requests: FakeOpenAI['requests'] = [];
  const sockets = new Set<Socket>();
  let callCounter = 0;

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, String(err), 'server_error');
      else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions')
      return sendError(res, 404, `Unknown request URL: ${req.method} ${req.url}`, 'invalid_request_error');
    if (req.headers.authorization !== `Bearer ${apiKey}`)
      return sendError(res, 401, 'Incorrect API key provided.', 'invalid_request_error');
    const body = JSON.parse(await readBody(req)) as ChatWireRequest;
    requests.push({ headers: req.headers, body });
    const problem = refusal(body);
    if (problem) return sendError(res, 400, problem, 'invalid_request_error');
    const system = body.messages.find((m) => m.role === 'system')?.content ?? '';
    const index = script.findIndex((s) => s.match === undefined || system.includes(s.match));
    const step = index >= 0 ? script.splice(index, 1)[0]! : forever;
    if (!step)
      return sendError(res, 500, 'the fake has no scripted answer left for this request', 'server_error');
    if (step.kind === 'http_error')
      return sendError(res, step.status, step.message, 'invalid_request_error', step.headers);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const id = `chatcmpl-${++callCounter}`;
    const chunk = (choices: unknown[], usage?: unknown) =>
      res.write(
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1, model: body.model, choices, ...(usage === undefined ? {} : { usage }) })}\n\n`,
      );
    const delta = (d: Record<string, unknown>, finish: string | null = null) =>
      chunk([{ index: 0, delta: d, finish_reason: finish }]);
    delta({ role: 'assistant', content: '' });
    if (step.kind === 'hang') return;
    for (const piece of split(step.reasoning ?? '')) delta({ reasoning_content: piece });
    for (const piece of split(step.text ?? '')) delta({ content: piece });
    (step.toolCalls ?? []).forEach((call, index) => {
      const args = call.rawArguments ?? JSON.stringify(call.arguments ?? {});
      const [first, ...rest] = split(args, 3);
      delta({
        tool_calls: [
          {
            index,
            id: call.id ?? `call_${callCounter}_${index}`,
            type: 'function',
            function: { name: call.name, arguments: first ?? '' },
          },
        ],
      });
      for (const piece of rest) delta({ tool_calls: [{ index, function: { arguments: piece } }] });
    });
    delta({}, step.finishReason ?? (step.toolCalls?.length ? 'tool_calls' : 'stop'));
    if (body.stream_options?.include_usage) {
      const u = step.usage ?? {};
      const prompt = u.prompt_tokens ?? 1200;
      const completion = u.completion_tokens ?? 80;
      chunk([], {
        prompt_tokens: prompt,
        completion_tokens: completion,
        total_tokens: prompt + completion,
        prompt_tokens_details: { cached_tokens: u.cached_tokens ?? 0 },
      });
    }
    res.end('data: [DONE]\n\n');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    push: (...steps) => void script.push(...steps),
    repeatForever: (step) => {
      forever = step;
    },
    pending: () => script.length,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What the API refuses with a 400 before it answers. */
function refusal(body: ChatWireRequest): string | undefined {
  if (!body.model) return 'you must provide a model parameter';
  if (!Array.isArray(body.messages) || body.messages.length === 0) return "[] is too short - 'messages'";
  for (const tool of body.tools ?? [])
    if (tool.type !== 'function' || !/^[a-zA-Z0-9_-]{1,64}$/.test(tool.function.name))
      return `Invalid 'tools': ${JSON.stringify(tool.function?.name)} is not a valid function tool.`;
  const open = new Set<string>();
  for (const [i, m] of body.messages.entries()) {
    if (m.role === 'tool') {
      if (!m.tool_call_id || !open.delete(m.tool_call_id))
        return `Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'. (messages[${i}])`;
      continue;
    }
    if (open.size > 0)
      return `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...open].join(', ')}`;
    for (const call of m.tool_calls ?? []) open.add(call.id);
  }
  return undefined;
}

function split(text: string, parts = 2): string[] {
  if (!text) return [];
  const size = Math.max(1, Math.ceil(text.length / parts));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  type: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ error: { message, type, param: null, code: null } }));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
