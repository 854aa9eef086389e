// The environment a container sees: envFrom then env, values from ConfigMaps and Secrets (base64
// decoded) resolved as the kubelet does, for declared behaviours that read it (`printenv`, the
// postgres entrypoint). Missing optional references contribute nothing; the kubelet refuses
// missing required ones before this runs (config-checks.ts).
import { type KubeObject } from '../../../types';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type Lookup = (kind: 'configmaps' | 'secrets', name: string) => KubeObject | undefined;

const decode = (v: unknown) => Buffer.from(String(v ?? ''), 'base64').toString('utf8');

function values(kind: 'configmaps' | 'secrets', o: KubeObject | undefined): Record<string, string> {
  const data: Json = (o as Json | undefined)?.data ?? {};
  return Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, kind === 'secrets' ? decode(v) : String(v)]),
  );
}

export function resolveEnv(container: Json, lookup: Lookup): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of (container.envFrom ?? []) as Json[]) {
    const kind = from.configMapRef ? 'configmaps' : from.secretRef ? 'secrets' : undefined;
    if (!kind) continue;
    const found = values(kind, lookup(kind, (from.configMapRef ?? from.secretRef).name));
    for (const [k, v] of Object.entries(found)) env[`${from.prefix ?? ''}${k}`] = v;
  }
  for (const e of (container.env ?? []) as Json[]) {
    if (typeof e.value === 'string') env[e.name] = e.value;
    const ref = e.valueFrom?.configMapKeyRef ?? e.valueFrom?.secretKeyRef;
    if (!ref) continue;
    const kind = e.valueFrom.configMapKeyRef ? 'configmaps' : 'secrets';
    const value = values(kind, lookup(kind, ref.name))[ref.key];
    if (value !== undefined) env[e.name] = value;
  }
  return env;
}
