// startKubeSim: the in-process entry point. Builds the registry, store, log and metric stores,
// seeds the namespaces every cluster has, loads scenarios, and serves the API (and the
// Prometheus-compatible endpoint) over real HTTP on loopback.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { type AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { ResourceRegistry } from './api/registry';
import { startControllers, stopControllers, type Controller } from './controllers/controller';
import { createAuthenticator, type TokenEntry } from './auth/authn';
import { type AuthorizationMode } from './auth/authorizer';
import { TokenIssuer } from './auth/token-request';
import { LogStore } from './logs/log-store';
import { MetricStore } from './metrics/metric-store';
import { createPrometheusHandler } from './prometheus/server';
import { applyScenario, readScenario, type LoadedScenario } from './scenario/loader';
import { createApiHandler } from './server/api-server';
import { selfSignedCertificate } from './server/tls';
import { KubeStore } from './store';
import { kubeconfigFor, kubeconfigYaml, type KubeconfigObject, type KubeconfigOptions } from './kubeconfig';

export interface KubeSimOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /**
   * Serve HTTPS with a fresh self-signed certificate (pinned in the kubeconfigs). kubectl sends
   * bearer tokens only over HTTPS, so use this when kubectl must authenticate. Default false.
   */
  tls?: boolean;
  /** Bearer tokens; omit to treat every request as an administrator. */
  tokens?: TokenEntry[];
  /** Requests without a token become system:anonymous (default true, like a real server). */
  allowAnonymous?: boolean;
  /** 'allow-all' (default), 'rbac' (roles and bindings in the store), or a function. */
  authorization?: AuthorizationMode;
  /** Scenario directories to load at start. */
  scenarios?: string[];
  /** Events kept per resource for watch resumption (default 1000). */
  historyLimit?: number;
  bookmarkIntervalMs?: number;
  maxWatchSeconds?: number;
  /** Serve the Prometheus-compatible API on its own port (default: yes, port 0). */
  prometheus?: { port?: number } | false;
  /**
   * Simulated controllers (`defaultControllers()`: workloads, kubelet, quota), started after the
   * scenarios load and stopped by close(). None by default: captured state stays as loaded.
   */
  controllers?: Controller[];
  now?: () => Date;
  /** Called when each API request finishes (a watch when it ends), e.g. for a request log. */
  onRequest?: (entry: RequestLogEntry) => void;
}

export interface RequestLogEntry {
  method: string;
  /** Path and query as requested. */
  path: string;
  status: number;
  ms: number;
}

export interface KubeSim {
  url: string;
  port: number;
  /** The serving certificate (PEM) when `tls` is on. */
  caCertificate?: string;
  /** Base URL of the Prometheus-compatible API (`<url>/api/v1/query`), if enabled. */
  prometheusUrl?: string;
  store: KubeStore;
  logs: LogStore;
  metrics: MetricStore;
  scenarios: LoadedScenario[];
  /** A kubeconfig for `KubeConfig.loadFromOptions()`. */
  kubeconfig(options?: KubeconfigOptions): KubeconfigObject;
  /** The same kubeconfig as YAML, for kubectl. */
  kubeconfigYaml(options?: KubeconfigOptions): string;
  writeKubeconfig(path: string, options?: KubeconfigOptions): Promise<void>;
  loadScenario(dir: string): Promise<LoadedScenario>;
  /** Ends every open watch and log follow, as an API server restart would; clients reconnect. */
  disconnectWatches(): void;
  close(): Promise<void>;
}

const SEED_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startKubeSim(options: KubeSimOptions = {}): Promise<KubeSim> {
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? (() => new Date());
  const store = new KubeStore({ registry: new ResourceRegistry(), historyLimit: options.historyLimit, now });
  const logs = new LogStore();
  const metrics = new MetricStore();
  for (const name of SEED_NAMESPACES) {
    store.load('namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
      status: { phase: 'Active' },
    });
  }
  // Pod logs go with their pod, as the kubelet's do.
  store.subscribe((e) => {
    if (e.type === 'DELETED' && e.resource.group === '' && e.resource.plural === 'pods') {
      logs.deletePod(e.object.metadata.namespace ?? '', e.object.metadata.name);
    }
  });
  const scenarios: LoadedScenario[] = [];
  const loadScenario = async (dir: string) => {
    const loaded = applyScenario(await readScenario(dir, now()), { store, logs, metrics });
    scenarios.push(loaded);
    return loaded;
  };
  for (const dir of options.scenarios ?? []) await loadScenario(dir);
  const controllers = options.controllers ?? [];
  await startControllers(controllers, { store, logs, metrics });

  const streams = new Set<() => void>();
  // Tokens minted by TokenRequest authenticate as their ServiceAccount; everything else as configured.
  const issuer = new TokenIssuer(store, now);
  const configured = createAuthenticator(options.tokens, options.allowAnonymous ?? true);
  const handler = createApiHandler({
    store,
    logs,
    streams,
    maxWatchSeconds: options.maxWatchSeconds ?? 1800,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
    authenticate: (authorization) => issuer.authenticate(authorization) ?? configured(authorization),
    authorization: options.authorization ?? 'allow-all',
    tokens: issuer,
  });
  const certificate = options.tls
    ? selfSignedCertificate([...new Set(['localhost', '127.0.0.1', host])])
    : undefined;
  const onRequest = options.onRequest;
  const serve = (req: IncomingMessage, res: ServerResponse) => {
    if (onRequest) {
      const start = process.hrtime.bigint();
      res.once('close', () =>
        onRequest({
          method: req.method ?? '',
          path: req.url ?? '',
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - start) / 1e6,
        }),
      );
    }
    void handler(req, res);
  };
  const server: Server = certificate
    ? createTlsServer({ key: certificate.keyPem, cert: certificate.certPem }, serve)
    : createServer(serve);
  server.keepAliveTimeout = 5000;
  const port = await listen(server, options.port ?? 0, host);
  const url = `${certificate ? 'https' : 'http'}://${host}:${port}`;

  let promServer: Server | undefined;
  let prometheusUrl: string | undefined;
  if (options.prometheus !== false) {
    promServer = createServer(createPrometheusHandler(metrics, now));
    const promPort = await listen(promServer, options.prometheus?.port ?? 0, host);
    prometheusUrl = `http://${host}:${promPort}`;
  }

  const tokens = options.tokens;
  const configFor = (o?: KubeconfigOptions) => kubeconfigFor(url, tokens, o, certificate?.certPem);
  return {
    url,
    port,
    caCertificate: certificate?.certPem,
    prometheusUrl,
    store,
    logs,
    metrics,
    scenarios,
    kubeconfig: configFor,
    kubeconfigYaml: (o) => kubeconfigYaml(configFor(o)),
    writeKubeconfig: (path, o) => writeFile(path, kubeconfigYaml(configFor(o)), { mode: 0o600 }),
    loadScenario,
    disconnectWatches() {
      for (const end of [...streams]) end();
    },
    async close() {
      await stopControllers(controllers);
      for (const end of [...streams]) end();
      await Promise.all([closeServer(server), promServer ? closeServer(promServer) : Promise.resolve()]);
    },
  };
}
