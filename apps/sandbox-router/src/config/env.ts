// Reads the router's environment (an injected record; tests pass a fake) into RouterConfig. Exits are
// main.ts's job: a bad variable throws service-kit's ConfigError naming it.
import { type Env, loadConfig } from '@foxhound/service-kit';
import { routerEnvSchema } from './schema';

export type ResolverKind = 'dns' | 'manager';

export interface RouterConfig {
  host: string;
  port: number;
  logLevel: string;
  shutdownTimeoutMs: number;
  defaultNamespace: string;
  allowedPorts: ReadonlySet<number>;
  podCidrs: readonly string[];
  clusterDomain: string;
  idleTimeoutMs: number;
  connectTimeoutMs: number;
  authToken: string | undefined;
  resolver: ResolverKind;
  manager: { url: string; token: string | undefined } | undefined;
  allowLoopbackUpstream: boolean;
  maxSocketsPerHost: number;
}

export function loadRouterConfig(env: Env = process.env): RouterConfig {
  const e = loadConfig(routerEnvSchema, env);
  return {
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    defaultNamespace: e.ROUTER_DEFAULT_NAMESPACE,
    allowedPorts: new Set(e.ROUTER_ALLOWED_PORTS.map(Number)),
    podCidrs: e.ROUTER_POD_CIDRS,
    clusterDomain: e.ROUTER_CLUSTER_DOMAIN,
    idleTimeoutMs: Math.round(e.ROUTER_IDLE_TIMEOUT_SECONDS * 1000),
    connectTimeoutMs: Math.round(e.ROUTER_CONNECT_TIMEOUT_SECONDS * 1000),
    authToken: e.ROUTER_AUTH_TOKEN,
    resolver: e.ROUTER_RESOLVER,
    manager:
      e.ROUTER_RESOLVER === 'manager' && e.SANDBOX_MANAGER_URL !== undefined
        ? { url: e.SANDBOX_MANAGER_URL, token: e.SANDBOX_MANAGER_TOKEN }
        : undefined,
    allowLoopbackUpstream: e.ROUTER_ALLOW_LOOPBACK_UPSTREAM,
    maxSocketsPerHost: e.ROUTER_MAX_SOCKETS_PER_HOST,
  };
}
