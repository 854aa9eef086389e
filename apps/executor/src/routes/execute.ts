// POST /execute: runs one turn of a thread and streams its events as SSE (IncidentFox-compatible
// envelope, `id:` lines, heartbeats), ending with exactly one `result` or `error`. A second request
// on a thread with a running turn gets 409 before any stream starts. A client that goes away
// interrupts its turn: nobody would read the rest.
import { ExecuteRequestSchema, type StreamEvent } from '@foxhound/contracts';
import { TurnInterrupted, type AgentEventSink, type Engine } from '@foxhound/agent';
import {
  type DrainController,
  jsonBody,
  type Logger,
  parseInput,
  runEventStream,
} from '@foxhound/service-kit';
import express, { type Router } from 'express';
import { type ExecutorMetrics } from '../observability/metrics';
import { type ThreadStore } from '../sessions/threads';

export interface RouteDeps {
  engine: Engine;
  threads: ThreadStore;
  metrics: ExecutorMetrics;
  drain: DrainController;
  logger: Logger;
  heartbeatMs?: number;
}

/** Body bound: a maximal prompt plus a long handed-in history. Larger bodies get 413. */
const BODY_LIMIT = '4mb';

export function executeRoutes(deps: RouteDeps): Router {
  const router = express.Router();
  router.post('/execute', jsonBody({ limit: BODY_LIMIT }), async (req, res) => {
    const request = parseInput(ExecuteRequestSchema, req.body);
    const threadId = request.thread_id;
    const claim = deps.threads.begin(threadId, request.history);
    deps.metrics.runningTurns.inc();
    deps.metrics.threads.set(deps.threads.size);
    const started = process.hrtime.bigint();
    try {
      await runEventStream(
        res,
        { threadId, drain: deps.drain, heartbeatMs: deps.heartbeatMs, headers: { 'x-thread-id': threadId } },
        async (sink) => {
          const onClientGone = () =>
            claim.turn.controller.abort(new TurnInterrupted('the client disconnected'));
          sink.signal.addEventListener('abort', onClientGone, { once: true });
          const counted: AgentEventSink = {
            emit: (event: StreamEvent) => {
              deps.metrics.events.inc({ type: event.type });
              return sink.emit(event);
            },
          };
          try {
            const output = await deps.engine.runTurn(
              {
                threadId,
                prompt: request.prompt,
                alert: request.alert,
                context: request.context,
                history: claim.history,
              },
              counted,
              claim.turn.controller.signal,
            );
            if (output.subtype !== 'error') deps.threads.record(threadId, request.prompt, output.text);
            deps.metrics.turns.inc({ provider: output.provider, subtype: output.subtype });
            deps.metrics.recordUsage(output.provider, output.usage);
            deps.metrics.turnDuration.observe(
              { provider: output.provider },
              Number(process.hrtime.bigint() - started) / 1e9,
            );
            deps.logger.info(
              {
                threadId,
                subtype: output.subtype,
                provider: output.provider,
                modelCalls: output.usage.modelCalls,
              },
              'turn finished',
            );
          } finally {
            sink.signal.removeEventListener('abort', onClientGone);
          }
        },
      );
    } finally {
      claim.finish();
      deps.metrics.runningTurns.dec();
    }
  });
  return router;
}
