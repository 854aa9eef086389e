// Writes Foxhound's event stream to an HTTP response: event-stream headers, numbered `id:` lines,
// heartbeat comments, backpressure, and the guarantee that a stream ends with exactly one `result`
// or `error` event whatever the producer does (returns early, throws, or the client leaves).
import { type ServerResponse } from 'node:http';
import { isTerminalEvent, makeEvent, type StreamEvent } from '@foxhound/contracts';
import { type DrainController } from '../server/drain';
import { formatSseComment, formatSseFrame } from './format';

export interface EventStreamOptions {
  threadId: string;
  /** Interval of `: heartbeat` comments that keep proxies from closing an idle stream. */
  heartbeatMs?: number;
  /** Counts the stream as in flight so graceful shutdown waits for it. */
  drain?: DrainController;
  /** First id to assign when the producer does not give one (ids increase by one). */
  firstId?: number;
  /** Extra response headers (e.g. X-Thread-ID). */
  headers?: Record<string, string>;
}

export interface EventSink {
  /** Writes one event; resolves once the socket accepted it (backpressure). Ignored after the terminal event. */
  emit(event: StreamEvent, id?: string): Promise<void>;
  /** Aborted when the client disconnects. */
  readonly signal: AbortSignal;
  /** True once a `result` or `error` was written. */
  readonly finished: boolean;
}

export function startEventStream(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    ...headers,
  });
  res.flushHeaders();
}

/**
 * Runs `producer` against an SSE response. If the producer returns without a terminal event, an
 * `error` event says so; if it throws, the error becomes an `error` event with its message.
 */
export async function runEventStream(
  res: ServerResponse,
  options: EventStreamOptions,
  producer: (sink: EventSink) => Promise<void>,
): Promise<void> {
  const { threadId, heartbeatMs = 15_000, drain, firstId = 1 } = options;
  const release = drain?.track();
  const abort = new AbortController();
  const onClose = () => abort.abort();
  res.once('close', onClose);
  startEventStream(res, options.headers);

  let nextId = firstId;
  let finished = false;
  const write = (chunk: string): Promise<void> => {
    if (res.destroyed || res.writableEnded) return Promise.resolve();
    if (res.write(chunk)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.once('drain', done);
      res.once('close', done);
    });
  };
  const heartbeat = setInterval(() => void write(formatSseComment('heartbeat')), heartbeatMs);
  heartbeat.unref();

  const sink: EventSink = {
    emit: async (event, id) => {
      if (finished) return;
      if (isTerminalEvent(event)) finished = true;
      const frameId = id ?? String(nextId);
      nextId = Number.isInteger(Number(frameId)) ? Number(frameId) + 1 : nextId + 1;
      await write(formatSseFrame({ id: frameId, data: JSON.stringify(event) }));
    },
    signal: abort.signal,
    get finished() {
      return finished;
    },
  };

  try {
    await producer(sink);
    if (!finished) {
      await sink.emit(
        makeEvent('error', { message: 'The stream ended without a result.', recoverable: true }, threadId),
      );
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await sink.emit(makeEvent('error', { message, recoverable: false }, threadId));
  } finally {
    clearInterval(heartbeat);
    res.off('close', onClose);
    if (!res.writableEnded) res.end();
    release?.();
  }
}
