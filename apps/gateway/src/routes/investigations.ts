// The versioned investigations API: start (JSON), list, get, and the resumable event stream.
import { type Express, type Request } from 'express';
import { z } from 'zod';
import {
  InvestigationListQuerySchema,
  LAST_EVENT_ID_HEADER,
  StartInvestigationRequestSchema,
  type InvestigationCreated,
} from '@foxhound/contracts';
import { InputError, NotFoundError, parseInput } from '@foxhound/service-kit';
import { principalOf, requirePermission } from '../auth/authenticate';
import { jsonInput } from '../input/storable';
import { type RouteDeps } from './deps';
import { followInvestigation } from './stream';

const IdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'not an investigation id');
const SeqSchema = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const streamUrlOf = (id: string) => `/v1/investigations/${id}/events`;

/** Where a replay starts: the Last-Event-ID header (a reconnecting EventSource) or `?after=`. */
function afterSeqOf(req: Request): number {
  const raw = req.headers[LAST_EVENT_ID_HEADER] ?? req.query.after;
  if (raw === undefined || raw === '') return 0;
  const parsed = SeqSchema.safeParse(raw);
  if (!parsed.success) throw new InputError('Last-Event-ID must be the id of an event from this stream.');
  return parsed.data;
}

export function investigationRoutes(app: Express, deps: RouteDeps): void {
  const mayRead = requirePermission('investigations:read', deps.audit);
  const mayWrite = requirePermission('investigations:write', deps.audit);

  app.post('/v1/investigations', mayWrite, jsonInput(), async (req, res) => {
    const body = parseInput(StartInvestigationRequestSchema, req.body);
    const started = await deps.runner.start({
      prompt: body.prompt,
      threadId: body.threadId,
      namespaces: body.namespaces,
      alert: body.alert,
      source: 'api',
      principal: principalOf(res),
      requestId: res.locals.requestId,
      takeover: body.takeover,
    });
    if (started.kind !== 'started') throw new Error('an API investigation cannot be deduplicated');
    res.locals.investigationId = started.investigation.id;
    const created: InvestigationCreated = {
      id: started.investigation.id,
      threadId: started.investigation.threadId,
      status: 'running',
      streamUrl: streamUrlOf(started.investigation.id),
      sandbox: { id: started.sandbox.sandboxId, reused: started.sandbox.reused },
    };
    res.status(201).location(created.streamUrl).json(created);
  });

  app.get('/v1/investigations', mayRead, async (req, res) => {
    const query = parseInput(InvestigationListQuerySchema, req.query, 'query');
    res.json(await deps.investigations.list(query));
  });

  app.get('/v1/investigations/:id', mayRead, async (req, res) => {
    const id = parseInput(IdSchema, req.params.id, 'id');
    const investigation = await deps.investigations.get(id);
    if (!investigation) throw new NotFoundError(`No investigation ${id}.`);
    res.json(investigation);
  });

  app.get('/v1/investigations/:id/events', mayRead, async (req, res) => {
    const id = parseInput(IdSchema, req.params.id, 'id');
    const afterSeq = afterSeqOf(req);
    const investigation = await deps.investigations.get(id);
    if (!investigation) throw new NotFoundError(`No investigation ${id}.`);
    await followInvestigation(deps, res, id, afterSeq, { 'x-thread-id': investigation.threadId });
  });
}
