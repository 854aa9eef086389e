// The sandbox-manager resolver (ROUTER_RESOLVER=manager): asks `GET /v1/sandboxes/:id` with the
// manager's bearer token and answers with the descriptor's pod IP and port. Answers are cached for a
// few seconds, "no such sandbox" for less, concurrent questions about one sandbox share one request,
// and proxy.ts evicts an answer as soon as connecting to it fails. The manager is trusted for where a
// sandbox is, not for what an address may be: its addresses pass the same address policy (loopback
// only with ROUTER_ALLOW_LOOPBACK_UPSTREAM), and its port is not held to ROUTER_ALLOWED_PORTS (the
// local backend gives each sandbox its own).
import http from 'node:http';
import https from 'node:https';
import { SandboxDescriptorSchema } from '@foxhound/contracts';
import { type RouterMetrics } from '../observability/metrics';
import { type AddressPolicy } from '../proxy/address';
import { type SandboxLocation, type SandboxLocator } from '../proxy/resolve';
import { TtlCache } from './ttl-cache';

export interface ManagerLocatorOptions {
  /** SANDBOX_MANAGER_URL, e.g. `http://sandbox-manager:8081`. */
  baseUrl: string;
  /** SANDBOX_MANAGER_TOKEN. */
  token?: string;
  addressPolicy: AddressPolicy;
  metrics?: RouterMetrics;
  positiveTtlMs?: number;
  negativeTtlMs?: number;
  /** Whole exchange with the manager: connect, answer and body. */
  timeoutMs?: number;
  maxEntries?: number;
  /** Largest descriptor body accepted. */
  maxBodyBytes?: number;
  agent?: http.Agent;
  now?: () => number;
}

export function createManagerLocator(options: ManagerLocatorOptions): SandboxLocator & { close(): void } {
  const {
    positiveTtlMs = 5_000,
    negativeTtlMs = 1_000,
    timeoutMs = 3_000,
    maxEntries = 10_000,
    maxBodyBytes = 64 * 1024,
    metrics,
  } = options;
  const base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  const client = base.protocol === 'https:' ? https : http;
  const agent = options.agent ?? new client.Agent({ keepAlive: true, maxSockets: 16 });
  // null is a cached "no such sandbox".
  const cache = new TtlCache<SandboxLocation | null>(maxEntries, options.now);
  const pending = new Map<string, Promise<SandboxLocation | undefined>>();

  function fetchDescriptor(id: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = client.request(new URL(`v1/sandboxes/${id}`, base), {
        agent,
        headers: {
          accept: 'application/json',
          ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
        },
      });
      const timer = setTimeout(
        () => req.destroy(new Error(`the sandbox-manager did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      req.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.once('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBodyBytes)
            req.destroy(new Error(`the sandbox-manager's answer exceeds ${maxBodyBytes} bytes`));
          else chunks.push(chunk);
        });
        res.once('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.once('error', () => undefined); // surfaces through req's error
      });
      req.end();
    });
  }

  async function ask(id: string, namespace: string): Promise<SandboxLocation | null> {
    const { status, body } = await fetchDescriptor(id);
    if (status === 404) return null;
    if (status !== 200) throw new Error(`the sandbox-manager answered ${status} for sandbox ${id}`);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (err) {
      throw new Error('the sandbox-manager answered with invalid JSON', { cause: err });
    }
    const parsed = SandboxDescriptorSchema.safeParse(json);
    if (!parsed.success)
      throw new Error(`the sandbox-manager's descriptor is invalid: ${parsed.error.message}`);
    const descriptor = parsed.data;
    // Same name in another namespace is another sandbox.
    if (descriptor.sandboxId !== id || descriptor.namespace !== namespace) return null;
    if (descriptor.podIP === undefined) throw new Error(`sandbox ${id} has no address yet`);
    if (!options.addressPolicy.allows(descriptor.podIP, 'manager')) {
      throw new Error(`the sandbox-manager gave sandbox ${id} an address the router may not connect to`);
    }
    return { address: descriptor.podIP, port: descriptor.port };
  }

  return {
    locate(id, namespace) {
      const key = `${namespace}/${id}`;
      const cached = cache.get(key);
      if (cached !== undefined) {
        metrics?.managerLookups.inc({ result: 'hit' });
        return Promise.resolve(cached.value ?? undefined);
      }
      let answer = pending.get(key);
      if (answer === undefined) {
        answer = ask(id, namespace).then(
          (location) => {
            pending.delete(key);
            cache.set(key, location, location === null ? negativeTtlMs : positiveTtlMs);
            metrics?.managerLookups.inc({ result: location === null ? 'not_found' : 'miss' });
            return location ?? undefined;
          },
          (err: unknown) => {
            // Failures are not cached: the next request asks again (one request per sandbox at a time).
            pending.delete(key);
            metrics?.managerLookups.inc({ result: 'error' });
            throw err;
          },
        );
        pending.set(key, answer);
      }
      return answer;
    },
    evict(id, namespace) {
      cache.delete(`${namespace}/${id}`);
    },
    close() {
      agent.destroy();
    },
  };
}
