// The request contract: X-Sandbox-ID, -Namespace, -Port, -Pod-IP and -Timeout, validated as the SIG
// router does and with the same 400 messages, plus the port allow-list, the pod CIDR allow-list and a
// strict X-Sandbox-Timeout. Only values that cannot name another host get through: labels are
// RFC 1123 (no dots, colons, `@`, slashes or `%`), the port is digits, the pod IP is a bare literal.
// Which upstream the target becomes is resolve.ts's question.
import { type IncomingHttpHeaders } from 'node:http';
import { DNS_LABEL_PATTERN, EXECUTOR_PORT, SandboxHeaders } from '@foxhound/contracts';
import { InputError } from '@foxhound/service-kit';
import { type AddressPolicy } from './address';

export interface SandboxTarget {
  id: string;
  namespace: string;
  port: number;
  /** X-Sandbox-Pod-IP, already checked against the pod CIDRs and the blocked address classes. */
  podIp: string | undefined;
  /** The idle timeout for this request: X-Sandbox-Timeout, capped at the configured one. */
  idleTimeoutMs: number;
}

export interface HeaderRules {
  defaultNamespace: string;
  allowedPorts: ReadonlySet<number>;
  idleTimeoutMs: number;
  addressPolicy: AddressPolicy;
}

export const HEADER_MESSAGES = {
  idRequired: 'X-Sandbox-ID header is required.',
  badId: 'Invalid sandbox ID format.',
  badNamespace: 'Invalid namespace format.',
  badPort: 'Invalid port format.',
  portNotAllowed: 'Sandbox port is not allowed.',
  // One message whether the value did not parse or named a forbidden address: no validation oracle.
  badPodIp: 'Invalid target IP address.',
  badTimeout: 'Invalid timeout format.',
} as const;

const PORT_PATTERN = /^\d{1,5}$/;
/** Plain decimal seconds: no sign, exponent, `inf` or `nan` (Python's float() accepts all of those). */
const SECONDS_PATTERN = /^(?:\d{1,9}(?:\.\d{0,9})?|\.\d{1,9})$/;

const isDnsLabel = (value: string): boolean => DNS_LABEL_PATTERN.test(value);

/** Returns the target, or the InputError to answer with. Never throws. */
export function parseSandboxHeaders(
  headers: IncomingHttpHeaders,
  rules: HeaderRules,
): SandboxTarget | InputError {
  // Repeated x-* headers arrive joined with ", ", which no rule below accepts.
  const id = headers[SandboxHeaders.id];
  if (typeof id !== 'string' || id === '') return new InputError(HEADER_MESSAGES.idRequired);
  if (!isDnsLabel(id)) return new InputError(HEADER_MESSAGES.badId);

  const namespace = headers[SandboxHeaders.namespace] ?? rules.defaultNamespace;
  if (typeof namespace !== 'string' || !isDnsLabel(namespace)) {
    return new InputError(HEADER_MESSAGES.badNamespace);
  }

  let port: number = EXECUTOR_PORT;
  const rawPort = headers[SandboxHeaders.port];
  if (rawPort !== undefined) {
    if (typeof rawPort !== 'string' || !PORT_PATTERN.test(rawPort))
      return new InputError(HEADER_MESSAGES.badPort);
    port = Number(rawPort);
    if (port < 1 || port > 65535) return new InputError(HEADER_MESSAGES.badPort);
  }
  if (!rules.allowedPorts.has(port)) return new InputError(HEADER_MESSAGES.portNotAllowed);

  const podIp = headers[SandboxHeaders.podIp];
  if (podIp !== undefined && (typeof podIp !== 'string' || !rules.addressPolicy.allows(podIp, 'header'))) {
    return new InputError(HEADER_MESSAGES.badPodIp);
  }

  let idleTimeoutMs = rules.idleTimeoutMs;
  const rawTimeout = headers[SandboxHeaders.timeout];
  if (rawTimeout !== undefined) {
    const seconds =
      typeof rawTimeout === 'string' && SECONDS_PATTERN.test(rawTimeout) ? Number(rawTimeout) : 0;
    if (!(seconds > 0)) return new InputError(HEADER_MESSAGES.badTimeout);
    idleTimeoutMs = Math.min(idleTimeoutMs, Math.max(1, Math.round(seconds * 1000)));
  }

  return { id, namespace, port, podIp, idleTimeoutMs };
}
