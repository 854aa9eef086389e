import http from 'node:http';
import { makeEvent, type StreamEvent } from '@foxhound/contracts';
import { createLogger } from '../observability/logger';
import { startServer, type RunningServer } from '../server/lifecycle';
import { openEventStream } from './client';
import { runEventStream, type EventSink } from './event-stream';

const logger = createLogger({ service: 'test', level: 'silent' });

describe('runEventStream', () => {
  let running: RunningServer | undefined;
  afterEach(async () => {
    await running?.shutdown(1000);
    running = undefined;
  });

  async function serve(producer: (sink: EventSink) => Promise<void>, heartbeatMs?: number) {
    running = await startServer(
      (_req, res) =>
        void runEventStream(
          res,
          { threadId: 't-1', heartbeatMs, headers: { 'x-thread-id': 't-1' } },
          producer,
        ),
      { port: 0, host: '127.0.0.1', logger },
    );
    const stream = await openEventStream(running.url);
    const frames = [];
    for await (const frame of stream.frames) frames.push(frame);
    return { stream, frames, events: frames.map((f) => JSON.parse(f.data) as StreamEvent) };
  }

  it('numbers events, sets the stream headers and ends after the result', async () => {
    const { stream, frames, events } = await serve(async (sink) => {
      await sink.emit(makeEvent('thought', { text: 'looking' }, 't-1'));
      await sink.emit(makeEvent('result', { text: 'done', success: true, subtype: 'success' }, 't-1'));
      await sink.emit(makeEvent('thought', { text: 'ignored after the result' }, 't-1'));
    });
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers['x-accel-buffering']).toBe('no');
    expect(stream.headers['x-thread-id']).toBe('t-1');
    expect(frames.map((f) => f.id)).toStrictEqual(['1', '2']);
    expect(events.map((e) => e.type)).toStrictEqual(['thought', 'result']);
  });

  it('appends a recoverable error when the producer returns without a result', async () => {
    const { events } = await serve(async (sink) => {
      await sink.emit(makeEvent('thought', { text: 'x' }, 't-1'));
    });
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      data: { message: 'The stream ended without a result.', recoverable: true },
    });
  });

  it('turns a thrown error into exactly one error event', async () => {
    const { events } = await serve(async () => {
      throw new Error('model unavailable');
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'error',
      data: { message: 'model unavailable', recoverable: false },
    });
  });

  it('sends heartbeat comments while the producer is quiet', async () => {
    let twoHeartbeatsSeen!: () => void;
    const clientSawHeartbeats = new Promise<void>((resolve) => (twoHeartbeatsSeen = resolve));
    running = await startServer(
      (_req, res) =>
        void runEventStream(res, { threadId: 't-1', heartbeatMs: 5 }, async (sink) => {
          await clientSawHeartbeats;
          await sink.emit(makeEvent('result', { text: 'ok', success: true, subtype: 'success' }, 't-1'));
        }),
      { port: 0, host: '127.0.0.1', logger },
    );
    const res = await new Promise<http.IncomingMessage>((resolve) => http.get(running!.url, resolve));
    let raw = '';
    res.on('data', (chunk) => {
      raw += String(chunk);
      if (raw.split(': heartbeat\n\n').length > 2) twoHeartbeatsSeen();
    });
    await new Promise((resolve) => res.once('end', resolve));
    expect(raw).toMatch(/^(: heartbeat\n\n){2,}id: 1\ndata: \{"type":"result"/);
  });

  it('aborts the producer signal when the client disconnects', async () => {
    let aborted!: Promise<void>;
    let started!: () => void;
    const producerStarted = new Promise<void>((resolve) => (started = resolve));
    running = await startServer(
      (_req, res) =>
        void runEventStream(res, { threadId: 't-1' }, async (sink) => {
          aborted = new Promise((resolve) => sink.signal.addEventListener('abort', () => resolve()));
          started();
          await aborted;
        }),
      { port: 0, host: '127.0.0.1', logger },
    );
    const stream = await openEventStream(running.url);
    await producerStarted;
    stream.close();
    await expect(aborted).resolves.toBeUndefined();
  });
});

describe('openEventStream idle timeout', () => {
  it('fails a stream whose peer goes silent', async () => {
    const silent = await startServer(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(': heartbeat\n\n');
      },
      { port: 0, host: '127.0.0.1', logger },
    );
    try {
      const stream = await openEventStream(silent.url, { idleTimeoutMs: 50 });
      await expect(stream.frames.next()).rejects.toThrow(/no data from .* for 50 ms/);
    } finally {
      await silent.shutdown(10);
    }
  });
});
