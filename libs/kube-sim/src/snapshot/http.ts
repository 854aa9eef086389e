// Read-only access to the cluster being captured: GET only, over the credentials of a kubeconfig
// (client-node's KubeConfig applies tokens, client certificates, exec plugins), with a timeout and
// a size bound, returning the API server's JSON untouched so timestamps stay as it printed them.
import http from 'node:http';
import https from 'node:https';

/** The part of @kubernetes/client-node's KubeConfig the snapshot uses. */
export interface ClusterCredentials {
  getCurrentCluster(): { server: string } | null;
  applyToHTTPSOptions(options: https.RequestOptions): Promise<void>;
}

/** A non-2xx answer, with the Status message when the server sent one. */
export class ApiReadError extends Error {
  override readonly name = 'ApiReadError';
  constructor(
    readonly status: number,
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ReaderOptions {
  timeoutMs?: number;
  maxResponseBytes?: number;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface ClusterReader {
  server: string;
  json<T>(path: string, query?: Query): Promise<T>;
  text(path: string, query?: Query): Promise<string>;
}

function statusMessage(body: string): string | undefined {
  try {
    const m = (JSON.parse(body) as { message?: unknown }).message;
    return typeof m === 'string' ? m : undefined;
  } catch {
    return body.slice(0, 200) || undefined;
  }
}

export function clusterReader(credentials: ClusterCredentials, options: ReaderOptions = {}): ClusterReader {
  const cluster = credentials.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const server = cluster.server.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBytes = options.maxResponseBytes ?? 256 * 1024 * 1024;

  const get = async (path: string, query: Query | undefined, accept: string): Promise<string> => {
    const url = new URL(path, `${server}/`);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const opts: https.RequestOptions = { method: 'GET', headers: { Accept: accept } };
    await credentials.applyToHTTPSOptions(opts);
    const secure = url.protocol === 'https:';
    // An https.Agent cannot carry plain http (kube-sim, kubectl proxy): use the default agent there.
    if (!secure) delete opts.agent;
    return new Promise<string>((resolve, reject) => {
      const req = (secure ? https : http).request(url, { ...opts, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes)
            req.destroy(new ApiReadError(0, path, `GET ${path}: answer larger than ${maxBytes} bytes`));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve(body);
          reject(
            new ApiReadError(
              status,
              path,
              `GET ${path}: ${status} ${statusMessage(body) ?? res.statusMessage ?? ''}`.trim(),
            ),
          );
        });
        res.on('error', reject);
      });
      req.on('timeout', () =>
        req.destroy(new ApiReadError(0, path, `GET ${path}: no answer within ${timeoutMs} ms`)),
      );
      req.on('error', (err) =>
        reject(err instanceof ApiReadError ? err : new ApiReadError(0, path, `GET ${path}: ${err.message}`)),
      );
      req.end();
    });
  };

  return {
    server,
    async json<T>(path: string, query?: Query): Promise<T> {
      const body = await get(path, query, 'application/json');
      try {
        return JSON.parse(body) as T;
      } catch {
        throw new ApiReadError(0, path, `GET ${path}: the answer is not JSON`);
      }
    },
    text: (path, query) => get(path, query, 'text/plain, */*'),
  };
}
