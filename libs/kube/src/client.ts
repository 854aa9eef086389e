// The Kubernetes client: a KubeConfig loaded from the environment (KUBECONFIG, ~/.kube/config, the
// in-cluster service account), a file, YAML text or an object (what kube-sim hands out), and a
// read-only raw GET over it that returns the API server's JSON untouched (timestamps stay strings,
// as `kubectl get -o json` prints them). Authentication (tokens, client certificates, exec plugins)
// is @kubernetes/client-node's; the request is plain node:http(s) with a timeout and a size bound.
import http from 'node:http';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';

export type KubeconfigSource =
  /** KUBECONFIG, then ~/.kube/config, then the pod's service account (KubeConfig.loadFromDefault). */
  | { from: 'default' }
  | { from: 'in-cluster' }
  | { from: 'file'; path: string }
  | { from: 'yaml'; yaml: string }
  /** The object form KubeConfig.loadFromOptions() takes, e.g. kube-sim's `kubeconfig()`. */
  | { from: 'object'; config: unknown };

export interface KubeClientOptions {
  /** Per request (default 15 s). */
  timeoutMs?: number;
  /** Largest response body accepted (default 64 MiB); bigger responses fail instead of exhausting memory. */
  maxResponseBytes?: number;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface KubeClient {
  config: KubeConfig;
  /** The API server's base URL. */
  server: string;
  /** GET an API path, parsed JSON. */
  getJson<T = unknown>(path: string, query?: Query): Promise<T>;
  /** GET an API path as text (pod logs). */
  getText(path: string, query?: Query): Promise<string>;
}

/** A non-2xx answer from the API server, with its Status reason when it sent one. */
export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  constructor(
    readonly status: number,
    readonly path: string,
    message: string,
    readonly reason?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const ObjectSourceSchema = z.object({
  clusters: z.array(z.object({ name: z.string().min(1), server: z.string().url() }).passthrough()).min(1),
  users: z.array(z.object({ name: z.string().min(1) }).passthrough()).min(1),
  contexts: z
    .array(z.object({ name: z.string().min(1), cluster: z.string(), user: z.string() }).passthrough())
    .min(1),
  currentContext: z.string().min(1),
});

export function loadKubeConfig(source: KubeconfigSource): KubeConfig {
  const kc = new KubeConfig();
  switch (source.from) {
    case 'default':
      kc.loadFromDefault();
      break;
    case 'in-cluster':
      kc.loadFromCluster();
      break;
    case 'file':
      kc.loadFromFile(source.path);
      break;
    case 'yaml':
      kc.loadFromString(source.yaml);
      break;
    case 'object': {
      const parsed = ObjectSourceSchema.safeParse(source.config);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`invalid kubeconfig object: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
      }
      kc.loadFromOptions(source.config);
      break;
    }
  }
  if (!kc.getCurrentCluster()) throw new Error(`kubeconfig (${source.from}) has no current cluster`);
  return kc;
}

function withQuery(path: string, query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}

function statusMessage(body: string): { message?: string; reason?: string } {
  try {
    const status = JSON.parse(body) as { message?: unknown; reason?: unknown };
    return {
      message: typeof status.message === 'string' ? status.message : undefined,
      reason: typeof status.reason === 'string' ? status.reason : undefined,
    };
  } catch {
    return { message: body.slice(0, 200) || undefined };
  }
}

export function createKubeClient(
  source: KubeconfigSource | KubeConfig = { from: 'default' },
  options: KubeClientOptions = {},
): KubeClient {
  const config = source instanceof KubeConfig ? source : loadKubeConfig(source);
  const server = config.getCurrentCluster()!.server.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxBytes = options.maxResponseBytes ?? 64 * 1024 * 1024;

  const get = async (path: string, query: Query | undefined, accept: string): Promise<string> => {
    const url = new URL(withQuery(path, query), `${server}/`);
    const opts: https.RequestOptions = { method: 'GET', headers: { Accept: accept } };
    // Credentials are applied per request: exec plugins and OIDC refresh their tokens here.
    await config.applyToHTTPSOptions(opts);
    const secure = url.protocol === 'https:';
    // An https.Agent cannot carry plain http (kube-sim, kubectl proxy): use the default agent there.
    if (!secure) delete opts.agent;
    return new Promise<string>((resolve, reject) => {
      // Settles once: a destroyed request can still emit `end` or `error` afterwards.
      let settled = false;
      const fail = (err: KubeApiError) => {
        if (!settled) reject(err);
        settled = true;
      };
      const req = (secure ? https : http).request(url, { ...opts, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            fail(new KubeApiError(0, path, `GET ${path}: response larger than ${maxBytes} bytes`));
            req.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          if (settled) return;
          const body = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            settled = true;
            return resolve(body);
          }
          const { message, reason } = statusMessage(body);
          fail(
            new KubeApiError(
              status,
              path,
              `GET ${path}: ${status} ${message ?? res.statusMessage ?? ''}`.trim(),
              reason,
            ),
          );
        });
        res.on('error', (err) =>
          fail(new KubeApiError(0, path, `GET ${path}: ${err.message}`, undefined, { cause: err })),
        );
      });
      req.on('timeout', () => {
        fail(new KubeApiError(0, path, `GET ${path}: no answer within ${timeoutMs} ms`));
        req.destroy();
      });
      req.on('error', (err) =>
        fail(new KubeApiError(0, path, `GET ${path}: ${err.message}`, undefined, { cause: err })),
      );
      req.end();
    });
  };

  return {
    config,
    server,
    async getJson<T>(path: string, query?: Query): Promise<T> {
      const body = await get(path, query, 'application/json');
      try {
        return JSON.parse(body) as T;
      } catch (err) {
        throw new KubeApiError(0, path, `GET ${path}: the answer is not JSON`, undefined, { cause: err });
      }
    },
    getText: (path, query) => get(path, query, 'text/plain, */*'),
  };
}
