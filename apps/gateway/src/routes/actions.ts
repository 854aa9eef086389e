// Remediation actions: list and read them (viewer and up), approve, reject or roll back (approver).
import { type Express, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  ActionDecisionRequestSchema,
  ActionListQuerySchema,
  ApproveActionRequestSchema,
} from '@foxhound/contracts';
import { parseInput } from '@foxhound/service-kit';
import { type ActionService } from '../actions/action-service';
import { principalOf, requirePermission } from '../auth/authenticate';
import { type ProposalsPort } from '../investigations/ports';
import { jsonInput } from '../input/storable';
import { type RouteDeps } from './deps';

const ActionIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'not an action id');

export function actionRoutes(
  app: Express,
  deps: RouteDeps & { actions: ActionService; proposals: ProposalsPort },
): void {
  const mayRead = requirePermission('actions:read', deps.audit);
  const mayDecide = requirePermission('actions:decide', deps.audit);

  app.get('/v1/actions', mayRead, async (req, res) => {
    const query = parseInput(ActionListQuerySchema, req.query, 'query');
    res.json({ items: await deps.proposals.list(query) });
  });

  app.get('/v1/actions/:id', mayRead, async (req, res) => {
    res.json(await deps.actions.get(parseInput(ActionIdSchema, req.params.id, 'id')));
  });

  const decision = (req: Request, res: Response) => {
    const id = parseInput(ActionIdSchema, req.params.id, 'id');
    const { reason } = parseInput(ActionDecisionRequestSchema, req.body);
    res.locals.auditTarget = `proposal/${id}`;
    return { id, principal: principalOf(res), reason, requestId: res.locals.requestId as string | undefined };
  };

  app.post('/v1/actions/:id/approve', mayDecide, jsonInput(), async (req, res) => {
    const { id, ...d } = decision(req, res);
    // An approval may also choose a live patch on an object Argo CD or Flux manages, explicitly.
    const { livePatchOnGitOps } = parseInput(ApproveActionRequestSchema, req.body);
    const result = await deps.actions.approve(id, { ...d, livePatchOnGitOps });
    res.locals.investigationId = result.investigationId;
    res.json(result);
  });

  app.post('/v1/actions/:id/reject', mayDecide, jsonInput(), async (req, res) => {
    const { id, ...d } = decision(req, res);
    const result = await deps.actions.reject(id, d);
    res.locals.investigationId = result.investigationId;
    res.json(result);
  });

  app.post('/v1/actions/:id/rollback', mayDecide, jsonInput(), async (req, res) => {
    const { id, ...d } = decision(req, res);
    const { proposal, created } = await deps.actions.rollback(id, d);
    res.locals.investigationId = proposal.investigationId;
    res.status(created ? 201 : 200).json(proposal);
  });
}
