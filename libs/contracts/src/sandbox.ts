// The sandbox-manager's internal API: one sandbox per investigation thread.
import { z } from 'zod';
import { ThreadIdSchema } from './ids';

export const SandboxBackendSchema = z.enum(['kubernetes', 'local']);
export type SandboxBackend = z.infer<typeof SandboxBackendSchema>;

const labelKey = z.string().regex(/^([a-z0-9.-]{1,253}\/)?[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/);
const labelValue = z.string().regex(/^([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?$/);

/**
 * Who a sandbox is for (an API key name, a JWT subject), as the gateway authenticated them; the
 * manager's per-owner limit counts by it.
 */
export const SandboxOwnerSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._@:|+=-]{0,127}$/,
    'owner must be 1-128 characters of letters, digits or ._@:|+=-',
  );

export const AcquireSandboxRequestSchema = z.object({
  threadId: ThreadIdSchema,
  ttlSeconds: z.number().int().min(60).max(86_400).optional(),
  labels: z.record(labelKey, labelValue).optional(),
  owner: SandboxOwnerSchema.optional(),
});
export type AcquireSandboxRequest = z.infer<typeof AcquireSandboxRequestSchema>;

export const SandboxDescriptorSchema = z.object({
  sandboxId: z.string(),
  threadId: ThreadIdSchema,
  namespace: z.string(),
  port: z.number().int().min(1).max(65535),
  /** Where the router can reach the sandbox directly (pod IP on Kubernetes, 127.0.0.1 locally). */
  podIP: z.string().optional(),
  podName: z.string().optional(),
  reused: z.boolean(),
  /** True when it came from the warm pool rather than a cold start. */
  warm: z.boolean().optional(),
  backend: SandboxBackendSchema,
  owner: SandboxOwnerSchema.optional(),
  createdAt: z.string(),
  expiresAt: z.string(),
  /** The TTL each reuse pushes the expiry forward by (the thread's first request, or the default). */
  ttlSeconds: z.number().int().positive().optional(),
});
export type SandboxDescriptor = z.infer<typeof SandboxDescriptorSchema>;

export const SandboxListSchema = z.object({ items: z.array(SandboxDescriptorSchema) });
export type SandboxList = z.infer<typeof SandboxListSchema>;

export const SandboxListQuerySchema = z.object({ threadId: ThreadIdSchema.optional() });

export const PoolStatusSchema = z.object({
  backend: SandboxBackendSchema,
  desired: z.number().int().nonnegative(),
  ready: z.number().int().nonnegative(),
  starting: z.number().int().nonnegative(),
  active: z.number().int().nonnegative(),
  /** Isolation driver (local backend) or runtime class (kubernetes backend). */
  isolation: z.string().optional(),
  /** An adaptive pool's bounds: `desired` moves between them with demand. */
  floor: z.number().int().nonnegative().optional(),
  ceiling: z.number().int().nonnegative().optional(),
  /** Acquisitions waiting for a sandbox to start. */
  queued: z.number().int().nonnegative().optional(),
  /** `burst` while acquisitions have recently queued for starts: the pool is held at its ceiling. */
  mode: z.enum(['steady', 'burst']).optional(),
  /** Acquisitions per minute over the pool's demand window. */
  acquisitionsPerMinute: z.number().nonnegative().optional(),
});
export type PoolStatus = z.infer<typeof PoolStatusSchema>;
