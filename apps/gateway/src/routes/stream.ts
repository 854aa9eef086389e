// Follows one investigation for one client: events after `afterSeq` from the live hub when it runs
// in this replica, otherwise from the store, polling while another replica still runs it. The client's
// stream ends at the turn's terminal event, so it ends even while the store is still catching up;
// a replay the store cannot serve ends with an `error` event rather than silently.
import { type Response } from 'express';
import { isTerminalEvent, makeEvent, type StoredEvent } from '@foxhound/contracts';
import { SseRelay } from '../sse/relay';
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
      void replayFromStore(deps, relay, investigationId, afterSeq)
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

async function replayFromStore(
  deps: RouteDeps,
  relay: SseRelay,
  id: string,
  afterSeq: number,
): Promise<void> {
  let last = afterSeq;
  const sendAll = (events: StoredEvent[]) => {
    for (const event of events) {
      relay.send(event);
      last = event.seq;
    }
  };
  sendAll(await deps.events.list(id, last));
  // Running in another replica: tail the store until it ends (or the client leaves).
  while (!relay.closed) {
    const investigation = await deps.investigations.get(id);
    if (!investigation || investigation.status !== 'running') {
      sendAll(await deps.events.list(id, last));
      return;
    }
    if (deps.hub.isLive(id)) {
      // It moved here (e.g. a follow-up started in this replica); switch to the live feed.
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, deps.replayPollMs));
    sendAll(await deps.events.list(id, last));
  }
}
