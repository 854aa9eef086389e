// Wires the gateway: store, upstream clients, auth, limits, the investigation runner and routes.
import { type Express } from 'express';
import {
  ConflictError,
  createRedactor,
  createServiceMetrics,
  DrainController,
  InputError,
  ServiceUnavailableError,
  createServiceApp,
  type Logger,
  type ServiceApp,
} from '@foxhound/service-kit';
import { StoreConflictError, StoreInputError, StoreUnavailableError, type Store } from '@foxhound/store';
import { ActionEventLog } from '../actions/action-events';
import { ActionService } from '../actions/action-service';
import { ProposalRecorder } from '../actions/proposal-recorder';
import { auditStateChanges } from '../auth/audit-requests';
import { authenticate } from '../auth/authenticate';
import { DenialLedger } from '../auth/denial-ledger';
import { createJwtVerifier } from '../auth/jwt';
import { type GatewayConfig } from '../config/schema';
import { LiveHub } from '../investigations/live-hub';
import { IdleSandboxRelease } from '../investigations/idle-release';
import { InvestigationRunner } from '../investigations/runner';
import { RunLease } from '../investigations/run-lease';
import { ConcurrencyLimiter, RateLimiter, type RateLimit, type SlotPool } from '../limits/rate-limit';
import { rateLimit } from '../limits/rate-limit-middleware';
import { pruneRatesEvery, SharedRateLimiter, SharedSlotPool } from '../limits/shared-limits';
import { sourceRateLimit } from '../limits/source-limit';
import { StoreTail } from '../sse/store-tail';
import { storableQuery } from '../input/storable';
import { mcpRoutes } from '../mcp/mcp-routes';
import { createGatewayMetrics } from '../observability/metrics';
import { buildOpenApiDocument } from '../openapi/document';
import { actionRoutes } from '../routes/actions';
import { adminRoutes } from '../routes/admin';
import { alertRoutes } from '../routes/alerts';
import { consoleRoutes } from '../routes/console';
import { type RouteDeps } from '../routes/deps';
import { investigateRoutes } from '../routes/investigate';
import { investigationRoutes } from '../routes/investigations';
import { whoamiRoutes } from '../routes/whoami';
import { ManagerClient } from '../upstream/manager-client';
import { RouterClient } from '../upstream/router-client';
import { eventsPort } from './store-adapter';

export interface GatewayApp extends ServiceApp {
  runner: InvestigationRunner;
  actions: ActionService;
  /** Unauthenticated denials, counted per source and minute; `flush(true)` writes them now. */
  denials: DenialLedger;
  /** Background work: expiring proposals, resuming executions that were in flight. */
  startBackground(): void;
  stopBackground(): Promise<void>;
}

export const GATEWAY_VERSION = '0.1.0';

