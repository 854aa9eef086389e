// Calls the sandbox-manager to get or create the thread's sandbox. Acquisition is bounded by a
// deadline and every failure becomes a typed HTTP error before any stream starts.
import {
  AcquireSandboxRequestSchema,
  ActionCheckSchema,
  ActionExecutionSchema,
  ErrorBodySchema,
  SandboxDescriptorSchema,
  type AcquireSandboxRequest,
  type ActionCheck,
  type ActionExecution,
  type ExecuteActionRequest,
  type SandboxDescriptor,
  type ValidateActionRequest,
} from '@foxhound/contracts';
import { type z } from 'zod';
import {
  GatewayTimeoutError,
  NotAllowedError,
  RateLimitedError,
  ServiceUnavailableError,
  UpstreamError,
} from '@foxhound/service-kit';

export interface ManagerClientOptions {
  baseUrl: string;
  token?: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

export class ManagerClient {
  private readonly fetch: typeof fetch;
  constructor(private readonly options: ManagerClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async acquire(request: AcquireSandboxRequest): Promise<SandboxDescriptor> {
    const body = AcquireSandboxRequestSchema.parse(request);
    const response = await this.call('POST', '/v1/sandboxes', body);
    return this.parse(response, SandboxDescriptorSchema, 'acquire a sandbox');
  }

  /** Safety checks and a server-side dry run of an action, changing nothing. */
  async validateAction(request: ValidateActionRequest): Promise<ActionCheck> {
    const response = await this.call('POST', '/v1/actions/validate', request);
    return this.parse(response, ActionCheckSchema, 'check the action');
  }

  /** Runs an approved action; the manager answers with the execution (idempotent per proposal). */
  async executeAction(request: ExecuteActionRequest): Promise<ActionExecution> {
    const response = await this.call('POST', '/v1/actions/executions', request);
    return this.parse(response, ActionExecutionSchema, 'execute the action');
  }

  async getExecution(proposalId: string): Promise<ActionExecution> {
    const response = await this.call('GET', `/v1/actions/executions/${encodeURIComponent(proposalId)}`);
    return this.parse(response, ActionExecutionSchema, 'read the execution');
  }

  /** Releases a thread's sandbox (e.g. after the executor died), so the next turn gets a fresh one. */
  async release(sandboxId: string): Promise<void> {
    const response = await this.call('DELETE', `/v1/sandboxes/${encodeURIComponent(sandboxId)}`);
    if (!response.ok && response.status !== 404) {
      throw new UpstreamError(
        `sandbox-manager could not release sandbox ${sandboxId} (HTTP ${response.status}).`,
      );
    }
  }

  async ready(): Promise<void> {
    const response = await this.call('GET', '/readyz');
    if (!response.ok) throw new Error(`sandbox-manager not ready (HTTP ${response.status})`);
  }

  private async call(method: string, path: string, body?: unknown): Promise<Response> {
    try {
      return await this.fetch(new URL(path, this.options.baseUrl), {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'TimeoutError') {
        throw new GatewayTimeoutError(
          `sandbox-manager did not answer within ${this.options.timeoutMs / 1000} s.`,
          {
            cause: err,
          },
        );
      }
      throw new ServiceUnavailableError('sandbox-manager is unreachable.', { cause: err });
    }
  }

  private async parse<S extends z.ZodType>(response: Response, schema: S, what: string): Promise<z.infer<S>> {
    const json: unknown = await response.json().catch(() => undefined);
    if (response.ok) {
      const parsed = schema.safeParse(json);
      if (parsed.success) return parsed.data;
      throw new UpstreamError(`sandbox-manager sent an unexpected answer when asked to ${what}.`);
    }
    const detail = ErrorBodySchema.safeParse(json).data?.detail ?? `HTTP ${response.status}`;
    if (response.status === 429) {
      throw new RateLimitedError(
        `Sandbox limit reached: ${detail}`,
        Number(response.headers.get('retry-after') ?? 5),
      );
    }
    if (response.status === 403) {
      throw new NotAllowedError(`Could not ${what}: ${detail}`);
    }
    if (response.status === 503 || response.status === 504) {
      throw new ServiceUnavailableError(`Could not ${what}: ${detail}`);
    }
    throw new UpstreamError(`Could not ${what}: ${detail}`);
  }
}
