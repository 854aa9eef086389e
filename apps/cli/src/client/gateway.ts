// The gateway's REST and SSE API as the CLI uses it. Every request carries the credential as a bearer
// token (the gateway takes an API key or a JWT there), is bounded in time, and fails as a CliError.
import {
  type InvestigationDetail,
  type InvestigationPage,
  type StoredProposal,
  type WhoAmI,
} from '@foxhound/contracts';
import { type Connection } from '../config/resolve';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';
import { httpError, networkError } from './http-error';
import { readSse, type SseFrame } from './sse';

export interface GatewayClientOptions {
  /** Per JSON request (default 15 s). */
  timeoutMs?: number;
  /** The largest single event a stream may carry (default 8 MiB). */
  maxEventBytes?: number;
  /** A stream silent this long, heartbeats included, is dead (default 60 s). */
  idleMs?: number;
}

export interface OpenStream {
  headers: Headers;
  frames: AsyncGenerator<SseFrame>;
  close(): void;
}

export type Decision = 'approve' | 'reject' | 'rollback';

export class GatewayClient {
  readonly server: string;
  private readonly credential?: string;
  private readonly timeoutMs: number;
  readonly maxEventBytes: number;
  private readonly idleMs: number;

  constructor(connection: Connection, options: GatewayClientOptions = {}) {
    this.server = connection.server;
    this.credential = connection.credential;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.maxEventBytes = options.maxEventBytes ?? 8 * 1024 * 1024;
    this.idleMs = options.idleMs ?? 60_000;
  }

  whoami(): Promise<WhoAmI> {
    return this.json('GET', '/v1/whoami', 'read who you are');
  }

  /** Readiness without credentials: the gateway's own probe. */
  async ready(): Promise<{ ok: boolean; detail: string }> {
    const response = await this.send('GET', '/readyz');
    const text = await response.text();
    return { ok: response.ok, detail: text.replace(/\s+/g, ' ').slice(0, 200) };
  }

  listInvestigations(query: Record<string, string | undefined>): Promise<InvestigationPage> {
    return this.json('GET', `/v1/investigations${queryString(query)}`, 'list investigations');
  }

  getInvestigation(id: string): Promise<InvestigationDetail> {
    return this.json('GET', `/v1/investigations/${encodeURIComponent(id)}`, `read investigation ${id}`);
  }

  async listActions(query: Record<string, string | undefined>): Promise<StoredProposal[]> {
    const page = await this.json<{ items: StoredProposal[] }>('GET', `/v1/actions${queryString(query)}`, 'list actions');
    return page.items;
  }

  getAction(id: string): Promise<StoredProposal> {
    return this.json('GET', `/v1/actions/${encodeURIComponent(id)}`, `read action ${id}`);
  }

  decide(
    id: string,
    decision: Decision,
    body: { reason: string; livePatchOnGitOps?: true },
  ): Promise<StoredProposal | { investigationId: string }> {
    return this.json('POST', `/v1/actions/${encodeURIComponent(id)}/${decision}`, `${decision} action ${id}`, body);
  }

  /** POST /investigate: the stream of a new turn. */
  investigate(body: { prompt: string; namespaces?: string[]; thread_id?: string }, onActivity?: () => void): Promise<OpenStream> {
    return this.stream('POST', '/investigate', 'start an investigation', { body, onActivity });
  }

  /** The stored events of an investigation from `afterSeq`, then live ones until it ends. */
  events(id: string, afterSeq = 0, onActivity?: () => void): Promise<OpenStream> {
    return this.stream('GET', `/v1/investigations/${encodeURIComponent(id)}/events`, `follow investigation ${id}`, {
      lastEventId: afterSeq > 0 ? String(afterSeq) : undefined,
      onActivity,
    });
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...(this.credential ? { authorization: `Bearer ${this.credential}` } : {}),
      'user-agent': 'foxhound-cli',
      ...extra,
    };
  }

  private async send(method: string, path: string, init: { body?: unknown; signal?: AbortSignal; headers?: Record<string, string> } = {}): Promise<Response> {
    try {
      return await fetch(`${this.server}${path}`, {
        method,
        headers: this.headers({
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...init.headers,
        }),
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: init.signal ?? AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
    } catch (err) {
      throw networkError(this.server, err);
    }
  }

  private async json<T>(method: string, path: string, what: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, { body });
    let text: string;
    try {
      text = await response.text();
    } catch (err) {
      throw networkError(this.server, err);
    }
    if (!response.ok) throw httpError(what, response.status, text);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new CliError(`could not ${what}: the gateway's answer is not JSON`, EXIT.server);
    }
  }

  private async stream(
    method: string,
    path: string,
    what: string,
    options: { body?: unknown; lastEventId?: string; onActivity?: () => void },
  ): Promise<OpenStream> {
    const controller = new AbortController();
    // Only the connection and the headers are bounded by the request timeout; the stream itself by
    // the idle bound (a turn may run for minutes, with heartbeats).
    const connect = setTimeout(() => controller.abort(new DOMException('timeout', 'TimeoutError')), this.timeoutMs);
    let response: Response;
    try {
      response = await this.send(method, path, {
        body: options.body,
        signal: controller.signal,
        headers: {
          accept: 'text/event-stream',
          ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}),
        },
      });
    } finally {
      clearTimeout(connect);
    }
    if (!response.ok || !response.body) {
      const text = await response.text().catch(() => '');
      throw httpError(what, response.status, text);
    }
    const type = response.headers.get('content-type') ?? '';
    if (!type.startsWith('text/event-stream')) {
      controller.abort();
      throw new CliError(`could not ${what}: the gateway answered ${type || 'no content type'}, not an event stream`, EXIT.server);
    }
    const frames = readSse(response.body, {
      maxEventBytes: this.maxEventBytes,
      idleMs: this.idleMs,
      onActivity: options.onActivity,
    });
    return { headers: response.headers, frames, close: () => controller.abort() };
  }
}

function queryString(query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}
