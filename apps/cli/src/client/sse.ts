// Reads a text/event-stream response into frames, with the two bounds a terminal client needs and
// service-kit's parser (built for trusted peers inside the system) does not have: no frame larger
// than `maxEventBytes` is ever buffered, and a stream silent (not even a heartbeat) for `idleMs` is
// treated as dead. Lines may end in LF, CRLF or CR, as the WHATWG algorithm allows.
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';

export interface SseFrame {
  id?: string;
  event?: string;
  data: string;
}

export interface ReadSseOptions {
  maxEventBytes: number;
  idleMs: number;
  /** Called on every byte received (heartbeats included): the spinner knows the peer is alive. */
  onActivity?: () => void;
}

/** Iterates frames from a fetch body; throws a CliError on an oversize frame or a silent peer. */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
  options: ReadSseOptions,
): AsyncGenerator<SseFrame> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let frame: { id?: string; event?: string; data: string[] } = { data: [] };
  let frameBytes = 0;
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const idle = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new CliError(
                `the gateway stopped answering (nothing, not even a heartbeat, for ${Math.round(options.idleMs / 1000)} s)`,
                EXIT.unreachable,
              ),
            ),
          options.idleMs,
        );
      });
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await Promise.race([reader.read(), idle]);
      } finally {
        clearTimeout(timer);
      }
      if (chunk.done) return;
      options.onActivity?.();
      buffer += decoder.decode(chunk.value, { stream: true });
      let newline: number;
      while ((newline = buffer.search(/\r\n|\r|\n/)) !== -1) {
        if (buffer[newline] === '\r' && newline === buffer.length - 1) break;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (frame.data.length > 0 || frame.id !== undefined || frame.event !== undefined)
            yield { id: frame.id, event: frame.event, data: frame.data.join('\n') };
          frame = { data: [] };
          frameBytes = 0;
          continue;
        }
        if (line.startsWith(':')) continue;
        frameBytes += line.length;
        if (frameBytes > options.maxEventBytes) throw oversize(options.maxEventBytes);
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        let value = colon === -1 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'data') frame.data.push(value);
        else if (field === 'id' && !value.includes('\0')) frame.id = value;
        else if (field === 'event') frame.event = value;
      }
      // A line still arriving counts against the frame too: a 10 MB line without a newline stops here.
      if (frameBytes + buffer.length > options.maxEventBytes) throw oversize(options.maxEventBytes);
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

function oversize(max: number): CliError {
  return new CliError(
    `the gateway sent an event larger than ${Math.round(max / 1024 / 1024)} MiB; stopped reading (raise --max-event-mb to accept it)`,
    EXIT.server,
  );
}
