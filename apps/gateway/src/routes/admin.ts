// Admin routes: API keys (the secret is shown once, at creation) and the audit trail.
import { type Express } from 'express';
import { z } from 'zod';
import { AuditListQuerySchema, CreateApiKeyRequestSchema } from '@foxhound/contracts';
import { NotFoundError, parseInput } from '@foxhound/service-kit';
import { principalOf, requirePermission } from '../auth/authenticate';
import { jsonInput } from '../input/storable';
import { type RouteDeps } from './deps';

const KeyIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not an API key id');

export function adminRoutes(app: Express, deps: RouteDeps): void {
  const mayManageKeys = requirePermission('keys:manage', deps.audit);
  const mayReadAudit = requirePermission('audit:read', deps.audit);

  app.post('/v1/keys', mayManageKeys, jsonInput(), async (req, res) => {
    const body = parseInput(CreateApiKeyRequestSchema, req.body);
    const created = await deps.keys.create({ ...body, createdBy: principalOf(res).id });
    res.locals.auditTarget = `apikey/${created.apiKey.id}`;
    res.status(201).json(created);
  });

  app.get('/v1/keys', mayManageKeys, async (req, res) => {
    const includeRevoked = req.query.includeRevoked === 'true';
    res.json({ items: await deps.keys.list({ includeRevoked }) });
  });

  app.delete('/v1/keys/:id', mayManageKeys, async (req, res) => {
    const id = parseInput(KeyIdSchema, req.params.id, 'id');
    res.locals.auditTarget = `apikey/${id}`;
    if (!(await deps.keys.revoke(id, principalOf(res).id)))
      throw new NotFoundError(`No active API key ${id}.`);
    res.status(204).end();
  });

  app.get('/v1/audit', mayReadAudit, async (req, res) => {
    res.json(await deps.audit.list(parseInput(AuditListQuerySchema, req.query, 'query')));
  });

  app.get('/v1/audit/verify', mayReadAudit, async (_req, res) => {
    res.json(await deps.audit.verify());
  });
}
