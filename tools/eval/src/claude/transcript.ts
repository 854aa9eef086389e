// A recorded model call in the shape the agent's fake Messages API replays (its `RecordedExchange`):
// the request's system, tools and messages, and the answer as content blocks with the stop reason
// and usage, or the API error. `fromSse` rebuilds the answer from the stream the API served;
// `requestKey` keeps the request in the form replays compare: cache_control stripped (it places
// breakpoints, it is not content) and the current-time line masked, as the fake's normal form does.

export interface TranscriptBlock {
  type: string;
  [key: string]: unknown;
}

export interface TranscriptUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export interface TranscriptExchange {
  request: { system?: unknown; tools?: unknown; messages: unknown };
  response:
    | { content: TranscriptBlock[]; stopReason: string; usage: TranscriptUsage }
    | { error: { status: number; type: string; message: string } };
}

const VOLATILE = /Current time: \S+ \(UTC\)/g;

function normal(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(VOLATILE, 'Current time: <volatile> (UTC)');
  if (Array.isArray(value)) return value.map(normal);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== 'cache_control') out[k] = normal(v);
    return out;
  }
  return value;
}

/** The parts of a Messages API request a replay matches on, in their normal form. */
export function requestKey(body: {
  system?: unknown;
  tools?: unknown;
  messages: unknown;
}): TranscriptExchange['request'] {
  return normal({
    system: body.system,
    tools: body.tools,
    messages: body.messages,
  }) as TranscriptExchange['request'];
}

interface StreamEvent {
  type: string;
  index?: number;
  message?: { usage?: Partial<TranscriptUsage> };
  content_block?: TranscriptBlock;
  delta?: {
    type?: string;
    text?: string;
    thinking?: string;
    signature?: string;
    partial_json?: string;
    stop_reason?: string;
  };
  usage?: Partial<TranscriptUsage>;
  error?: { type?: string; message?: string };
}

/** The `data:` payloads of an SSE body, in order. */
function events(sse: string): StreamEvent[] {
  return sse
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => JSON.parse(line.slice(5).trim()) as StreamEvent);
}

/** Content blocks, stop reason and usage of a streamed Messages API answer. */
export function fromSse(sse: string): TranscriptExchange['response'] {
  const blocks: TranscriptBlock[] = [];
  const json: string[] = [];
  const usage: TranscriptUsage = {
    input_tokens: 0,
    output_tokens: 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  };
  let stopReason = 'end_turn';
  for (const e of events(sse)) {
    if (e.type === 'error')
      return { error: { status: 500, type: e.error?.type ?? 'api_error', message: e.error?.message ?? '' } };
    if (e.type === 'message_start') Object.assign(usage, e.message?.usage ?? {});
    else if (e.type === 'content_block_start' && e.content_block) {
      blocks[e.index ?? blocks.length] = { ...e.content_block };
      json[e.index ?? 0] = '';
    } else if (e.type === 'content_block_delta' && e.delta) {
      const b = blocks[e.index ?? 0]!;
      const d = e.delta;
      if (d.type === 'text_delta') b.text = `${(b.text as string | undefined) ?? ''}${d.text ?? ''}`;
      else if (d.type === 'thinking_delta')
        b.thinking = `${(b.thinking as string | undefined) ?? ''}${d.thinking ?? ''}`;
      else if (d.type === 'signature_delta')
        b.signature = `${(b.signature as string | undefined) ?? ''}${d.signature ?? ''}`;
      else if (d.type === 'input_json_delta') json[e.index ?? 0] += d.partial_json ?? '';
    } else if (e.type === 'content_block_stop') {
      const b = blocks[e.index ?? 0];
      const raw = json[e.index ?? 0];
      if (b?.type === 'tool_use') b.input = raw ? (JSON.parse(raw) as unknown) : (b.input ?? {});
    } else if (e.type === 'message_delta') {
      if (e.delta?.stop_reason) stopReason = e.delta.stop_reason;
      Object.assign(usage, e.usage ?? {});
    }
  }
  return { content: blocks.filter(Boolean), stopReason, usage };
}

/** An API error body (`{type: 'error', error: {type, message}}`) as a recorded refusal. */
export function fromError(status: number, body: string): TranscriptExchange['response'] {
  try {
    const parsed = JSON.parse(body) as { error?: { type?: string; message?: string } };
    return {
      error: { status, type: parsed.error?.type ?? 'api_error', message: parsed.error?.message ?? body },
    };
  } catch {
    return { error: { status, type: 'api_error', message: body.slice(0, 2000) } };
  }
}
