// Quota and LimitRange arithmetic: what a refused pod asked, what the quota allows, what is already
// used, and which resource tipped it over; parsed from the admission message the controller's
// FailedCreate event carries and recomputed from the quota's status and the pod template.
import { type PodSpec, type ResourceQuota } from '../snapshot';
import { formatQuantity, parseQuantity } from '../util/quantity';
import { podAmounts } from './requests';

export interface QuotaLine {
  resource: string;
  asked: number;
  used: number;
  hard: number;
  /** hard - used: what is left before this request. */
  remaining: number;
  exceeded: boolean;
}

export interface QuotaRefusal {
  quota: string;
  /** Resources the request would take over the limit (from the message). */
  lines: QuotaLine[];
  /** Resources the quota tracks that the pod did not specify (`must specify limits.cpu`). */
  mustSpecify: string[];
}

export interface LimitRangeRefusal {
  /** `maximum memory usage per Container is 1Gi, but limit is 2Gi`. */
  violations: string[];
  resources: string[];
}

function parseList(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const value = parseQuantity(part.slice(eq + 1).trim());
    if (value !== undefined) out[part.slice(0, eq).trim()] = value;
  }
  return out;
}

// The admission plugin prints `k=v` lists joined by commas without spaces.
const EXCEEDED = /exceeded quota: ([\w.-]+), requested: (\S+), used: (\S+), limited: ([^\s\]]+)/;
const MUST_SPECIFY = /failed quota: ([\w.-]+): must specify (.+?)(?:\]|$)/;

/** Parses a quota admission refusal, or undefined when the message is not one. */
export function parseQuotaRefusal(message: string): QuotaRefusal | undefined {
  const exceeded = EXCEEDED.exec(message);
  if (exceeded) {
    const requested = parseList(exceeded[2]);
    const used = parseList(exceeded[3]);
    const limited = parseList(exceeded[4]);
    const lines = Object.keys(requested).map((resource) => {
      const hard = limited[resource] ?? Number.POSITIVE_INFINITY;
      const u = used[resource] ?? 0;
      return {
        resource,
        asked: requested[resource],
        used: u,
        hard,
        remaining: hard - u,
        exceeded: u + requested[resource] > hard,
      };
    });
    return { quota: exceeded[1], lines, mustSpecify: [] };
  }
  const must = MUST_SPECIFY.exec(message);
  if (must) {
    const resources = [...must[2].matchAll(/((?:requests|limits)\.[\w.-]+|cpu|memory)/g)].map((m) => m[1]);
    return { quota: must[1], lines: [], mustSpecify: [...new Set(resources)] };
  }
  return undefined;
}

const LIMIT_VIOLATION =
  /(?:maximum|minimum) ([\w.-]+) usage per (?:Container|Pod|PersistentVolumeClaim) is [^,\]]+, but (?:limit|request) is [^,\]]+|([\w.-]+) max limit to request ratio per (?:Container|Pod) is [^,\]]+, but provided ratio is [^,\]]+/g;

export function parseLimitRangeRefusal(message: string): LimitRangeRefusal | undefined {
  const violations: string[] = [];
  const resources: string[] = [];
  for (const m of message.matchAll(LIMIT_VIOLATION)) {
    violations.push(m[0]);
    resources.push(m[1] ?? m[2]);
  }
  return violations.length ? { violations, resources: [...new Set(resources)] } : undefined;
}

/**
 * The quota's own view of a pod template: per resource the quota tracks, what one more pod asks,
 * what is used and the hard limit. Resources the pod does not ask for are left out.
 */
export function quotaArithmetic(quota: ResourceQuota, spec: PodSpec | undefined): QuotaLine[] {
  const hard = quota.status?.hard ?? quota.spec?.hard ?? {};
  const used = quota.status?.used ?? {};
  const asks = spec ? podAmounts(spec) : {};
  const lines: QuotaLine[] = [];
  for (const [resource, hardValue] of Object.entries(hard)) {
    const h = parseQuantity(hardValue);
    if (h === undefined) continue;
    const u = parseQuantity(used[resource]) ?? 0;
    const asked = resource === 'pods' || resource === 'count/pods' ? 1 : (asks[resource] ?? 0);
    if (spec && asked === 0) continue;
    lines.push({ resource, asked, used: u, hard: h, remaining: h - u, exceeded: u + asked > h });
  }
  return lines;
}

/** Resources whose use has reached the hard limit (nothing more fits). */
export function exhaustedResources(quota: ResourceQuota): QuotaLine[] {
  return quotaArithmetic(quota, undefined).filter((line) => line.hard > 0 && line.used >= line.hard);
}

/** `limits.memory: asks 512Mi, 1.5Gi of 2Gi used, 512Mi left`. */
export function describeQuotaLine(line: QuotaLine): string {
  const f = (n: number) => formatQuantity(line.resource, n);
  const left = line.remaining > 0 ? `${f(line.remaining)} left` : 'nothing left';
  return `${line.resource}: asks ${f(line.asked)}, ${f(line.used)} of ${f(line.hard)} used, ${left}`;
}
