// The sandbox-manager's whole configuration, read from the environment once at startup. The
// defaults here are the complete default config; cross-field rules name both variables.
import { z } from 'zod';
import { DEFAULT_RESOURCE_MAXIMA, NamespaceSchema, ObjectNameSchema } from '@foxhound/contracts';
import { baseServiceEnvShape, env } from '@foxhound/service-kit';
import { parseSandboxCommand } from '../backends/local/sandbox-command';

const quantity = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?$/, 'expected a Kubernetes quantity such as 500m, 1Gi');

export const ManagerConfigSchema = z
  .object({
    ...baseServiceEnvShape,
    PORT: env.port(8081),
    /** Where sandboxes live: executor processes on this machine, or agent-sandbox objects in a cluster. */
    SANDBOX_BACKEND: z.enum(['local', 'kubernetes']).default('local'),
    /** Bearer token callers (the gateway) must present; unset disables auth (local demo only). */
    MANAGER_AUTH_TOKEN: env.token().optional(),
    SANDBOX_NAMESPACE: NamespaceSchema.default('foxhound-sandboxes'),
    SANDBOX_DEFAULT_TTL_SECONDS: env.int(1800, 60, 86_400),
    /** How long an acquisition waits for a sandbox to become ready. */
    SANDBOX_READY_TIMEOUT_SECONDS: env.int(90, 1, 3600),
    SANDBOX_MAX_TOTAL: env.int(100, 1, 100_000),
    SANDBOX_MAX_PER_OWNER: env.int(10, 1, 100_000),
    /** How often the reaper looks for sandboxes whose time is up. */
    SANDBOX_REAP_INTERVAL_SECONDS: env.int(30, 1, 3600),
    /** Kubernetes: how long past its shutdownTime the reaper leaves an object to the controller. */
    SANDBOX_REAP_GRACE_SECONDS: env.int(30, 0, 86_400),

    // Kubernetes backend (agent-sandbox v1beta1).
    /** `claim`: SandboxClaim against SANDBOX_WARM_POOL. `sandbox`: bare Sandbox objects (no extensions). */
    SANDBOX_MODE: z.enum(['claim', 'sandbox']).default('claim'),
    SANDBOX_TEMPLATE: ObjectNameSchema.default('foxhound-executor'),
    SANDBOX_WARM_POOL: ObjectNameSchema.default('foxhound-executor'),
    /** Claim mode: when above 0, the manager patches the SandboxWarmPool's replicas from demand between SANDBOX_WARM_POOL_MIN and this (needs patch on sandboxwarmpools). 0 leaves the replicas as deployed. */
    SANDBOX_WARM_POOL_MAX: env.int(0, 0, 1000),
    SANDBOX_WARM_POOL_MIN: env.int(1, 0, 1000),
    /** Pod settings for `sandbox` mode, where no SandboxTemplate exists to carry them. */
    SANDBOX_IMAGE: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._/:@-]{0,254}$/, 'expected an image reference')
      .optional(),
    SANDBOX_PORT: env.int(8888, 1, 65_535),
    SANDBOX_RUNTIME_CLASS: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/)
      .optional(),
    SANDBOX_SERVICE_ACCOUNT: ObjectNameSchema.default('foxhound-executor'),
    SANDBOX_CPU_LIMIT: quantity.default('1'),
    SANDBOX_MEMORY_LIMIT: quantity.default('1Gi'),
    SANDBOX_EPHEMERAL_STORAGE_LIMIT: quantity.default('2Gi'),

    // Local backend (one machine, no Kubernetes).
    /** `auto` picks the strongest driver found: gvisor, then bwrap, then none (with a loud warning). */
    LOCAL_ISOLATION: z.enum(['auto', 'gvisor', 'bwrap', 'none']).default('auto'),
    /** The warm pool's floor: kept ready even when idle. */
    LOCAL_WARM_POOL_SIZE: env.int(2, 0, 64),
    /** The warm pool's ceiling: it grows toward it with the acquisition rate, and to it in a burst. 0 keeps none warm. */
    LOCAL_WARM_POOL_MAX: env.int(8, 0, 256),
    /** Sandbox starts in flight at once (the CPU budget); 0 means one per CPU core. */
    LOCAL_START_CONCURRENCY: env.int(0, 0, 64),
    /** Acquisitions that may wait for a sandbox to start; one more gets 429 with Retry-After. */
    SANDBOX_QUEUE_MAX: env.int(100, 1, 10_000),
    /** How long one acquisition waits for a start before 503 with Retry-After. */
    SANDBOX_QUEUE_WAIT_SECONDS: env.int(60, 1, 3600),
    /** The sandbox program: a JSON array of argv, or words split on spaces. It must serve GET /healthz on $PORT. */
    LOCAL_SANDBOX_COMMAND: z
      .string()
      .optional()
      .transform((value, ctx) => {
        try {
          return parseSandboxCommand(value);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message });
          return z.NEVER;
        }
      }),
    LOCAL_MEMORY_MB: env.int(1024, 64, 65_536),
    /** CPU quota in percent of one core (200 = two cores). */
    LOCAL_CPU_PERCENT: env.int(100, 1, 6400),
    LOCAL_PIDS_MAX: env.int(256, 8, 65_536),
    /** Hard wall-clock cap on one sandbox process, whatever its TTL renewals say. */
    LOCAL_MAX_LIFETIME_SECONDS: env.int(14_400, 1, 604_800),
    /** Parent of every sandbox's private directory (scratch, runsc state); created if missing. */
    LOCAL_SANDBOX_ROOT: z
      .string()
      .startsWith('/', 'must be an absolute path')
      .default('/var/tmp/foxhound-sandboxes'),
    /** The uid/gid sandboxes run as when the manager runs as root (root inside a sandbox could read root-only host files). */
    LOCAL_SANDBOX_UID: env.int(65_534, 1, 4_294_967_294),
    LOCAL_SANDBOX_GID: env.int(65_534, 1, 4_294_967_294),

    // Remediation actions (the only cluster writes besides sandboxes), each approved by a human.
    /** Off: the /v1/actions routes answer 403, so a read-only install cannot write. */
    ACTIONS_ENABLED: env.bool(false),
    /** Where the writer ServiceAccount lives: the manager's own namespace (protected; execution records live here too). */
    ACTIONS_WRITER_NAMESPACE: NamespaceSchema.default('foxhound'),
    ACTIONS_WRITER_SERVICE_ACCOUNT: ObjectNameSchema.default('foxhound-action-writer'),
    /** Per-action-type ClusterRoles are named `<prefix><action-type-in-kebab-case>` (rendered by the chart). */
    ACTIONS_CLUSTER_ROLE_PREFIX: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9.]*[-a-z0-9.])?$/, 'expected the start of an RBAC object name')
      .max(200)
      .default('foxhound-action-'),
    /** Namespaces never touched, beyond kube-system, kube-public, kube-node-lease and Foxhound's own. */
    ACTIONS_PROTECTED_NAMESPACES: env.list().pipe(z.array(NamespaceSchema).max(200)),
    /** `key` or `key=value`: objects carrying it are refused, like Foxhound's own. */
    ACTIONS_PROTECTED_LABEL: z
      .string()
      .regex(/^[A-Za-z0-9._/-]{1,253}(=[A-Za-z0-9._-]{0,63})?$/, 'expected key or key=value')
      .optional(),
    ACTIONS_SCALE_MIN: env.int(0, 0, 1000),
    ACTIONS_SCALE_MAX: env.int(50, 0, 1000),
    /** The most CPU and memory a PatchContainerResources may give one container (request or limit). */
    ACTIONS_MAX_CPU: quantity.default(DEFAULT_RESOURCE_MAXIMA.cpu),
    ACTIONS_MAX_MEMORY: quantity.default(DEFAULT_RESOURCE_MAXIMA.memory),
    /** How long the observer waits for the target to recover after an apply. */
    ACTIONS_RECOVERY_WINDOW_SECONDS: env.int(120, 1, 86_400),
    /** After a failed recovery, how long (from the apply) a late recovery still counts. */
    ACTIONS_LATE_RECOVERY_SECONDS: env.int(900, 1, 604_800),
    /** How often the observer reads the target. */
    ACTIONS_OBSERVE_INTERVAL_MS: env.int(2000, 20, 60_000),
  })
  .superRefine((config, ctx) => {
    if (config.ACTIONS_SCALE_MIN > config.ACTIONS_SCALE_MAX) {
      ctx.addIssue({
        code: 'custom',
        path: ['ACTIONS_SCALE_MIN'],
        message: `must not exceed ACTIONS_SCALE_MAX (${config.ACTIONS_SCALE_MAX})`,
      });
    }
    if (config.ACTIONS_LATE_RECOVERY_SECONDS < config.ACTIONS_RECOVERY_WINDOW_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['ACTIONS_LATE_RECOVERY_SECONDS'],
        message: `must be at least ACTIONS_RECOVERY_WINDOW_SECONDS (${config.ACTIONS_RECOVERY_WINDOW_SECONDS})`,
      });
    }
    if (config.SANDBOX_MAX_PER_OWNER > config.SANDBOX_MAX_TOTAL) {
      ctx.addIssue({
        code: 'custom',
        path: ['SANDBOX_MAX_PER_OWNER'],
        message: `must not exceed SANDBOX_MAX_TOTAL (${config.SANDBOX_MAX_TOTAL})`,
      });
    }
    if (
      config.SANDBOX_BACKEND === 'kubernetes' &&
      config.SANDBOX_MODE === 'sandbox' &&
      !config.SANDBOX_IMAGE
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['SANDBOX_IMAGE'],
        message:
          'is required when SANDBOX_MODE=sandbox (bare Sandboxes have no SandboxTemplate to name the image)',
      });
    }
    if (config.SANDBOX_WARM_POOL_MAX > 0 && config.SANDBOX_WARM_POOL_MIN > config.SANDBOX_WARM_POOL_MAX) {
      ctx.addIssue({
        code: 'custom',
        path: ['SANDBOX_WARM_POOL_MIN'],
        message: `must not exceed SANDBOX_WARM_POOL_MAX (${config.SANDBOX_WARM_POOL_MAX})`,
      });
    }
    if (config.LOCAL_WARM_POOL_SIZE > config.LOCAL_WARM_POOL_MAX) {
      ctx.addIssue({
        code: 'custom',
        path: ['LOCAL_WARM_POOL_SIZE'],
        message: `must not exceed LOCAL_WARM_POOL_MAX (${config.LOCAL_WARM_POOL_MAX})`,
      });
    }
    if (config.LOCAL_WARM_POOL_SIZE > config.SANDBOX_MAX_TOTAL) {
      ctx.addIssue({
        code: 'custom',
        path: ['LOCAL_WARM_POOL_SIZE'],
        message: `must not exceed SANDBOX_MAX_TOTAL (${config.SANDBOX_MAX_TOTAL})`,
      });
    }
  });
export type ManagerConfig = z.infer<typeof ManagerConfigSchema>;