export function createGatewayApp(options: {
  config: GatewayConfig;
  store: Store;
  logger: Logger;
  drain?: DrainController;
  /** The built console's folder; defaults to dist/console (the browser tests build their own). */
  consoleDir?: string;
  /** Injected in tests to point at fakes; defaults to the configured URLs. */
  fetch?: typeof fetch;
}): GatewayApp {
  const { config, store, logger } = options;
  const serviceMetrics = createServiceMetrics('gateway');
  const metrics = createGatewayMetrics(serviceMetrics, () => runner.storeBacklog());
  const manager = new ManagerClient({
    baseUrl: config.SANDBOX_MANAGER_URL,
    token: config.SANDBOX_MANAGER_TOKEN,
    timeoutMs: config.GATEWAY_SANDBOX_TIMEOUT_SECONDS * 1000,
    fetch: options.fetch,
  });
  const router = new RouterClient({ baseUrl: config.SANDBOX_ROUTER_URL, token: config.ROUTER_AUTH_TOKEN });
  const hub = new LiveHub();
  const storeRetryMs = config.GATEWAY_STORE_RETRY_SECONDS * 1000;
  const events = eventsPort(store, {
    maxPending: config.GATEWAY_STORE_BUFFER_EVENTS,
    closeTimeoutMs: storeRetryMs,
    onError: (err, info) => {
      if (!info.fatal) metrics.storeRetries.inc({ write: 'events' });
      logger.warn(
        { err: err.message, ...info },
        info.fatal ? 'events could not be stored' : 'retrying event writes',
      );
    },
  });
  const ttlMs = config.GATEWAY_PROPOSAL_TTL_SECONDS * 1000;
  const recorder = new ProposalRecorder({ proposals: store.proposals, manager, ttlMs, logger });
  const idleRelease = new IdleSandboxRelease({
    manager,
    investigations: store.investigations,
    logger,
    idleMs: config.GATEWAY_SANDBOX_IDLE_SECONDS * 1000,
    alertIdleMs: config.GATEWAY_ALERT_SANDBOX_IDLE_SECONDS * 1000,
    busy: (threadId): boolean => runner.isBusy(threadId),
  });
  // On PostgreSQL several replicas may run: credential rate limits and running-investigation slots are
  // counted in the database, so they hold across replicas. PGlite means exactly one process.
  const leaseMs = config.GATEWAY_RUN_LEASE_SECONDS * 1000;
  const sharedLimits = store.engine === 'postgres';
  const slotPool = (pool: string, max: number): SlotPool =>
    sharedLimits
      ? new SharedSlotPool({ limits: store.limits, pool, max, staleMs: leaseMs, logger })
      : new ConcurrencyLimiter(max);
  const rateLimiter = (scope: string, perMinute: number): RateLimit =>
    sharedLimits
      ? new SharedRateLimiter({
          limits: store.limits,
          scope,
          perMinute,
          logger,
          onFallback: () => metrics.limitFallbacks.inc(),
        })
      : new RateLimiter(perMinute);
  const slotPools = [
    slotPool('api', config.GATEWAY_MAX_RUNNING_INVESTIGATIONS),
    slotPool('alert', config.GATEWAY_MAX_RUNNING_ALERT_INVESTIGATIONS),
  ];
  const tail = new StoreTail(store, logger);
  const runner: InvestigationRunner = new InvestigationRunner({
    proposals: recorder,
    investigations: store.investigations,
    events,
    audit: store.audit,
    manager,
    router,
    hub,
    concurrency: slotPools[0]!,
    alertConcurrency: slotPools[1]!,
    idleRelease,
    logger,
    turnTimeoutMs: config.GATEWAY_TURN_TIMEOUT_SECONDS * 1000,
    executorIdleMs: config.GATEWAY_EXECUTOR_IDLE_SECONDS * 1000,
    storeRetryMs,
    maxPendingWrites: 1000,
    eventHighWater: Math.floor(config.GATEWAY_STORE_BUFFER_EVENTS / 2),
    redactor: createRedactor(config.GATEWAY_REDACT_PATTERNS),
    onStoreRetry: (write) => metrics.storeRetries.inc({ write }),
    onFinished: (outcome) => metrics.finished(outcome),
  });
  const lease = new RunLease({
    store: store.liveness,
    activeIds: () => runner.activeIds(),
    leaseMs,
    logger,
    onSwept: (count) => metrics.swept.inc(count),
  });
  const actions = new ActionService({
    proposals: store.proposals,
    investigations: store.investigations,
    audit: store.audit,
    manager,
    events: new ActionEventLog(events, hub, (id, event) => runner.emitLive(id, event), logger),
    logger,
    allowSelfApproval: config.GATEWAY_ALLOW_SELF_APPROVAL,
    ttlMs,
    onDecision: (decision) => metrics.decisions.inc({ decision }),
    pollMs: config.GATEWAY_ACTION_POLL_SECONDS * 1000,
  });
  const jwtSecretOrJwks = config.GATEWAY_JWT_SECRET ?? config.GATEWAY_JWT_JWKS_URL;
  const jwt =
    jwtSecretOrJwks && config.GATEWAY_JWT_ISSUER && config.GATEWAY_JWT_AUDIENCE
      ? createJwtVerifier({
          secret: config.GATEWAY_JWT_SECRET,
          jwksUrl: config.GATEWAY_JWT_JWKS_URL,
          issuer: config.GATEWAY_JWT_ISSUER,
          audience: config.GATEWAY_JWT_AUDIENCE,
        })
      : undefined;
  const openApi = buildOpenApiDocument(GATEWAY_VERSION);
  const denials = new DenialLedger({
    audit: store.audit,
    logger,
    onDenied: (reason) => metrics.deniedRequests.inc({ reason }),
  });
  const drain = options.drain ?? new DrainController();

  const service = createServiceApp({
    service: 'gateway',
    metrics: serviceMetrics,
    logger,
    drain,
    readiness: [
      { name: 'store', check: () => store.ping() },
      { name: 'sandbox-manager', check: () => manager.ready() },
    ],
    mapError: (err) => {
      if (err instanceof StoreUnavailableError)
        return new ServiceUnavailableError('The store is unavailable; try again shortly.', { cause: err });
      // Bad input that only the store noticed (a malformed cursor, an out-of-range field) is still the caller's.
      if (err instanceof StoreInputError) return new InputError(err.message, { cause: err });
      if (err instanceof StoreConflictError) return new ConflictError(err.message, { cause: err });
      return err;
    },
    routes: (app: Express) => {
      // Browsers ask for it on every console visit: answer before any limit or credential check.
      app.get('/favicon.ico', (_req, res) => {
        res.status(204).end();
      });
      app.use(
        sourceRateLimit({
          limiter: new RateLimiter(config.GATEWAY_SOURCE_RATE_LIMIT_PER_MINUTE),
          trustedProxyHops: config.GATEWAY_TRUSTED_PROXY_HOPS,
          denials,
        }),
      );
      app.get('/openapi.json', (_req, res) => {
        res.json(openApi);
      });
      consoleRoutes(app, options.consoleDir);
      app.use(authenticate({ mode: config.GATEWAY_AUTH_MODE, apiKeys: store.apiKeys, jwt, denials }));
      app.use(
        rateLimit(
          rateLimiter('api', config.GATEWAY_RATE_LIMIT_PER_MINUTE),
          rateLimiter('alert', config.GATEWAY_ALERT_RATE_LIMIT_PER_MINUTE),
        ),
      );
      app.use(auditStateChanges(store.audit, logger));
      app.use(storableQuery);
      const deps: RouteDeps = {
        runner,
        hub,
        investigations: store.investigations,
        events,
        audit: store.audit,
        keys: store.apiKeys,
        logger,
        drain,
        heartbeatMs: config.GATEWAY_HEARTBEAT_SECONDS * 1000,
        onClientDisconnect: config.GATEWAY_ON_CLIENT_DISCONNECT,
        tail,
        // Notices wake tails; this check only catches an end without a stored terminal event.
        replayCheckMs: 30_000,
        liveStreams: metrics.liveStreams,
      };
      investigateRoutes(app, deps);
      investigationRoutes(app, deps);
      alertRoutes(app, deps);
      actionRoutes(app, { ...deps, actions, proposals: store.proposals });
      adminRoutes(app, deps);
      mcpRoutes(app, { ...deps, proposals: store.proposals, version: GATEWAY_VERSION });
      whoamiRoutes(app, { allowSelfApproval: config.GATEWAY_ALLOW_SELF_APPROVAL });
    },
  });
  let expiry: NodeJS.Timeout | undefined;
  let stopPruning: () => void = () => undefined;
  return {
    ...service,
    runner,
    actions,
    denials,
    startBackground: () => {
      lease.start();
      for (const pool of slotPools) if (pool instanceof SharedSlotPool) pool.start();
      if (sharedLimits) stopPruning = pruneRatesEvery(store.limits, 60_000, logger);
      denials.start();
      void actions
        .resume()
        .catch((err: unknown) => logger.error({ err }, 'could not resume action executions'));
      expiry = setInterval(() => {
        actions.expireDue().catch((err: unknown) => logger.error({ err }, 'could not expire proposals'));
      }, 30_000);
      expiry.unref();
    },
    stopBackground: async () => {
      clearInterval(expiry);
      stopPruning();
      idleRelease.stop();
      await tail.stop();
      for (const pool of slotPools) if (pool instanceof SharedSlotPool) await pool.stop();
      await lease.stop();
      await denials.stop();
      await actions.stop();
    },
  };
}
