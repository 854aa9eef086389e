// How the fake answers on the wire: one JSON message, or the Messages API's SSE sequence
// (message_start, ping, content blocks with their deltas in chunks, message_delta, message_stop),
// and errors as the API's `{"type":"error","error":{type,message}}` body.
import { type ServerResponse } from 'node:http';
import { type FakeUsage } from './fake-anthropic';
import { type ApiRefusal } from './fake-rules';
import { type WireBlock, type WireRequest } from './fake-wire';

/** The whole answer: as SSE when the request streams, as one JSON message otherwise. */
export function answer(
  res: ServerResponse,
  body: WireRequest,
  content: WireBlock[],
  stopReason: string,
  usage: Required<FakeUsage>,
): void {
  if (!body.stream) {
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_fake' });
    res.end(
      JSON.stringify({
        id: 'msg_fake',
        type: 'message',
        role: 'assistant',
        model: body.model,
        content: content.map(({ rawInput, ...block }) =>
          typeof rawInput === 'string' ? { ...block, input: {} } : block,
        ),
        stop_reason: stopReason,
        stop_sequence: null,
        usage,
      }),
    );
    return;
  }
  startStream(res, body, usage);
  content.forEach((block, index) => writeBlock(res, block, index));
  endStream(res, stopReason, usage);
}

export function startStream(res: ServerResponse, body: WireRequest, usage: Required<FakeUsage>): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'request-id': 'req_fake',
  });
  send(res, 'message_start', {
    type: 'message_start',
    message: {
      id: 'msg_fake',
      type: 'message',
      role: 'assistant',
      model: body.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: usage.input_tokens,
        output_tokens: 1,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
      },
    },
  });
  send(res, 'ping', { type: 'ping' });
}

function endStream(res: ServerResponse, stopReason: string, usage: Required<FakeUsage>): void {
  send(res, 'message_delta', {
    type: 'message_delta',
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: { output_tokens: usage.output_tokens },
  });
  send(res, 'message_stop', { type: 'message_stop' });
  res.end();
}

export function writeBlock(res: ServerResponse, block: WireBlock, index: number): void {
  const delta = (d: unknown) =>
    send(res, 'content_block_delta', { type: 'content_block_delta', index, delta: d });
  switch (block.type) {
    case 'text':
      send(res, 'content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'text', text: '' },
      });
      for (const piece of chunks(block.text ?? '', 24)) delta({ type: 'text_delta', text: piece });
      break;
    case 'thinking':
      send(res, 'content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      });
      for (const piece of chunks(block.thinking ?? '', 24))
        if (piece) delta({ type: 'thinking_delta', thinking: piece });
      delta({ type: 'signature_delta', signature: block.signature });
      break;
    case 'redacted_thinking':
      send(res, 'content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'redacted_thinking', data: block.data },
      });
      break;
    case 'tool_use': {
      send(res, 'content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
      });
      const json = typeof block.rawInput === 'string' ? block.rawInput : JSON.stringify(block.input ?? {});
      for (const piece of chunks(json, 16)) delta({ type: 'input_json_delta', partial_json: piece });
      break;
    }
  }
  send(res, 'content_block_stop', { type: 'content_block_stop', index });
}

export function send(res: ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

export function sendError(res: ServerResponse, error: ApiRefusal): void {
  res.writeHead(error.status, { 'content-type': 'application/json', 'request-id': 'req_error' });
  res.end(
    JSON.stringify({
      type: 'error',
      error: { type: error.type, message: error.message },
      request_id: 'req_error',
    }),
  );
}

function chunks(text: string, size: number): string[] {
  if (text.length === 0) return [''];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
