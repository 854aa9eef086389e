// Incremental SSE parser (the WHATWG event-stream algorithm, minus `retry`): turns a byte stream
// into frames. Used by the gateway to relay executor events, by the CLI and demo, and by tests.
import { type SseFrame } from './format';

export interface ParsedSseFrame extends SseFrame {
  /** Comment lines (`: heartbeat`) seen since the previous frame. */
  comments: string[];
}

/** Parses chunks as they arrive; frames are yielded as soon as their blank line is seen. */
export async function* parseSse(
  source: AsyncIterable<Buffer | Uint8Array | string>,
): AsyncGenerator<ParsedSseFrame> {
  const decoder = new TextDecoder();
  let buffer = '';
  let frame: { id?: string; event?: string; data: string[]; comments: string[] } = { data: [], comments: [] };
  for await (const chunk of source) {
    buffer += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffer.search(/\r\n|\r|\n/)) !== -1) {
      const line = buffer.slice(0, newline);
      // A lone CR at the end of the buffer may be the first half of CRLF: wait for more input.
      if (buffer[newline] === '\r' && newline === buffer.length - 1) break;
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (frame.data.length > 0 || frame.id !== undefined || frame.event !== undefined) {
          yield { id: frame.id, event: frame.event, data: frame.data.join('\n'), comments: frame.comments };
          frame = { data: [], comments: [] };
        }
        continue;
      }
      if (line.startsWith(':')) {
        frame.comments.push(line.slice(1).trimStart());
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') frame.data.push(value);
      else if (field === 'id' && !value.includes('\0')) frame.id = value;
      else if (field === 'event') frame.event = value;
    }
  }
}
