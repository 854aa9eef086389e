// Follows one investigation for one client: events after `afterSeq` from the live hub when it runs
// in this replica, otherwise from the store, woken by the store's notices while another replica runs
// it (sse/store-tail.ts). The client's
// stream ends at the turn's terminal event, so it ends even while the store is still catching up;
// a replay the store cannot serve ends with an `error` event rather than silently.
import { type Response } from 'express';
import { isTerminalEvent, makeEvent } from '@foxhound/contracts';
import { SseRelay } from '../sse/relay';
import { tailFromStore } from '../sse/store-tail';
import { type RouteDeps } from './deps';

export async function followInvestigation(
  deps: RouteDeps,
  res: Response,
  investigationId: string,
  afterSeq: number,
  headers: Record<string, string> = {},
): Promise<void> {
  const release = deps.drain.track();
  const relay = new SseRelay(res, deps.heartbeatMs, headers);
  deps.liveStreams?.inc();
  let finished: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (finished = resolve));
  try {
    await new Promise<void>((resolve) => {
      const unsubscribe = deps.hub.subscribe(investigationId, afterSeq, {
        onEvent: (event) => {
          relay.send(event);
          if (isTerminalEvent(event.event)) resolve();
        },
        onEnd: () => resolve(),
      });
      if (unsubscribe) {
        res.once('close', resolve);
        void ended.then(unsubscribe);
        return;
      }
      void tailFromStore({
        id: investigationId,
        afterSeq,
        source: {
          list: (id, after) => deps.events.list(id, after),
          status: async (id) => (await deps.investigations.get(id))?.status,
          isLive: (id) => deps.hub.isLive(id),
        },
        send: (event) => relay.send(event),
        closed: () => relay.closed,
        onClose: (listener) => res.once('close', listener),
        tail: deps.tail,
        checkMs: deps.replayCheckMs,
      })
        .catch((err: unknown) => {
          deps.logger.warn({ err, investigationId }, 'replay from the store failed');
          relay.sendUnstored(
            makeEvent(
              'error',
              {
                message: 'The store is unavailable; reconnect with Last-Event-ID to resume.',
                recoverable: true,
                code: 'store_unavailable',
              },
              '',
            ),
          );
        })
        .finally(resolve);
    });
  } finally {
    finished();
    relay.end();
    deps.liveStreams?.dec();
    release();
  }
}
