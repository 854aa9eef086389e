// The router's configuration: one zod schema over the environment (keys are the variable names, so a
// bad value is reported by name) whose defaults are the whole default config, plus the cross-field
// rules. env.ts reads it and turns it into the typed RouterConfig the rest of the router uses.
import { isIPv4, isIPv6 } from 'node:net';
import { DNS_LABEL_PATTERN, EXECUTOR_PORT } from '@foxhound/contracts';
import { baseServiceEnvShape, env } from '@foxhound/service-kit';
import { z } from 'zod';

/** `10.0.0.0/8`, `fd00::/8`: an address and a prefix length that fits its family. */
export const CIDR_PATTERN = /^([0-9a-fA-F:.]+)\/(\d{1,3})$/;

function cidrProblem(value: string): string | undefined {
  const match = CIDR_PATTERN.exec(value);
  if (!match) return `"${value}" is not a CIDR such as 10.0.0.0/8`;
  const [, address, prefix] = match;
  const bits = isIPv4(address!) ? 32 : isIPv6(address!) ? 128 : 0;
  if (bits === 0) return `"${value}" does not start with an IP address`;
  if (Number(prefix) > bits) return `"${value}" has a prefix longer than ${bits} bits`;
  return undefined;
}

const portList = env.list([String(EXECUTOR_PORT)]).superRefine((ports, ctx) => {
  for (const port of ports) {
    if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
      ctx.addIssue({ code: 'custom', message: `"${port}" is not a port in 1-65535` });
    }
  }
  if (ports.length === 0) ctx.addIssue({ code: 'custom', message: 'list at least one port' });
});

const cidrList = env.list([]).superRefine((cidrs, ctx) => {
  for (const cidr of cidrs) {
    const problem = cidrProblem(cidr);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }
});

/** A DNS name made of RFC 1123 labels, e.g. `cluster.local`. */
const dnsName = (fallback: string) =>
  z
    .string()
    .max(253)
    .refine((v) => v.split('.').every((label) => DNS_LABEL_PATTERN.test(label)), 'expected a DNS name')
    .default(fallback);

export const routerEnvSchema = z
  .object({
    ...baseServiceEnvShape,
    PORT: env.port(8080),
    /** Namespace used when a request has no X-Sandbox-Namespace. */
    ROUTER_DEFAULT_NAMESPACE: z.string().regex(DNS_LABEL_PATTERN, 'expected a DNS label').default('default'),
    /** Ports a request may name in X-Sandbox-Port. */
    ROUTER_ALLOWED_PORTS: portList,
    /** Pod networks X-Sandbox-Pod-IP may point into; empty refuses every X-Sandbox-Pod-IP. */
    ROUTER_POD_CIDRS: cidrList,
    ROUTER_CLUSTER_DOMAIN: dnsName('cluster.local'),
    /** How long a request or stream may move no bytes before it is cut (504 if nothing was sent yet). */
    ROUTER_IDLE_TIMEOUT_SECONDS: env.number(180, 0.001, 86_400),
    /** Queueing, DNS and TCP connect to the sandbox, per attempt. */
    ROUTER_CONNECT_TIMEOUT_SECONDS: env.number(5, 0.001, 300),
    ROUTER_AUTH_TOKEN: env.token().optional(),
    ROUTER_RESOLVER: z.enum(['dns', 'manager']).default('dns'),
    SANDBOX_MANAGER_URL: env.url().optional(),
    SANDBOX_MANAGER_TOKEN: env.token().optional(),
    /** One-machine setups only: lets addresses from the manager (never from a header) be loopback. */
    ROUTER_ALLOW_LOOPBACK_UPSTREAM: env.bool(false),
    ROUTER_MAX_SOCKETS_PER_HOST: env.int(64, 1, 10_000),
  })
  .superRefine((value, ctx) => {
    if (value.ROUTER_RESOLVER === 'manager' && value.SANDBOX_MANAGER_URL === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['SANDBOX_MANAGER_URL'],
        message: 'required when ROUTER_RESOLVER=manager',
      });
    }
  });

export type RouterEnv = z.infer<typeof routerEnvSchema>;
