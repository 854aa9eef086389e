// IncidentFox-compatible routes: POST /investigate streams a turn (errors before streaming are JSON),
// POST /interrupt stops the thread's running turn.
import { type Express } from 'express';
import { InterruptBodySchema, InvestigateRequestSchema, THREAD_ID_HEADER } from '@foxhound/contracts';
import { NotAllowedError, NotFoundError, parseInput } from '@foxhound/service-kit';
import { principalOf, requirePermission } from '../auth/authenticate';
import { jsonInput } from '../input/storable';
import { threadOwner } from '../investigations/thread-owner';
import { type RouteDeps } from './deps';
import { followInvestigation } from './stream';

export function investigateRoutes(app: Express, deps: RouteDeps): void {
  const mayWrite = requirePermission('investigations:write', deps.audit);

  app.post('/investigate', mayWrite, jsonInput(), async (req, res) => {
    const body = parseInput(InvestigateRequestSchema, req.body);
    const started = await deps.runner.start({
      prompt: body.prompt,
      threadId: body.thread_id,
      namespaces: body.namespaces,
      source: 'api',
      principal: principalOf(res),
      requestId: res.locals.requestId,
      takeover: body.takeover,
    });
    const { investigation } = started;
    res.locals.investigationId = investigation.id;
    if (deps.onClientDisconnect === 'interrupt') {
      res.once('close', () => {
        if (deps.hub.isLive(investigation.id)) void deps.runner.interrupt(investigation.threadId);
      });
    }
    await followInvestigation(deps, res, investigation.id, 0, {
      [THREAD_ID_HEADER]: investigation.threadId,
      'x-investigation-id': investigation.id,
    });
  });

  app.post('/interrupt', mayWrite, jsonInput(), async (req, res) => {
    const { thread_id } = parseInput(InterruptBodySchema, req.body);
    const principal = principalOf(res);
    const current = await threadOwner(deps.investigations, thread_id);
    if (current?.owner && current.owner !== principal.id && principal.role !== 'admin') {
      throw new NotAllowedError(`Thread ${thread_id} belongs to another principal.`);
    }
    if (!(await deps.runner.interrupt(thread_id))) {
      throw new NotFoundError(`No running turn on thread ${thread_id}.`);
    }
    res.status(202).json({ status: 'interrupting', thread_id });
  });
}
