// Starts an HTTP server and shuts it down gracefully: stop accepting, close idle keep-alive
// sockets, let in-flight requests and streams finish up to a deadline, then close what is left.
import http, { type RequestListener } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Logger } from '../observability/logger';
import { DrainController } from './drain';

export interface StartServerOptions {
  port: number;
  host?: string;
  logger: Logger;
  drain?: DrainController;
  /** Keep-alive idle timeout; above a typical load balancer's (60 s) so the LB closes first. */
  keepAliveTimeoutMs?: number;
}

export interface RunningServer {
  server: http.Server;
  port: number;
  /** Base URL for clients on this machine, e.g. `http://127.0.0.1:8080`. */
  url: string;
  drain: DrainController;
  /** Graceful shutdown; resolves once the server is closed. Safe to call more than once. */
  shutdown(deadlineMs: number): Promise<void>;
}

export async function startServer(
  listener: RequestListener,
  options: StartServerOptions,
): Promise<RunningServer> {
  const { port, host = '0.0.0.0', logger, keepAliveTimeoutMs = 65_000 } = options;
  const drain = options.drain ?? new DrainController();
  const server = http.createServer((req, res) => {
    const release = drain.track();
    res.once('close', release);
    // Tell keep-alive clients to reconnect elsewhere once we are going away.
    if (drain.draining) res.setHeader('connection', 'close');
    listener(req, res);
  });
  server.keepAliveTimeout = keepAliveTimeoutMs;
  server.headersTimeout = keepAliveTimeoutMs + 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const clientHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const url = `http://${clientHost.includes(':') ? `[${clientHost}]` : clientHost}:${address.port}`;

  let closing: Promise<void> | undefined;
  const shutdown = (deadlineMs: number): Promise<void> => {
    closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const idle = await drain.drain(deadlineMs);
      if (!idle)
        logger.warn({ inFlight: drain.inFlight }, 'drain deadline passed; closing remaining connections');
      server.closeAllConnections();
      await closed;
    })();
    return closing;
  };
  return { server, port: address.port, url, drain, shutdown };
}
