// The OpenAPI 3.1 document served at /openapi.json, generated from the zod contracts so it cannot
// drift from what the routes validate and return.
import { z } from 'zod';
import {
  ActionDecisionRequestSchema,
  ApproveActionRequestSchema,
  ActionListQuerySchema,
  AlertAcceptedSchema,
  AlertmanagerWebhookSchema,
  ApiKeyInfoSchema,
  AuditListQuerySchema,
  AuditPageSchema,
  AuditVerifyResultSchema,
  CreateApiKeyRequestSchema,
  CreatedApiKeySchema,
  ErrorBodySchema,
  GenericAlertSchema,
  InvestigationDetailSchema,
  InvestigationListQuerySchema,
  InterruptBodySchema,
  InvestigateRequestSchema,
  InvestigationCreatedSchema,
  InvestigationPageSchema,
  StartInvestigationRequestSchema,
  StoredProposalSchema,
  StreamEventSchema,
  WhoAmISchema,
} from '@foxhound/contracts';

type Schema = z.ZodType;
const json = (schema: Schema, io: 'input' | 'output' = 'output') => ({
  'application/json': { schema: z.toJSONSchema(schema, { io, unrepresentable: 'any' }) },
});
const sse = {
  'text/event-stream': {
    schema: z.toJSONSchema(StreamEventSchema, { unrepresentable: 'any' }),
    description:
      'One JSON event per `data:` line, with an `id:` line; `: heartbeat` comments keep the stream open.',
  },
};
const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [String(code), { description: ERROR_TEXT[code], content: json(ErrorBodySchema) }]),
  );
const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid request',
  401: 'Missing or invalid credentials',
  403: 'Not allowed for this role',
  404: 'Not found',
  409: 'Conflict',
  413: 'Body too large',
  429: 'Rate or concurrency limit (see Retry-After)',
  502: 'A backend service failed',
  503: 'A dependency is unavailable',
  504: 'A backend timed out',
};
function queryParameters(schema: z.ZodObject) {
  const jsonSchema = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, unknown>;
  };
  return Object.entries(jsonSchema.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: false,
    schema: s,
  }));
}
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

