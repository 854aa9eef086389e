// Kubernetes `Status` errors with the codes, reasons and message formats of a real API server.
// Store, handlers and auth throw StatusError; the HTTP layer writes `toStatus()` as the body.
import { type ResourceType } from './resources';

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'RequestEntityTooLarge'
  | 'TooManyRequests'
  | 'Timeout'
  | 'InternalError';

export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

export class StatusError extends Error {
  override readonly name = 'StatusError';

  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): StatusBody {
    const body: StatusBody = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) body.details = this.details;
    return body;
  }
}

/** `pods` or `deployments.apps`, as the real server names a resource in messages. */
export function qualifiedResource(r: Pick<ResourceType, 'group' | 'plural'>): string {
  return r.group === '' ? r.plural : `${r.plural}.${r.group}`;
}

function details(r: Pick<ResourceType, 'group' | 'plural'>, name?: string): StatusDetails {
  const d: StatusDetails = {};
  if (name !== undefined) d.name = name;
  if (r.group) d.group = r.group;
  d.kind = r.plural;
  return d;
}

/** utilerrors.NewAggregate(...).Error(): one message alone, several in brackets. */
function aggregate(messages: string[]): string {
  return messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
}

export const errors = {
  notFound: (r: Pick<ResourceType, 'group' | 'plural'>, name: string) =>
    new StatusError(404, 'NotFound', `${qualifiedResource(r)} "${name}" not found`, details(r, name)),
  alreadyExists: (r: Pick<ResourceType, 'group' | 'plural'>, name: string) =>
    new StatusError(
      409,
      'AlreadyExists',
      `${qualifiedResource(r)} "${name}" already exists`,
      details(r, name),
    ),
  conflict: (r: Pick<ResourceType, 'group' | 'plural'>, name: string, why: string) =>
    new StatusError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedResource(r)} "${name}": ${why}`,
      details(r, name),
    ),
  staleVersion: (r: Pick<ResourceType, 'group' | 'plural'>, name: string) =>
    errors.conflict(
      r,
      name,
      'the object has been modified; please apply your changes to the latest version and try again',
    ),
  invalid: (r: Pick<ResourceType, 'group' | 'kind'>, name: string, causes: StatusCause[]) =>
    new StatusError(
      422,
      'Invalid',
      `${r.kind}${r.group ? '.' + r.group : ''} "${name}" is invalid: ${aggregate(causes.map((c) => `${c.field}: ${c.message}`))}`,
      { name, group: r.group || undefined, kind: r.kind, causes },
    ),
  badRequest: (message: string) => new StatusError(400, 'BadRequest', message),
  gone: (message: string) => new StatusError(410, 'Expired', message),
  timeout: (message: string) => new StatusError(504, 'Timeout', message),
  methodNotAllowed: () =>
    new StatusError(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
    ),
  unsupportedMediaType: (accepted: string[]) =>
    new StatusError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    ),
  noRoute: () => new StatusError(404, 'NotFound', 'the server could not find the requested resource', {}),
  tooLarge: (limit: number) =>
    new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`),
  unauthorized: () => new StatusError(401, 'Unauthorized', 'Unauthorized'),
  forbidden: (message: string, r?: Pick<ResourceType, 'group' | 'plural'>, name?: string) =>
    new StatusError(403, 'Forbidden', message, r ? details(r, name) : {}),
  internal: (message: string) => new StatusError(500, 'InternalError', `Internal error occurred: ${message}`),
};
