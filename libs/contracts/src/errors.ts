// The JSON error body every Foxhound service returns: the SIG router's `{"detail": ...}` shape,
// plus a stable machine-readable `code` where a client may want to branch on it.
import { z } from 'zod';

export const ErrorCodeSchema = z.enum([
  'bad_request',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'rate_limited',
  'internal',
  'bad_gateway',
  'service_unavailable',
  'gateway_timeout',
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ErrorBodySchema = z.object({
  detail: z.string(),
  code: ErrorCodeSchema.optional(),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