export function buildOpenApiDocument(version: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Foxhound API',
      version,
      description:
        'Investigate Kubernetes incidents in isolated sandboxes; stream reasoning and evidence; review proposed fixes.',
    },
    components: {
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key (fh_...) or a JWT' },
      },
    },
    security: [{ apiKey: [] }, { bearer: [] }],
    paths: {
      '/investigate': {
        post: {
          summary: 'Start or follow up an investigation and stream it (IncidentFox-compatible)',
          requestBody: { required: true, content: json(InvestigateRequestSchema, 'input') },
          responses: {
            200: { description: 'Event stream; X-Thread-ID header', content: sse },
            ...errors(400, 401, 403, 429, 502, 503, 504),
          },
        },
      },
      '/interrupt': {
        post: {
          summary: "Stop the thread's running turn",
          requestBody: { required: true, content: json(InterruptBodySchema, 'input') },
          responses: { 202: { description: 'Interrupt delivered' }, ...errors(400, 401, 403, 404) },
        },
      },
      '/v1/investigations': {
        post: {
          summary: 'Start an investigation; follow it at streamUrl',
          requestBody: { required: true, content: json(StartInvestigationRequestSchema, 'input') },
          responses: {
            201: { description: 'Started', content: json(InvestigationCreatedSchema) },
            ...errors(400, 401, 403, 429, 502, 503),
          },
        },
        get: {
          summary: 'List investigations, newest first',
          parameters: queryParameters(InvestigationListQuerySchema),
          responses: {
            200: { description: 'A page', content: json(InvestigationPageSchema) },
            ...errors(400, 401, 403),
          },
        },
      },
      '/v1/investigations/{id}': {
        get: {
          summary: 'Status, report, findings, proposals, token and cost figures',
          parameters: [idParam],
          responses: {
            200: { description: 'The investigation', content: json(InvestigationDetailSchema) },
            ...errors(401, 403, 404),
          },
        },
      },
      '/v1/investigations/{id}/events': {
        get: {
          summary: 'Replay the event stream from the store, then tail it live while running',
          parameters: [
            idParam,
            { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' } },
          ],
          responses: { 200: { description: 'Event stream', content: sse }, ...errors(400, 401, 403, 404) },
        },
      },
      '/v1/alerts/alertmanager': {
        post: {
          summary: 'Alertmanager webhook (v4): one investigation per firing group, deduplicated while open',
          requestBody: { required: true, content: json(AlertmanagerWebhookSchema, 'input') },
          responses: {
            202: { description: 'Accepted', content: json(AlertAcceptedSchema) },
            ...errors(400, 401, 403, 429),
          },
        },
      },
      '/v1/alerts': {
        post: {
          summary: 'A generic alert starts an investigation, deduplicated by fingerprint while open',
          requestBody: { required: true, content: json(GenericAlertSchema, 'input') },
          responses: {
            202: { description: 'Accepted', content: json(AlertAcceptedSchema) },
            ...errors(400, 401, 403, 429),
          },
        },
      },
      '/v1/actions': {
        get: {
          summary: 'Proposed remediation actions and their state, newest first',
          parameters: queryParameters(ActionListQuerySchema),
          responses: {
            200: {
              description: 'Actions',
              content: json(z.object({ items: z.array(StoredProposalSchema) })),
            },
            ...errors(400, 401, 403),
          },
        },
      },
      '/v1/actions/{id}': {
        get: {
          summary: 'One action: proposal, evidence, risk, rollback, state and every transition',
          parameters: [idParam],
          responses: {
            200: { description: 'The action', content: json(StoredProposalSchema) },
            ...errors(401, 403, 404),
          },
        },
      },
      '/v1/actions/{id}/approve': {
        post: {
          summary:
            'Approve (approver role; not the principal who started the investigation); applies once, then follows recovery',
          parameters: [idParam],
          requestBody: { required: true, content: json(ApproveActionRequestSchema, 'input') },
          responses: {
            200: { description: 'The action after the decision', content: json(StoredProposalSchema) },
            ...errors(400, 401, 403, 404, 409, 502, 503),
          },
        },
      },
      '/v1/actions/{id}/reject': {
        post: {
          summary: 'Reject a proposed action (approver role)',
          parameters: [idParam],
          requestBody: { required: true, content: json(ActionDecisionRequestSchema, 'input') },
          responses: {
            200: { description: 'The rejected action', content: json(StoredProposalSchema) },
            ...errors(400, 401, 403, 404, 409),
          },
        },
      },
      '/v1/actions/{id}/rollback': {
        post: {
          summary: 'Propose the stored inverse of an applied action; it needs its own approval',
          parameters: [idParam],
          requestBody: { required: true, content: json(ActionDecisionRequestSchema, 'input') },
          responses: {
            201: { description: 'The rollback proposal', content: json(StoredProposalSchema) },
            200: {
              description: 'The rollback already open for this action',
              content: json(StoredProposalSchema),
            },
            ...errors(400, 401, 403, 404, 409),
          },
        },
      },
      '/v1/keys': {
        post: {
          summary: 'Create an API key (admin); the secret is returned once',
          requestBody: { required: true, content: json(CreateApiKeyRequestSchema, 'input') },
          responses: {
            201: { description: 'Created', content: json(CreatedApiKeySchema) },
            ...errors(400, 401, 403),
          },
        },
        get: {
          summary: 'List API keys (admin), never their secrets',
          responses: {
            200: { description: 'Keys', content: json(z.object({ items: z.array(ApiKeyInfoSchema) })) },
            ...errors(401, 403),
          },
        },
      },
      '/v1/keys/{id}': {
        delete: {
          summary: 'Revoke an API key (admin)',
          parameters: [idParam],
          responses: { 204: { description: 'Revoked' }, ...errors(401, 403, 404) },
        },
      },
      '/v1/audit': {
        get: {
          summary: 'The audit trail (admin), newest first',
          parameters: queryParameters(AuditListQuerySchema),
          responses: {
            200: { description: 'A page', content: json(AuditPageSchema) },
            ...errors(400, 401, 403),
          },
        },
      },
      '/v1/whoami': {
        get: {
          summary: 'The caller: principal, role, permissions, and whether self-approval is allowed',
          responses: { 200: { description: 'The caller', content: json(WhoAmISchema) }, ...errors(401) },
        },
      },
      '/v1/audit/verify': {
        get: {
          summary: 'Walk the hash chain and report the first broken entry (admin)',
          responses: {
            200: { description: 'Result', content: json(AuditVerifyResultSchema) },
            ...errors(401, 403),
          },
        },
      },
    },
  };
}
