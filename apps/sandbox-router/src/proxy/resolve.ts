// Where a validated target goes: X-Sandbox-Pod-IP if the request named one, else the sandbox-manager's
// answer when a locator is configured (ROUTER_RESOLVER=manager), else the sandbox's Service name in
// cluster DNS. `source` feeds the log line and a metric label. The locator interface is declared here,
// by its consumer; cache/manager-locator.ts implements it.
import { UpstreamError } from '@foxhound/service-kit';
import { type SandboxTarget } from './headers';

export type UpstreamSource = 'pod-ip' | 'manager' | 'dns';

export interface Upstream {
  /** `http://10.0.0.7:8888`, `http://sb.ns.svc.cluster.local:8888`: for logs. */
  url: string;
  /** What to dial: an IP literal, or a DNS name that the guarded lookup resolves. */
  hostname: string;
  port: number;
  /** The Host header to send. */
  hostHeader: string;
  source: UpstreamSource;
}

/** A sandbox's address as a trusted registry knows it. */
export interface SandboxLocation {
  /** An IP literal. */
  address: string;
  port: number;
}

/** "Where is sandbox X?": answered by the sandbox-manager (or any local registry). */
export interface SandboxLocator {
  /** The location, or undefined when the registry knows no such sandbox. Throws when it cannot answer. */
  locate(id: string, namespace: string): Promise<SandboxLocation | undefined>;
  /** Forgets a cached answer, e.g. after a connect to it failed. */
  evict(id: string, namespace: string): void;
}

/** The 502 the SIG router gives for an unknown or unreachable sandbox. */
export const unreachable = (id: string, cause?: unknown): UpstreamError =>
  new UpstreamError(`Could not connect to the backend sandbox: ${id}`, { cause });

function upstreamOf(hostname: string, port: number, source: UpstreamSource): Upstream {
  const host = hostname.includes(':') ? `[${hostname}]` : hostname;
  return { url: `http://${host}:${port}`, hostname, port, hostHeader: `${host}:${port}`, source };
}

export interface ResolveOptions {
  clusterDomain: string;
  locator?: SandboxLocator;
}

export function createResolver({ clusterDomain, locator }: ResolveOptions) {
  const suffix = `.svc.${clusterDomain}`;
  return async function resolveUpstream(target: SandboxTarget): Promise<Upstream> {
    if (target.podIp !== undefined) return upstreamOf(target.podIp, target.port, 'pod-ip');
    if (locator === undefined)
      return upstreamOf(`${target.id}.${target.namespace}${suffix}`, target.port, 'dns');
    let location: SandboxLocation | undefined;
    try {
      location = await locator.locate(target.id, target.namespace);
    } catch (err) {
      throw unreachable(target.id, err);
    }
    // Neither router knows more about a sandbox than "could not connect", so unknown stays a 502.
    if (location === undefined)
      throw unreachable(target.id, new Error('the sandbox-manager knows no such sandbox'));
    return upstreamOf(location.address, location.port, 'manager');
  };
}

export type ResolveUpstream = ReturnType<typeof createResolver>;
