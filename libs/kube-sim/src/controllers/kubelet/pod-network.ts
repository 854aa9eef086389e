// Pod IPs: from the optional pod runtime (which may start a real process, an executor for a
// "sandbox pod", and return the address it listens on) or else the next free address in the
// node's pod range: `spec.podCIDR` when the node has one, otherwise the /24 of its InternalIP, as
// the AWS VPC CNI hands out addresses from the node's subnet. Addresses in use are skipped.
import { isIPv4 } from 'node:net';
import { type StoredObject } from '../../types';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Runs a pod for real, optionally: `start` is called when the pod's sandbox is created and
 * resolves once the pod is reachable, with its IP (say, of a process it started) or without one
 * to take the next address of the node's range; the signal aborts if the pod is deleted first.
 * `stop` runs once when the pod is deleted, `close` when the kubelet stops. The agent-sandbox
 * controller's PodRuntime (e.g. loopbackProcessRuntime) has this shape, so it serves here too.
 */
export interface KubeletPodRuntime {
  start(pod: StoredObject, signal: AbortSignal): Promise<{ podIP?: string }>;
  stop?(pod: StoredObject): Promise<void> | void;
  close?(): Promise<void> | void;
}

const MAX_SCAN = 65_536;

function toInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function toIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

export function nodeInternalIP(node: StoredObject): string | undefined {
  const addresses: Json[] = (node as Json).status?.addresses ?? [];
  return addresses.find((a) => a.type === 'InternalIP' && isIPv4(a.address))?.address;
}

/** The node's pod range as [first usable, last usable]. */
function podRange(node: StoredObject): [number, number] | undefined {
  const cidr: string | undefined = (node as Json).spec?.podCIDR;
  const m = cidr ? /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cidr) : undefined;
  if (m && isIPv4(m[1]) && Number(m[2]) >= 8 && Number(m[2]) <= 30) {
    const size = 2 ** (32 - Number(m[2]));
    const base = toInt(m[1]) - (toInt(m[1]) % size);
    return [base + 2, base + size - 2];
  }
  const internal = nodeInternalIP(node);
  if (!internal) return undefined;
  const base = toInt(internal) - (toInt(internal) % 256);
  return [base + 10, base + 254];
}

/** The next free address on `node`, or undefined when its range is exhausted or unknown. */
export function allocatePodIP(node: StoredObject, inUse: Set<string>): string | undefined {
  const range = podRange(node);
  if (!range) return undefined;
  const [first, last] = range;
  for (let n = first, scanned = 0; n <= last && scanned < MAX_SCAN; n++, scanned++) {
    const ip = toIp(n);
    if (!inUse.has(ip)) return ip;
  }
  return undefined;
}
