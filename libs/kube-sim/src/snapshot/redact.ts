// Objects as `kubectl get -o yaml` prints them (apiVersion and kind on every item, no
// managedFields), and Secrets with every value replaced by a redaction marker while their keys
// stay, including inside the last-applied-configuration annotation that would repeat them.
import { type KubeObject } from '../types';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** base64 of `<redacted by kube-sim snapshot>`: still valid Secret data, plainly not the real value. */
export const REDACTED = Buffer.from('<redacted by kube-sim snapshot>').toString('base64');
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export function asPrinted(item: Json, apiVersion: string, kind: string): KubeObject {
  const { managedFields: _dropped, ...metadata } = (item.metadata ?? {}) as Json;
  return { apiVersion, kind, ...item, metadata } as KubeObject;
}

function redactValues(map: unknown): Json | undefined {
  if (!map || typeof map !== 'object') return undefined;
  return Object.fromEntries(Object.keys(map).map((k) => [k, REDACTED]));
}

export function redactSecret(secret: KubeObject): KubeObject {
  const out: Json = structuredClone(secret);
  if (out.data) out.data = redactValues(out.data);
  if (out.stringData) out.stringData = redactValues(out.stringData);
  const applied = out.metadata.annotations?.[LAST_APPLIED];
  if (typeof applied === 'string') {
    let replacement = REDACTED;
    try {
      const parsed = JSON.parse(applied) as Json;
      if (parsed.data) parsed.data = redactValues(parsed.data);
      if (parsed.stringData) parsed.stringData = redactValues(parsed.stringData);
      replacement = JSON.stringify(parsed) + (applied.endsWith('\n') ? '\n' : '');
    } catch {
      // Not JSON: nothing in it can be kept safely.
    }
    out.metadata.annotations[LAST_APPLIED] = replacement;
  }
  return out as KubeObject;
}
