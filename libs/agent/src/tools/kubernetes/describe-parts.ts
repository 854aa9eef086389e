// Pieces every kubectl_describe view shares: conditions, a container with its state, the pods a
// workload selects, and a bounded `path: value` rendering of any spec or status a kind has no
// hand-written view for.
import {
  type Condition,
  type Container,
  type ContainerStatus,
  type KubeObject,
  type LabelSelector,
  type Labels,
  type Pod,
} from '@foxhound/diagnostics';
import { type ClusterReader } from '../../cluster/reader';
import { selectorString } from '../../cluster/selectors';
import { age, podReady, podRestarts, podStatus } from '../format';

export function conditionLines(conditions: Condition[] | undefined): string[] {
  if (!conditions?.length) return [];
  return [
    'Conditions:',
    ...conditions.map(
      (c) => `  ${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`,
    ),
  ];
}

export function containerLines(c: Container, status: ContainerStatus | undefined, now: Date): string[] {
  const out = [`  ${c.name}:`, `    Image: ${c.image ?? '?'}`];
  if (c.command?.length) out.push(`    Command: ${c.command.join(' ')}`);
  if (c.args?.length) out.push(`    Args: ${c.args.join(' ')}`);
  if (c.ports?.length)
    out.push(
      `    Ports: ${c.ports.map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}${p.name ? ` (${p.name})` : ''}`).join(', ')}`,
    );
  if (status) {
    const s = status.state;
    const state = s?.waiting
      ? `Waiting (${s.waiting.reason ?? '?'})${s.waiting.message ? `: ${s.waiting.message}` : ''}`
      : s?.terminated
        ? `Terminated (${s.terminated.reason ?? '?'}, exit ${s.terminated.exitCode})`
        : s?.running
          ? `Running since ${age(s.running.startedAt, now)} ago`
          : 'Unknown';
    out.push(`    State: ${state}`);
    const last = status.lastState?.terminated;
    if (last)
      out.push(
        `    Last state: Terminated (${last.reason ?? '?'}, exit ${last.exitCode}${last.finishedAt ? `, ${age(last.finishedAt, now)} ago` : ''})${last.message ? `: ${last.message}` : ''}`,
      );
    out.push(`    Ready: ${status.ready}  Restarts: ${status.restartCount}`);
  }
  const r = c.resources;
  if (r?.requests || r?.limits) {
    const fmt = (l: Record<string, string | number> | undefined) =>
      Object.entries(l ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(',') || '-';
    out.push(`    Requests: ${fmt(r.requests)}  Limits: ${fmt(r.limits)}`);
  }
  for (const [kind, probe] of [
    ['Liveness', c.livenessProbe],
    ['Readiness', c.readinessProbe],
    ['Startup', c.startupProbe],
  ] as const) {
    if (!probe) continue;
    const target = probe.httpGet
      ? `http-get ${probe.httpGet.path ?? '/'} port ${probe.httpGet.port}`
      : probe.tcpSocket
        ? `tcp port ${probe.tcpSocket.port}`
        : probe.grpc
          ? `grpc port ${probe.grpc.port}`
          : `exec ${(probe.exec?.command ?? []).join(' ')}`;
    out.push(
      `    ${kind}: ${target} delay=${probe.initialDelaySeconds ?? 0}s period=${probe.periodSeconds ?? 10}s failures=${probe.failureThreshold ?? 3}`,
    );
  }
  const env = (c.env ?? []).map((e) => {
    if (e.valueFrom?.configMapKeyRef)
      return `${e.name} from ConfigMap ${e.valueFrom.configMapKeyRef.name}.${e.valueFrom.configMapKeyRef.key}`;
    if (e.valueFrom?.secretKeyRef)
      return `${e.name} from Secret ${e.valueFrom.secretKeyRef.name}.${e.valueFrom.secretKeyRef.key}`;
    if (e.valueFrom) return `${e.name} from ${Object.keys(e.valueFrom)[0]}`;
    return `${e.name}=${(e.value ?? '').slice(0, 80)}`;
  });
  if (env.length) out.push(`    Env: ${env.join('; ')}`);
  for (const f of c.envFrom ?? [])
    out.push(
      `    EnvFrom: ${f.configMapRef ? `ConfigMap ${f.configMapRef.name}` : `Secret ${f.secretRef?.name}`}`,
    );
  return out;
}

/** Pods shown under a workload; the rest are counted. */
const MAX_PODS = 10;

/** The pods a workload selects, one line each with their status, as `kubectl describe` hints at. */
export async function podLines(
  cluster: ClusterReader,
  namespace: string | undefined,
  selector: LabelSelector | Labels | undefined,
): Promise<string[]> {
  const labelSelector = selectorString(selector);
  if (!labelSelector) return [];
  const pods = (await cluster.list('pods', { namespace, labelSelector })) as Pod[];
  if (!pods.length) return [`Pods (${labelSelector}): <none>`];
  return [
    `Pods (${labelSelector}): ${pods.length}`,
    ...pods
      .slice(0, MAX_PODS)
      .map(
        (p) =>
          `  ${p.metadata.name}  ${podReady(p)}  ${podStatus(p)}  restarts ${podRestarts(p)}  node ${p.spec.nodeName ?? '<none>'}`,
      ),
    ...(pods.length > MAX_PODS
      ? [`  … ${pods.length - MAX_PODS} more (kubectl_get kind=Pod labelSelector=${labelSelector})`]
      : []),
  ];
}

/** Lines of the generic view; more become one line that says how to read them. */
const MAX_FIELD_LINES = 60;
const MAX_VALUE = 200;

function flatten(value: unknown, path: string, out: string[]): void {
  if (out.length > MAX_FIELD_LINES) return;
  if (Array.isArray(value)) {
    if (!value.length) out.push(`${path}: []`);
    value.forEach((v, i) => flatten(v, `${path}[${i}]`, out));
  } else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (!entries.length) out.push(`${path}: {}`);
    for (const [k, v] of entries) flatten(v, path ? `${path}.${k}` : k, out);
  } else {
    const text = String(value);
    out.push(`${path}: ${text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text}`);
  }
}

/** Every field under `spec` and `status` (or the top-level fields of kinds without them), bounded. */
export function fieldLines(obj: KubeObject): string[] {
  const { apiVersion: _v, kind: _k, metadata: _m, ...rest } = obj as KubeObject & Record<string, unknown>;
  if (!Object.keys(rest).length) return ['No spec or status: this kind is described by its metadata alone.'];
  const out: string[] = [];
  flatten(rest, '', out);
  if (out.length <= MAX_FIELD_LINES) return out;
  return [
    ...out.slice(0, MAX_FIELD_LINES),
    `… more fields; read them with kubectl_get name=${obj.metadata.name} and a jsonpath such as {.spec} or {.status}`,
  ];
}
