// Test support: a real upstream on 127.0.0.1:0, a recording dialer, and a router on port 0. The
// dialer is the network edge the tests control: every connection the router makes is recorded with
// the host and port it asked for, then either sent to the local upstream or refused on loopback, so
// no test can send a packet off the box even when the code under test is wrong.
import http, { type IncomingMessage, type RequestListener } from 'node:http';
import net, { type AddressInfo, type LookupFunction } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger, createServiceMetrics, DrainController } from '@foxhound/service-kit';
import { type Authorizer } from '../authz/bearer';
import { loadRouterConfig, type RouterConfig } from '../config/env';
import { createRouterMetrics } from '../observability/metrics';
import { createProxyHandler } from '../proxy/proxy';
import { type SandboxLocator } from '../proxy/resolve';
import { startRouterServer, type RouterServer } from '../server/server';

export interface Upstream {
  server: http.Server;
  port: number;
  url: string;
  /** Requests as the upstream saw them. */
  seen: { method: string; url: string; headers: http.IncomingHttpHeaders; rawHeaders: string[] }[];
  close(): Promise<void>;
}

export async function startUpstream(listener: RequestListener): Promise<Upstream> {
  const seen: Upstream['seen'] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers, rawHeaders: req.rawHeaders });
    listener(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port with nothing listening: connecting to it is refused, on this machine. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * An agent whose connections are recorded (`dials`, as `host:port` the router asked for) and then
 * made to `127.0.0.1:<port>` instead: the upstream, or a closed port to simulate refusal. The DNS
 * step still runs, through the router's guarded lookup, before anything is recorded.
 */
export class RecordingAgent extends http.Agent {
  readonly dials: string[] = [];
  constructor(
    public targetPort: number,
    maxSockets = 16,
  ) {
    super({ keepAlive: true, maxSockets });
  }
  override createConnection(
    options: net.NetConnectOpts & { host?: string; port?: number; lookup?: LookupFunction },
  ) {
    const { host = '', port } = options;
    const socket = new net.Socket();
    const dial = () => {
      this.dials.push(`${host}:${port}`);
      socket.connect({ host: '127.0.0.1', port: this.targetPort });
    };
    if (net.isIP(host) !== 0 || options.lookup === undefined) {
      dial();
    } else {
      // Run the router's lookup (the address guard) exactly as net.connect would, but never use its answer.
      options.lookup(host, { all: true }, (err) =>
        err ? process.nextTick(() => socket.destroy(err)) : dial(),
      );
    }
    return socket;
  }
}

/** A fake resolver for cluster DNS names: answers every name with `addresses`. */
export function fakeDns(addresses: string[]): LookupFunction & { asked: string[] } {
  const asked: string[] = [];
  const lookup = ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    asked.push(hostname);
    const answers = addresses.map((address) => ({ address, family: net.isIP(address) }));
    process.nextTick(() =>
      options.all ? callback(null, answers) : callback(null, answers[0]!.address, answers[0]!.family),
    );
  }) as unknown as LookupFunction & { asked: string[] };
  lookup.asked = asked;
  return lookup;
}

export function memoryLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, logger: createLogger({ service: 'sandbox-router', level: 'debug', destination }) };
}

export interface TestRouter {
  url: string;
  server: RouterServer;
  agent: RecordingAgent;
  drain: DrainController;
  lines: Record<string, unknown>[];
  metricsText(): Promise<string>;
  close(): Promise<void>;
}

export interface TestRouterOptions {
  env?: Record<string, string>;
  /** Where the recording agent sends connections. */
  targetPort: number;
  lookup?: LookupFunction;
  locator?: SandboxLocator;
  authorizer?: Authorizer;
  retryDelaysMs?: readonly number[];
  /** Connections the recording agent may hold per host. */
  maxSockets?: number;
}

/** The pod network the tests route into with X-Sandbox-Pod-IP. */
export const TEST_POD_CIDR = '10.0.0.0/8';

export async function startTestRouter(options: TestRouterOptions): Promise<TestRouter> {
  const config: RouterConfig = loadRouterConfig({ ROUTER_POD_CIDRS: TEST_POD_CIDR, ...options.env });
  const { lines, logger } = memoryLogger();
  const serviceMetrics = createServiceMetrics('sandbox-router');
  const metrics = createRouterMetrics(serviceMetrics.registry, serviceMetrics.prefix);
  const agent = new RecordingAgent(options.targetPort, options.maxSockets);
  const drain = new DrainController();
  const proxy = createProxyHandler({
    config,
    logger,
    metrics,
    agent,
    drain,
    lookup: options.lookup,
    locator: options.locator,
    authorizer: options.authorizer,
    retryDelaysMs: options.retryDelaysMs ?? [1, 1, 1],
  });
  const server = await startRouterServer({
    host: '127.0.0.1',
    port: 0,
    logger,
    proxy,
    serviceMetrics,
    metrics,
    drain,
  });
  return {
    url: server.url,
    server,
    agent,
    drain,
    lines,
    metricsText: () => serviceMetrics.registry.metrics(),
    close: () => server.shutdown(1000),
  };
}

/** Reads a whole response body. */
export async function readBody(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
