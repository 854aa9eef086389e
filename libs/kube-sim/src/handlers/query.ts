// Query parameters of the resource verbs, validated with zod: a bad value is a 400 Status naming
// the parameter, as the real server's parameter decoding does.
import { z } from 'zod';
import { errors } from '../api/status';

const int = (name: string, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a non-negative integer`)
    .transform(Number)
    .refine((n) => n <= max, `${name} must be at most ${max}`);

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const dryRun = z
  .string()
  .refine((v) => v === 'All', { message: 'Invalid value: supported values: "All"' })
  .transform(() => true);

export const ListQuerySchema = z.object({
  labelSelector: z.string().max(4096).optional(),
  fieldSelector: z.string().max(4096).optional(),
  limit: int('limit', 1_000_000).optional(),
  continue: z.string().max(4096).optional(),
  resourceVersion: z.string().max(64).optional(),
  resourceVersionMatch: z.enum(['Exact', 'NotOlderThan']).optional(),
  timeoutSeconds: int('timeoutSeconds', 86_400).optional(),
  allowWatchBookmarks: bool.optional(),
  sendInitialEvents: bool.optional(),
  watch: bool.optional(),
  includeObject: z.enum(['None', 'Metadata', 'Object']).optional(),
});
export type ListQuery = z.infer<typeof ListQuerySchema>;

export const WriteQuerySchema = z.object({
  dryRun: dryRun.optional(),
  fieldManager: z.string().max(128).optional(),
  fieldValidation: z.enum(['Ignore', 'Warn', 'Strict']).optional(),
  force: bool.optional(),
  propagationPolicy: z.enum(['Foreground', 'Background', 'Orphan']).optional(),
  gracePeriodSeconds: z
    .string()
    .regex(/^-?\d+$/)
    .optional(),
  orphanDependents: bool.optional(),
});
export type WriteQuery = z.infer<typeof WriteQuerySchema>;

export const LogQuerySchema = z.object({
  container: z.string().max(253).optional(),
  previous: bool.optional(),
  follow: bool.optional(),
  timestamps: bool.optional(),
  tailLines: int('tailLines', 10_000_000).optional(),
  limitBytes: int('limitBytes', 1_000_000_000)
    .refine((n) => n > 0, 'limitBytes must be greater than 0')
    .optional(),
  sinceSeconds: int('sinceSeconds', 100 * 365 * 86_400)
    .refine((n) => n > 0, 'sinceSeconds must be greater than 0')
    .optional(),
  sinceTime: z.string().datetime({ offset: true }).optional(),
  insecureSkipTLSVerifyBackend: bool.optional(),
  pretty: z.string().optional(),
});
export type PodLogQuery = z.infer<typeof LogQuerySchema>;

/** Parses the known parameters of `schema` out of a query string; unknown ones are ignored. */
export function parseQuery<T extends z.ZodObject>(schema: T, query: URLSearchParams): z.infer<T> {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = query.get(key);
    if (v !== null) raw[key] = v;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw errors.badRequest(`invalid query parameter ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
