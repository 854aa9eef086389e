// The HTTP relay: validate, resolve, forward, stream back. Plain node:http with one keep-alive agent
// (bounded sockets per host) instead of http-proxy's web pass, which rewrites paths (collapses `//`,
// turns `\` into `/`), copies hop-by-hop response headers and does not abort the upstream request when
// a client leaves an open stream; README "Compatibility" has the details. Bodies are piped both ways
// with no buffering, response heads without a length are flushed at once (an SSE stream's first event
// is not held back), and an idle timeout, not a wall clock, governs long streams.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { type LookupFunction, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Registry } from 'prom-client';
import { type DrainController, HttpError, type Logger, UpstreamError } from '@foxhound/service-kit';
import { type Authorizer } from '../authz/bearer';
import { type RouterConfig } from '../config/env';
import { createRouterMetrics, type RouterMetrics } from '../observability/metrics';
import { createAddressPolicy } from './address';
import { admit, logFailure, type ProxyContext } from './context';
import { RouterErrorCode, sendError, toHopError, UpstreamHopError } from './errors';
import { type SandboxTarget } from './headers';
import { guardedLookup } from './lookup';
import { createResolver, type SandboxLocator, type Upstream } from './resolve';
import { DEFAULT_RETRY_DELAYS_MS, retryDelay } from './retry';
import { forwardRequestHeaders, forwardResponseHeaders } from './target';
import { createWebSocketRelay } from './websocket';

export type ProxyConfig = Pick<
  RouterConfig,
  | 'defaultNamespace'
  | 'allowedPorts'
  | 'podCidrs'
  | 'clusterDomain'
  | 'idleTimeoutMs'
  | 'connectTimeoutMs'
  | 'allowLoopbackUpstream'
  | 'maxSocketsPerHost'
>;

export interface ProxyHandlerOptions {
  config: ProxyConfig;
  logger: Logger;
  /** Absent: counted on a registry nobody reads. */
  metrics?: RouterMetrics;
  /** Absent: X-Sandbox-Pod-IP, then cluster DNS. */
  locator?: SandboxLocator;
  /** Absent: every request is allowed. */
  authorizer?: Authorizer;
  /** Tracks WebSocket tunnels for graceful shutdown (HTTP requests are tracked by startServer). */
  drain?: DrainController;
  /** The upstream agent; tests inject one that records dials instead of making them. */
  agent?: http.Agent;
  /** The DNS step under the address guard; tests inject a fake resolver. */
  lookup?: LookupFunction;
  retryDelaysMs?: readonly number[];
}

export interface ProxyHandler {
  web(req: IncomingMessage, res: ServerResponse): void;
  upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void;
  /** Destroys open WebSocket tunnels (the shutdown deadline passed) and the agent's sockets. */
  close(): void;
}

export function createProxyHandler(options: ProxyHandlerOptions): ProxyHandler {
  const { config } = options;
  const addressPolicy = createAddressPolicy(config);
  const agent =
    options.agent ??
    new http.Agent({
      keepAlive: true,
      maxSockets: config.maxSocketsPerHost,
      maxFreeSockets: config.maxSocketsPerHost,
      scheduling: 'lifo',
      noDelay: true,
    });
  const context: ProxyContext = {
    rules: {
      defaultNamespace: config.defaultNamespace,
      allowedPorts: config.allowedPorts,
      idleTimeoutMs: config.idleTimeoutMs,
      addressPolicy,
    },
    resolve: createResolver({ clusterDomain: config.clusterDomain, locator: options.locator }),
    locator: options.locator,
    authorizer: options.authorizer,
    logger: options.logger,
    metrics: options.metrics ?? createRouterMetrics(new Registry(), 'unread_'),
    lookup: guardedLookup(addressPolicy, options.lookup),
    agent,
    connectTimeoutMs: config.connectTimeoutMs,
    retryDelaysMs: options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
  };
  const webSockets = createWebSocketRelay(context, options.drain);

  return {
    web(req, res) {
      const admitted = admit(context, req);
      if (admitted instanceof HttpError) {
        logFailure(context, req, admitted);
        context.metrics.request(req.method ?? '', admitted.status, 'none');
        sendError(res, admitted);
        return;
      }
      new HttpExchange(context, req, res, admitted.target, admitted.path).start();
    },
    upgrade: webSockets.upgrade,
    close() {
      webSockets.closeAll();
      agent.destroy();
    },
  };
}

const NO_BODY_STATUS = new Set([204, 304]);

/** One proxied HTTP request, across its attempts. */
class HttpExchange {
  private upstream: Upstream | undefined;
  private proxyReq: http.ClientRequest | undefined;
  private retries = 0;
  private bodyStarted = false;
  private responded = false;
  private clientGone = false;
  private failed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly hasBody: boolean;

  constructor(
    private readonly context: ProxyContext,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly target: SandboxTarget,
    private readonly path: string,
  ) {
    const length = req.headers['content-length'];
    this.hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  }

  start(): void {
    this.context.metrics.inFlight.inc();
    // The upstream's Date passes through; ours would be a duplicate.
    this.res.sendDate = false;
    this.res.once('close', () => this.onClientClose());
    this.attempt();
  }

  private attempt(): void {
    this.context.resolve(this.target).then(
      (upstream) => this.send(upstream),
      (err: unknown) => this.fail(err),
    );
  }

