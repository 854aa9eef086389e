// The ClusterReader over a live API server (or kube-sim) through @foxhound/kube: raw GETs for
// objects, lists, logs and metrics, the kube collector for snapshots, and one write path used
// only with `dryRun=All` so proposals can show what a change would do. Every failure becomes a
// ClusterReadError carrying the HTTP status, so 403s become blind spots and 404s absences.
import http from 'node:http';
import https from 'node:https';
import {
  type ClusterSnapshot,
  fromSnapshotData,
  type KubeObject,
  type PodMetrics,
} from '@foxhound/diagnostics';
import { collectSnapshot, KubeApiError, type KubeClient } from '@foxhound/kube';
import { matchesFields, parseFieldSelector } from './fields';
import { apiPath, kindInfo } from './kinds';
import { discover } from './discovery';
import { type ClusterReader, ClusterReadError, type DryRunRequest } from './reader';

export interface KubeReaderOptions {
  /** Prometheus base URL: snapshots then carry cAdvisor CPU and memory series. */
  prometheusUrl?: string;
  /** Bound of a dry-run request. */
  timeoutMs?: number;
}

interface ListBody {
  items?: KubeObject[];
}

export function kubeReader(client: KubeClient, options: KubeReaderOptions = {}): ClusterReader {
  const wrap = async <T>(what: string, read: () => Promise<T>): Promise<T> => {
    try {
      return await read();
    } catch (err) {
      if (err instanceof KubeApiError)
        throw new ClusterReadError(what, err.status || undefined, err.message, { cause: err });
      throw new ClusterReadError(what, undefined, err instanceof Error ? err.message : String(err), {
        cause: err,
      });
    }
  };
  const infoOf = (kind: Parameters<ClusterReader['list']>[0]) => {
    const info = kindInfo(kind);
    if (!info) throw new ClusterReadError(`read ${kind}`, 400, `${kind} cannot be read by the agent`);
    return info;
  };

  return {
    list: (kind, opts = {}) => {
      const info = infoOf(kind);
      const where = opts.namespace && info.namespaced ? ` in ${opts.namespace}` : '';
      return wrap(`list ${info.plural}${where}`, async () => {
        const terms = parseFieldSelector(opts.fieldSelector);
        if (!terms)
          throw new ClusterReadError(
            `list ${info.plural}${where}`,
            400,
            `invalid field selector "${opts.fieldSelector}"`,
          );
        const body = await client.getJson<ListBody>(apiPath(info, opts.namespace), {
          labelSelector: opts.labelSelector || undefined,
          fieldSelector: opts.fieldSelector || undefined,
          limit: opts.limit,
        });
        return (body.items ?? [])
          .map((item) => ({ apiVersion: info.apiVersion, kind: info.apiKind, ...item }))
          .filter((item) => matchesFields(item, terms));
      });
    },
    get: (kind, name, namespace) => {
      const info = infoOf(kind);
      return wrap(`get ${info.apiKind} ${namespace ? `${namespace}/` : ''}${name}`, async () => {
        try {
          return {
            apiVersion: info.apiVersion,
            kind: info.apiKind,
            ...(await client.getJson<KubeObject>(apiPath(info, namespace, name))),
          };
        } catch (err) {
          if (err instanceof KubeApiError && err.status === 404) return undefined;
          throw err;
        }
      });
    },
    podLogs: (namespace, pod, opts) =>
      wrap(`read ${opts.previous ? 'previous ' : ''}logs of ${namespace}/${pod}`, () =>
        client.getText(
          `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`,
          {
            container: opts.container,
            previous: opts.previous || undefined,
            tailLines: opts.tailLines,
            limitBytes: opts.limitBytes,
            sinceSeconds: opts.sinceSeconds,
            sinceTime: opts.sinceTime,
          },
        ),
      ),
    podMetrics: (namespace) =>
      wrap(`read pod metrics in ${namespace}`, async () => {
        try {
          const body = await client.getJson<{ items?: PodMetrics[] }>(
            `/apis/metrics.k8s.io/v1beta1/namespaces/${encodeURIComponent(namespace)}/pods`,
          );
          return body.items ?? [];
        } catch (err) {
          // No metrics-server: the API group is not served at all.
          if (err instanceof KubeApiError && (err.status === 404 || err.status === 503)) return undefined;
          throw err;
        }
      }),
    snapshot: (namespaces, snapshotOptions = {}) =>
      wrap(
        `collect a snapshot of ${namespaces.join(', ') || 'the cluster'}`,
        async (): Promise<ClusterSnapshot> =>
          fromSnapshotData(
            await collectSnapshot(client, {
              namespaces,
              prometheusUrl: options.prometheusUrl,
              focus: snapshotOptions.focus,
            }),
          ),
      ),
    discover: () => discover(client),
    dryRun: (request) => dryRun(client, request, options.timeoutMs ?? 15_000),
  };
}

/** PATCH or DELETE with `dryRun=All`: the API server validates and admits, and persists nothing. */
async function dryRun(
  client: KubeClient,
  request: DryRunRequest,
  timeoutMs: number,
): Promise<KubeObject | undefined> {
  const info = kindInfo(request.kind)!;
  const what = `dry-run ${request.method} ${info.apiKind} ${request.namespace}/${request.name}`;
  const path = `${apiPath(info, request.namespace, request.name)}${request.subresource ? `/${request.subresource}` : ''}?dryRun=All`;
  const body =
    request.method === 'PATCH'
      ? JSON.stringify(request.patch ?? {})
      : JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', dryRun: ['All'] });
  const contentType =
    request.method === 'PATCH' && !request.subresource
      ? 'application/strategic-merge-patch+json'
      : 'application/merge-patch+json';
  const url = new URL(path, `${client.server}/`);
  const opts: https.RequestOptions = {
    method: request.method,
    headers: {
      Accept: 'application/json',
      'Content-Type': request.method === 'PATCH' ? contentType : 'application/json',
      'Content-Length': Buffer.byteLength(body),
    },
  };
  await client.config.applyToHTTPSOptions(opts);
  const secure = url.protocol === 'https:';
  if (!secure) delete opts.agent;
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = (secure ? https : http).request(url, { ...opts, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= 4 * 1024 * 1024) chunks.push(chunk);
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => reject(new ClusterReadError(what, undefined, err.message, { cause: err })));
    req.end(body);
  });
  if (status >= 200 && status < 300) return JSON.parse(text) as KubeObject;
  let message = text.slice(0, 300);
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? message;
  } catch {
    // Not a Status body: keep the raw text.
  }
  throw new ClusterReadError(what, status, message);
}
