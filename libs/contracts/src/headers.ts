// Header names shared across services. Each literal lives here exactly once; services import the
// constant. Header names are lower-case because node's http module lower-cases incoming headers.

/** The sandbox-router's request contract (compatible with the agent-sandbox SIG router). */
export const SandboxHeaders = {
  id: 'x-sandbox-id',
  namespace: 'x-sandbox-namespace',
  port: 'x-sandbox-port',
  podIp: 'x-sandbox-pod-ip',
  timeout: 'x-sandbox-timeout',
} as const;

/** Every header that starts with this prefix is routing metadata and is never forwarded upstream. */
export const SANDBOX_HEADER_PREFIX = 'x-sandbox-';

export const REQUEST_ID_HEADER = 'x-request-id';
export const THREAD_ID_HEADER = 'x-thread-id';
export const TRACEPARENT_HEADER = 'traceparent';
export const LAST_EVENT_ID_HEADER = 'last-event-id';

/** The port the executor listens on inside a sandbox, and the router's default target port. */
export const EXECUTOR_PORT = 8888;
