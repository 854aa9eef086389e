// @foxhound/service-kit: what every Foxhound service is built from. Env config validated by one zod
// schema, pino JSON logs with redaction, prom-client metrics, /healthz /readyz /metrics, typed HTTP
// errors mapped to `{"detail","code"}`, bounded JSON bodies, the SSE writer and parser, and graceful
// shutdown that drains requests and streams.
export { ConfigError, baseServiceEnvShape, env, loadConfig, type Env } from './config/load-config';
export {
  AuthenticationError,
  ConflictError,
  GatewayTimeoutError,
  HttpError,
  InputError,
  NotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  ServiceUnavailableError,
  UpstreamError,
  toErrorResponse,
} from './errors/http-errors';
export { accessLog } from './middleware/access-log';
export { bearerAuth, bearerToken, createBearerCheck, safeEqual } from './middleware/bearer-auth';
export { errorHandler, notFound, type ErrorMapper } from './middleware/error-handler';
export { httpMetrics, routeTemplate } from './middleware/http-metrics';
export { jsonBody, parseInput } from './middleware/json-body';
export { acceptRequestId, requestId } from './middleware/request-id';
export { createLogger, type Logger, type LoggerOptions } from './observability/logger';
export { createRedactor, parseRedactPatterns, REDACTED, type Redactor } from './observability/redact';
export { createServiceMetrics, metricPrefix, type ServiceMetrics } from './observability/metrics';
// Services declare their own collectors on the registry ServiceMetrics holds.
export { Counter, Gauge } from 'prom-client';
export { createServiceApp, type ServiceApp, type ServiceAppOptions } from './server/create-app';
export { DrainController } from './server/drain';
export { startServer, type RunningServer, type StartServerOptions } from './server/lifecycle';
export { probeRoutes, runReadinessChecks, type ReadinessCheck } from './server/probes';
export { runMain, type Service } from './server/run-main';
export {
  runEventStream,
  startEventStream,
  type EventSink,
  type EventStreamOptions,
} from './sse/event-stream';
export { formatSseComment, formatSseFrame, type SseFrame } from './sse/format';
export {
  StreamIdleError,
  openEventStream,
  type OpenEventStreamOptions,
  type OpenedEventStream,
} from './sse/client';
export { parseSse, type ParsedSseFrame } from './sse/parse';
