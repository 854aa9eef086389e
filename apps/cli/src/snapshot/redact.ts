// What a snapshot must not carry out of a cluster. The collector never keeps Secret data (and lists
// no Secrets unless asked); this removes the other places credentials sit in plain objects: env
// values whose names say they are secret, and the last-applied annotation, which can repeat them.
import { type KubeJson } from '@foxhound/contracts';

export const REDACTED = 'REDACTED-by-foxhound-snapshot';
const SECRET_NAME = /(pass(word|wd)?|secret|token|api[-_]?key|private[-_]?key|credential|auth)/i;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type Json = Record<string, unknown>;

function redactContainers(containers: unknown): number {
  let count = 0;
  for (const c of Array.isArray(containers) ? (containers as Json[]) : []) {
    for (const e of Array.isArray(c.env) ? (c.env as Json[]) : []) {
      if (typeof e.value === 'string' && typeof e.name === 'string' && SECRET_NAME.test(e.name)) {
        e.value = REDACTED;
        count++;
      }
    }
  }
  return count;
}

/** A deep copy of `object` with secrets replaced; `count` says how many values were replaced. */
export function redactObject(object: KubeJson): { object: KubeJson; count: number } {
  const copy = structuredClone(object) as Json & KubeJson;
  let count = 0;
  const annotations = (copy.metadata as Json).annotations as Json | undefined;
  if (annotations?.[LAST_APPLIED] !== undefined) {
    annotations[LAST_APPLIED] = REDACTED;
    count++;
  }
  // Pods carry their spec; workloads carry it under spec.template (CronJobs one level deeper).
  const specs: unknown[] = [copy.spec];
  const spec = copy.spec as Json | undefined;
  specs.push((spec?.template as Json | undefined)?.spec);
  specs.push((((spec?.jobTemplate as Json | undefined)?.spec as Json | undefined)?.template as Json | undefined)?.spec);
  for (const s of specs as (Json | undefined)[]) {
    if (!s) continue;
    count += redactContainers(s.containers) + redactContainers(s.initContainers);
  }
  if (copy.kind === 'Secret') {
    for (const field of ['data', 'stringData']) {
      const values = copy[field] as Json | undefined;
      for (const k of Object.keys(values ?? {})) {
        values![k] = REDACTED;
        count++;
      }
    }
  }
  return { object: copy, count };
}
