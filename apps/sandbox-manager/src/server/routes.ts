// The manager's HTTP API. Handlers validate, call the lifecycle service and write the contract's
// bodies; errors are thrown and mapped to `{"detail","code"}` by service-kit's error handler.
import express, { type Router } from 'express';
import {
  AcquireSandboxRequestSchema,
  DnsLabelSchema,
  SandboxListQuerySchema,
  type SandboxList,
} from '@foxhound/contracts';
import { InputError, jsonBody, parseInput } from '@foxhound/service-kit';
import { type SandboxService } from '../lifecycle/sandbox-service';

/** Label prefixes the manager and agent-sandbox own; a caller may not set them. */
const RESERVED_LABEL_PREFIXES = [
  'foxhound.dev/',
  'agents.x-k8s.io/',
  'extensions.agents.x-k8s.io/',
  'app.kubernetes.io/',
];
const MAX_LABELS = 16;

export function sandboxRoutes(service: SandboxService): Router {
  const router = express.Router();

  router.post('/v1/sandboxes', jsonBody({ limit: '16kb' }), async (req, res) => {
    const request = parseInput(AcquireSandboxRequestSchema, req.body);
    const labels = Object.keys(request.labels ?? {});
    if (labels.length > MAX_LABELS)
      throw new InputError(`Invalid body.labels: at most ${MAX_LABELS} labels.`);
    const reserved = labels.find((key) => RESERVED_LABEL_PREFIXES.some((prefix) => key.startsWith(prefix)));
    if (reserved !== undefined) throw new InputError(`Invalid body.labels: ${reserved} is reserved.`);
    const descriptor = await service.acquire(request);
    res.status(descriptor.reused ? 200 : 201).json(descriptor);
  });

  router.get('/v1/sandboxes', async (req, res) => {
    const query = parseInput(SandboxListQuerySchema, req.query, 'query');
    const body: SandboxList = { items: await service.list(query.threadId) };
    res.json(body);
  });

  router.get('/v1/sandboxes/:id', async (req, res) => {
    res.json(await service.get(parseSandboxId(req.params.id)));
  });

  router.delete('/v1/sandboxes/:id', async (req, res) => {
    await service.release(parseSandboxId(req.params.id));
    res.status(204).end();
  });

  router.get('/v1/pool', async (_req, res) => {
    res.json(await service.pool());
  });

  return router;
}

function parseSandboxId(value: unknown): string {
  if (typeof value !== 'string' || !DnsLabelSchema.safeParse(value).success) {
    throw new InputError('Invalid sandbox id: expected an RFC 1123 DNS label of at most 63 characters.');
  }
  return value;
}
