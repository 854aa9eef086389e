// Opens the executor's event stream through the sandbox-router, addressing the sandbox with the
// X-Sandbox-* headers from the manager's descriptor.
import {
  SandboxHeaders,
  type ExecuteRequest,
  type InterruptRequest,
  type SandboxDescriptor,
} from '@foxhound/contracts';
import { openEventStream, type OpenedEventStream } from '@foxhound/service-kit';

export interface RouterClientOptions {
  baseUrl: string;
  token?: string;
}

export class RouterClient {
  constructor(private readonly options: RouterClientOptions) {}

  /**
   * The router headers for a sandbox. A cluster sandbox is addressed by port and pod IP (warm-pool
   * sandboxes have no Service). A local sandbox is addressed by id alone: the router asks the
   * manager where it listens, and would rightly refuse its loopback address or its ephemeral port
   * if a header carried them.
   */
  headersFor(sandbox: SandboxDescriptor): Record<string, string> {
    const cluster = sandbox.backend === 'kubernetes';
    return {
      [SandboxHeaders.id]: sandbox.sandboxId,
      [SandboxHeaders.namespace]: sandbox.namespace,
      ...(cluster ? { [SandboxHeaders.port]: String(sandbox.port) } : {}),
      ...(cluster && sandbox.podIP ? { [SandboxHeaders.podIp]: sandbox.podIP } : {}),
      ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
    };
  }

  /** Opens the turn's stream; `idleTimeoutMs` bounds silence (the executor sends heartbeats). */
  execute(
    sandbox: SandboxDescriptor,
    body: ExecuteRequest,
    signal: AbortSignal,
    idleTimeoutMs: number,
  ): Promise<OpenedEventStream> {
    return openEventStream(new URL('/execute', this.options.baseUrl).toString(), {
      method: 'POST',
      headers: this.headersFor(sandbox),
      body,
      signal,
      idleTimeoutMs,
    });
  }

  async interrupt(sandbox: SandboxDescriptor, body: InterruptRequest): Promise<number> {
    const response = await fetch(new URL('/interrupt', this.options.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.headersFor(sandbox) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    return response.status;
  }
}
