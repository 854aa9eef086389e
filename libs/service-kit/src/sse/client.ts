// Opens an SSE stream over node:http and yields its frames as they arrive: the gateway relays the
// executor's stream with it; the CLI, demo and tests read streams with it.
import http, { type IncomingHttpHeaders } from 'node:http';
import { parseSse, type ParsedSseFrame } from './parse';

export interface OpenEventStreamOptions {
  method?: string;
  headers?: Record<string, string>;
  /** JSON-serialised as the request body. */
  body?: unknown;
  signal?: AbortSignal;
  agent?: http.Agent;
  /**
   * Fails the stream when no byte (event or heartbeat comment) arrives for this long: a silent peer
   * is a dead peer. Off by default.
   */
  idleTimeoutMs?: number;
}

export class StreamIdleError extends Error {
  override readonly name = 'StreamIdleError';
}

export interface OpenedEventStream {
  status: number;
  headers: IncomingHttpHeaders;
  /** Frames of an event stream; for a non-2xx answer, use `text()` instead. */
  frames: AsyncGenerator<ParsedSseFrame>;
  /** Reads the whole body as text (for error responses). */
  text(): Promise<string>;
  /** Ends the stream from our side. */
  close(): void;
}

export function openEventStream(
  url: string,
  options: OpenEventStreamOptions = {},
): Promise<OpenedEventStream> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: options.method ?? (body === undefined ? 'GET' : 'POST'),
      agent: options.agent,
      signal: options.signal,
      headers: {
        accept: 'text/event-stream',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
    });
    let idleError: StreamIdleError | undefined;
    if (options.idleTimeoutMs !== undefined) {
      const ms = options.idleTimeoutMs;
      req.setTimeout(ms, () => {
        idleError = new StreamIdleError(`no data from ${url} for ${ms} ms`);
        req.destroy(idleError);
      });
    }
    req.once('error', reject);
    req.once('response', (res) => {
      req.off('error', reject);
      // An error after the response arrived surfaces through the frames iterator instead.
      req.on('error', () => undefined);
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        frames: (async function* frames() {
          try {
            yield* parseSse(res);
          } catch (err) {
            // The response only says "aborted"; report why we aborted it.
            throw idleError ?? err;
          }
        })(),
        text: async () => {
          let text = '';
          for await (const chunk of res) text += String(chunk);
          return text;
        },
        close: () => req.destroy(),
      });
    });
    req.end(body);
  });
}