  private send(upstream: Upstream): void {
    if (this.clientGone) return;
    this.upstream = upstream;
    const { req, context } = this;
    let proxyReq: http.ClientRequest;
    try {
      proxyReq = http.request({
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: this.path,
        headers: forwardRequestHeaders(req.headers, {
          hostHeader: upstream.hostHeader,
          remoteAddress: req.socket.remoteAddress,
        }),
        agent: context.agent,
        lookup: context.lookup,
        setHost: false,
      });
    } catch (err) {
      this.fail(err);
      return;
    }
    this.proxyReq = proxyReq;
    const sentAt = performance.now();
    // Covers waiting for a pooled socket, DNS and the TCP handshake.
    const connectTimer = setTimeout(() => {
      const timedOut = new UpstreamHopError(RouterErrorCode.connectTimeout, 'connect timed out');
      proxyReq.destroy(timedOut);
      // A request still queued in the agent emits its error only once a socket frees up: answer now.
      this.fail(timedOut);
    }, context.connectTimeoutMs);
    const connected = () => {
      clearTimeout(connectTimer);
      proxyReq.setTimeout(this.target.idleTimeoutMs, () => {
        proxyReq.destroy(
          new UpstreamHopError(RouterErrorCode.idleTimeout, 'no bytes moved within the idle timeout'),
        );
      });
      // The body is read from the client only now, so a connect failure can still be retried.
      if (this.hasBody) {
        this.bodyStarted = true;
        req.pipe(proxyReq);
      }
    };
    proxyReq.once('socket', (socket: Socket) => {
      if (socket.connecting) socket.once('connect', connected);
      else connected();
    });
    proxyReq.on('error', (err) => {
      clearTimeout(connectTimer);
      if (proxyReq === this.proxyReq) this.fail(err);
    });
    proxyReq.once('response', (proxyRes) => {
      context.metrics.upstreamLatency(upstream.source, (performance.now() - sentAt) / 1000);
      this.relayResponse(proxyRes);
    });
    if (!this.hasBody) proxyReq.end();
  }

  private relayResponse(proxyRes: IncomingMessage): void {
    const { res } = this;
    this.responded = true;
    if (this.clientGone) {
      this.proxyReq?.destroy();
      return;
    }
    const status = proxyRes.statusCode ?? 502;
    try {
      res.writeHead(status, proxyRes.statusMessage, forwardResponseHeaders(proxyRes.rawHeaders));
    } catch (err) {
      // node refused to write the upstream's head back out (a header value it rejects on output).
      this.proxyReq?.destroy();
      this.fail(
        new UpstreamError(`Invalid response from the backend sandbox: ${this.target.id}`, { cause: err }),
      );
      return;
    }
    const headers = proxyRes.headers;
    if (String(headers['content-type']).startsWith('text/event-stream')) {
      const streams = this.context.metrics.streams;
      streams.inc({ kind: 'sse' });
      res.once('close', () => streams.dec({ kind: 'sse' }));
    }
    // Without a length the body is a stream of unknown size: the client must see the head before the
    // first chunk exists. If that chunk arrived with the head (it usually does), it carries the head
    // out in the same write; otherwise the head goes alone once this turn of the event loop is over.
    if (
      headers['content-length'] === undefined &&
      this.req.method !== 'HEAD' &&
      !NO_BODY_STATUS.has(status)
    ) {
      const flush = setImmediate(() => res.flushHeaders());
      proxyRes.once('data', () => clearImmediate(flush));
      res.once('close', () => clearImmediate(flush));
    }
    proxyRes.on('error', (err) => this.fail(err));
    proxyRes.pipe(res);
  }

  private fail(err: unknown): void {
    if (this.failed || this.clientGone || this.res.writableEnded) return;
    const { target, upstream, context } = this;
    if (!this.responded) {
      const delay = retryDelay(
        err,
        {
          retries: this.retries,
          bodyStarted: this.bodyStarted,
          reusedSocket: this.proxyReq?.reusedSocket ?? false,
        },
        context.retryDelaysMs,
      );
      if (delay !== undefined) {
        // The manager's answer may be what went stale (the sandbox moved): ask again next time.
        if (upstream?.source === 'manager') context.locator?.evict(target.id, target.namespace);
        this.retries += 1;
        context.metrics.retries.inc();
        this.proxyReq = undefined;
        this.retryTimer = setTimeout(() => this.attempt(), delay);
        return;
      }
    }
    this.failed = true;
    const hopError = toHopError(err, target.id);
    if (upstream?.source === 'manager' && hopError.status === 502)
      context.locator?.evict(target.id, target.namespace);
    logFailure(context, this.req, hopError, target, upstream);
    this.proxyReq?.destroy();
    // Once the head went out, no error body can follow: cutting the connection is the only honest signal.
    if (this.res.headersSent) this.res.destroy();
    else sendError(this.res, hopError);
  }

  private onClientClose(): void {
    const { res, context } = this;
    context.metrics.inFlight.dec();
    const finished = res.writableFinished;
    context.metrics.request(
      this.req.method ?? '',
      finished || res.headersSent ? res.statusCode : 'aborted',
      this.upstream?.source ?? 'none',
    );
    if (finished) return;
    // The client left first: stop the upstream work too.
    this.clientGone = true;
    clearTimeout(this.retryTimer);
    this.proxyReq?.destroy();
  }
}
