// Small node:http helpers: bounded body reading (JSON or YAML, as the real server accepts both),
// JSON and Status responses.
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { StatusError, errors } from '../api/status';
import { decodeKubernetesProtobuf } from './protobuf';

/** The real API server's request size limit (etcd's 3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      reject(errors.tooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.destroy();
        reject(errors.tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/** Parses a request body as JSON, or as YAML when the content type says so. */
export function parseBody(raw: Buffer, contentType: string): unknown {
  if (contentType === 'application/vnd.kubernetes.protobuf') return decodeKubernetesProtobuf(raw);
  if (contentType.includes('cbor'))
    throw errors.unsupportedMediaType(['application/json', 'application/yaml']);
  const text = raw.toString('utf8');
  if (text.trim() === '') throw errors.badRequest('the request body is empty');
  try {
    if (contentType.includes('yaml')) return parseYaml(text, { maxAliasCount: 100 });
    return JSON.parse(text);
  } catch (err) {
    throw errors.badRequest(`the body of the request could not be decoded: ${(err as Error).message}`);
  }
}

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  sendRawJson(res, code, JSON.stringify(body));
}

export function sendRawJson(
  res: ServerResponse,
  code: number,
  json: string,
  contentType = 'application/json',
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(code, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(json),
    'Cache-Control': 'no-cache, private',
  });
  res.end(json);
}

export function sendError(res: ServerResponse, err: unknown): void {
  const status = err instanceof StatusError ? err : errors.internal((err as Error)?.message ?? String(err));
  sendJson(res, status.code, status.toStatus());
}
