import http from 'node:http';
import request from 'supertest';
import { makeEvent } from '@foxhound/contracts';
import { createLogger } from '../observability/logger';
import { openEventStream } from '../sse/client';
import { runEventStream } from '../sse/event-stream';
import { createServiceApp } from './create-app';
import { DrainController } from './drain';
import { startServer } from './lifecycle';

const logger = createLogger({ service: 'test', level: 'silent' });

describe('graceful shutdown', () => {
  it('stops accepting, reports draining, lets an open stream finish, then closes', async () => {
    const drain = new DrainController();
    let finishStream!: () => void;
    const streamMayFinish = new Promise<void>((resolve) => (finishStream = resolve));
    const { app } = createServiceApp({
      service: 'svc',
      logger,
      drain,
      routes: (a) =>
        a.get('/stream', (_req, res) => {
          void runEventStream(res, { threadId: 't', drain }, async (sink) => {
            await sink.emit(makeEvent('thought', { text: 'working' }, 't'));
            await streamMayFinish;
            await sink.emit(
              makeEvent('result', { text: 'finished', success: true, subtype: 'success' }, 't'),
            );
          });
        }),
    });
    const running = await startServer(app, { port: 0, host: '127.0.0.1', logger, drain });
    const stream = await openEventStream(`${running.url}/stream`);
    const first = await stream.frames.next();
    expect(JSON.parse(first.value!.data)).toMatchObject({ type: 'thought' });

    const stopped = running.shutdown(60_000);
    expect(drain.draining).toBe(true);
    // A new connection is refused while the stream is still open.
    await expect(
      new Promise((resolve, reject) => http.get(`${running.url}/healthz`, resolve).once('error', reject)),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    finishStream();
    const rest = [];
    for await (const frame of stream.frames) rest.push(JSON.parse(frame.data));
    expect(rest).toMatchObject([{ type: 'result', data: { text: 'finished' } }]);
    await stopped;
    expect(running.server.listening).toBe(false);
  });

  it('closes a stream that outlives the deadline', async () => {
    const drain = new DrainController();
    const running = await startServer(
      (_req, res) => void runEventStream(res, { threadId: 't', drain }, () => new Promise(() => undefined)),
      { port: 0, host: '127.0.0.1', logger, drain },
    );
    const stream = await openEventStream(running.url);
    await running.shutdown(20);
    const frames = [];
    await expect(
      (async () => {
        for await (const frame of stream.frames) frames.push(frame);
      })(),
    ).rejects.toThrow();
    expect(running.server.listening).toBe(false);
  });

  it('503 draining on /readyz once draining starts, while in-flight work finishes', async () => {
    const drain = new DrainController();
    const { app } = createServiceApp({ service: 'svc', logger, drain, routes: () => undefined });
    await request(app).get('/readyz').expect(200);
    const release = drain.track();
    const drained = drain.drain(60_000);
    await request(app).get('/readyz').expect(503, { status: 'draining', service: 'svc', checks: {} });
    release();
    await expect(drained).resolves.toBe(true);
  });
});
