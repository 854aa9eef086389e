// The gateway's whole configuration, read from the environment once at startup. Defaults here are
// the complete default config; cross-field rules name both variables.
import { z } from 'zod';
import { baseServiceEnvShape, env, parseRedactPatterns } from '@foxhound/service-kit';

export const GatewayConfigSchema = z
  .object({
    ...baseServiceEnvShape,
    PORT: env.port(8000),
    /** PostgreSQL URL; unset means PGlite in GATEWAY_DATA_DIR. */
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL')
      .optional(),
    /** PGlite data directory; `memory` keeps everything in memory (tests, throwaway demos). */
    GATEWAY_DATA_DIR: z.string().default('.foxhound/gateway-data'),
    SANDBOX_MANAGER_URL: env.url(),
    SANDBOX_MANAGER_TOKEN: env.token().optional(),
    SANDBOX_ROUTER_URL: env.url(),
    ROUTER_AUTH_TOKEN: env.token().optional(),
    /** `keys`: API keys and JWT required. `open`: no authentication (local demo only; logged loudly). */
    GATEWAY_AUTH_MODE: z.enum(['keys', 'open']).default('keys'),
    /** An admin key accepted at startup (stored hashed), so a fresh install can create real keys. */
    GATEWAY_BOOTSTRAP_ADMIN_KEY: z
      .string()
      .regex(/^fh_[A-Za-z0-9_-]{32,}$/, 'expected fh_ followed by at least 32 URL-safe characters')
      .optional(),
    GATEWAY_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    GATEWAY_JWT_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
    GATEWAY_JWT_ISSUER: z.string().min(1).optional(),
    GATEWAY_JWT_AUDIENCE: z.string().min(1).optional(),
    GATEWAY_RATE_LIMIT_PER_MINUTE: env.int(60, 1, 100_000),
    /** Requests per minute from one source address (IPv6 by /64), checked before authentication. */
    GATEWAY_SOURCE_RATE_LIMIT_PER_MINUTE: env.int(1200, 1, 1_000_000),
    /** Reverse proxies in front of the gateway whose X-Forwarded-For entries are trusted (0: use the peer address). */
    GATEWAY_TRUSTED_PROXY_HOPS: env.int(0, 0, 10),
    GATEWAY_MAX_RUNNING_INVESTIGATIONS: env.int(8, 1, 10_000),
    /** Running investigations started by alerts, per replica, counted apart from the API's. */
    GATEWAY_MAX_RUNNING_ALERT_INVESTIGATIONS: env.int(8, 1, 10_000),
    /** Requests per minute per credential on the alert webhooks, apart from its other requests. */
    GATEWAY_ALERT_RATE_LIMIT_PER_MINUTE: env.int(600, 1, 100_000),
    /** A finished turn's sandbox is released after its thread is idle this long (follow-ups within it reuse it). */
    GATEWAY_SANDBOX_IDLE_SECONDS: env.number(600, 0.05, 86_400),
    /** The same for turns started by alerts. */
    GATEWAY_ALERT_SANDBOX_IDLE_SECONDS: env.number(60, 0.05, 86_400),
    GATEWAY_HEARTBEAT_SECONDS: env.int(15, 1, 300),
    /** What happens to an investigation whose client disconnects: keep running (default) or interrupt it. */
    GATEWAY_ON_CLIENT_DISCONNECT: z.enum(['continue', 'interrupt']).default('continue'),
    /** Upper bound on sandbox acquisition (the manager's own readiness deadline should be shorter). */
    GATEWAY_SANDBOX_TIMEOUT_SECONDS: env.int(150, 1, 3600),
    /** Upper bound on one investigation turn, end to end. */
    GATEWAY_TURN_TIMEOUT_SECONDS: env.int(900, 1, 86_400),
    /** Seconds without any byte (event or heartbeat) from the executor before the stream counts as dead. */
    GATEWAY_EXECUTOR_IDLE_SECONDS: env.int(60, 1, 3600),
    /**
     * Lets the principal who started an investigation approve its actions (single-operator installs).
     * Off by default; every waived check is audited.
     */
    GATEWAY_ALLOW_SELF_APPROVAL: env.bool(false),
    /** How long a proposal can be approved before it expires. */
    GATEWAY_PROPOSAL_TTL_SECONDS: env.int(3600, 60, 7 * 86_400),
    /** How often an applied action's progress (recovery) is read from the sandbox-manager. */
    GATEWAY_ACTION_POLL_SECONDS: env.number(2, 0.05, 60),
    /** How long a turn's store writes (events, audits, proposals, its outcome) are retried while the store is away. */
    GATEWAY_STORE_RETRY_SECONDS: env.int(300, 1, 3600),
    /** Events of one turn buffered for an unavailable store; past it the turn ends with `store_unavailable`. */
    GATEWAY_STORE_BUFFER_EVENTS: env.int(10_000, 100, 1_000_000),
    /** A running investigation whose gateway has not renewed its lease for this long is ended by the sweeper. */
    GATEWAY_RUN_LEASE_SECONDS: env.int(120, 2, 86_400),
    /** Extra secret patterns to redact from events before they are stored: a JSON array of regular expressions. */
    GATEWAY_REDACT_PATTERNS: z
      .string()
      .optional()
      .transform((raw, ctx) => {
        try {
          return parseRedactPatterns(raw);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message });
          return z.NEVER;
        }
      }),
  })
  .superRefine((config, ctx) => {
    if (config.GATEWAY_JWT_SECRET && config.GATEWAY_JWT_JWKS_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['GATEWAY_JWT_SECRET'],
        message: 'set either GATEWAY_JWT_SECRET or GATEWAY_JWT_JWKS_URL, not both',
      });
    }
    const jwt = config.GATEWAY_JWT_SECRET ?? config.GATEWAY_JWT_JWKS_URL;
    if (jwt && (!config.GATEWAY_JWT_ISSUER || !config.GATEWAY_JWT_AUDIENCE)) {
      ctx.addIssue({
        code: 'custom',
        path: ['GATEWAY_JWT_ISSUER'],
        message:
          'JWT auth needs GATEWAY_JWT_ISSUER and GATEWAY_JWT_AUDIENCE so tokens minted for others are refused',
      });
    }
  });
export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;
