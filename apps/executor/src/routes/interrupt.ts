// POST /interrupt {thread_id}: stops the thread's running turn. Like IncidentFox's sandbox server it
// answers with a short SSE stream: a `thought`, then once the turn has actually stopped (its own
// stream ended with `result` subtype `interrupted`), a `result` of subtype `interrupted`; or one
// `error` when nothing is running on the thread.
import { InterruptRequestSchema, makeEvent } from '@foxhound/contracts';
import { TurnInterrupted } from '@foxhound/agent';
import { jsonBody, parseInput, runEventStream } from '@foxhound/service-kit';
import express, { type Router } from 'express';
import { type RouteDeps } from './execute';

/** How long /interrupt waits for the turn to unwind before answering anyway. */
const UNWIND_WAIT_MS = 10_000;

export function interruptRoutes(deps: Pick<RouteDeps, 'threads' | 'drain'>): Router {
  const router = express.Router();
  router.post('/interrupt', jsonBody(), async (req, res) => {
    const { thread_id: threadId } = parseInput(InterruptRequestSchema, req.body);
    const running = deps.threads.runningTurn(threadId);
    await runEventStream(
      res,
      { threadId, drain: deps.drain, headers: { 'x-thread-id': threadId } },
      async (sink) => {
        if (!running) {
          await sink.emit(
            makeEvent(
              'error',
              {
                message: `No turn is running on thread ${threadId}.`,
                recoverable: true,
                code: 'not_running',
              },
              threadId,
            ),
          );
          return;
        }
        await sink.emit(makeEvent('thought', { text: 'Interrupting the running turn.' }, threadId));
        running.controller.abort(new TurnInterrupted('interrupted by POST /interrupt'));
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          running.done,
          new Promise((resolve) => (timer = setTimeout(resolve, UNWIND_WAIT_MS))),
        ]);
        clearTimeout(timer);
        await sink.emit(
          makeEvent(
            'result',
            {
              text: 'Task interrupted. Send a new message to continue.',
              success: true,
              subtype: 'interrupted',
            },
            threadId,
          ),
        );
      },
    );
  });
  return router;
}
