// What changed: rollouts (a new ReplicaSet and how its pod template differs from the previous one),
// ConfigMap and Secret edits, and scaling, with times, so a failure that started right after a
// change is pinned on the change, and a rollback names the revision that worked.
import { type ObjectRef } from '@foxhound/contracts';
import { type Lookup } from '../lookup';
import {
  type Container,
  type Deployment,
  type KubeObject,
  type Pod,
  type PodTemplateSpec,
  type Probe,
  type ReplicaSet,
} from '../snapshot';
import { eventTime } from '../util/finding';
import { parseImage, repositoryKey } from './images';
import { refOf } from '../util/refs';
import { toMillis } from '../util/time';

export interface Change {
  at: string;
  what: string;
  ref: ObjectRef;
  kind: 'rollout' | 'config' | 'scale';
}

export interface Rollout {
  current: ReplicaSet;
  previous?: ReplicaSet;
  currentRevision: number;
  previousRevision?: number;
  /** When the current ReplicaSet was created. */
  at?: string;
  /** Human-readable differences between the previous and current pod templates. */
  diff: string[];
}

/** At most this many differences are listed per rollout. */
const MAX_DIFF = 12;

function probeText(p: Probe | undefined): string {
  if (!p) return 'none';
  if (p.httpGet) return `http ${p.httpGet.path ?? '/'} port ${p.httpGet.port}`;
  if (p.tcpSocket) return `tcp port ${p.tcpSocket.port}`;
  if (p.grpc) return `grpc port ${p.grpc.port}`;
  if (p.exec) return `exec ${(p.exec.command ?? []).join(' ')}`;
  return JSON.stringify(p);
}

function envText(c: Container): Map<string, string> {
  const env = new Map<string, string>();
  for (const e of c.env ?? []) {
    if (e.value !== undefined) env.set(e.name, JSON.stringify(e.value));
    else if (e.valueFrom?.configMapKeyRef)
      env.set(e.name, `ConfigMap ${e.valueFrom.configMapKeyRef.name} key ${e.valueFrom.configMapKeyRef.key}`);
    // Secret values never appear in a diff: only which secret and key.
    else if (e.valueFrom?.secretKeyRef)
      env.set(e.name, `Secret ${e.valueFrom.secretKeyRef.name} key ${e.valueFrom.secretKeyRef.key}`);
    else env.set(e.name, JSON.stringify(e.valueFrom ?? null));
  }
  for (const from of c.envFrom ?? []) {
    const source = from.configMapRef
      ? `ConfigMap ${from.configMapRef.name}`
      : from.secretRef
        ? `Secret ${from.secretRef.name}`
        : 'unknown';
    env.set(`envFrom ${source}`, source);
  }
  return env;
}

/** `ledger-api 2.14.3 → 2.15.0` when only the tag moved, both references in full otherwise. */
function imageChange(before: string | undefined, after: string | undefined): string {
  const a = before ? parseImage(before) : undefined;
  const b = after ? parseImage(after) : undefined;
  if (a && b && repositoryKey(a) === repositoryKey(b) && !a.digest && !b.digest) {
    return `${after} (was tag ${a.tag ?? 'latest'})`;
  }
  return `${before} → ${after}`;
}

function containerDiff(before: Container, after: Container): string[] {
  const out: string[] = [];
  const name = after.name;
  if (before.image !== after.image)
    out.push(`container ${name} image ${imageChange(before.image, after.image)}`);
  const cmd = (c: Container) => JSON.stringify([c.command ?? [], c.args ?? []]);
  if (cmd(before) !== cmd(after))
    out.push(
      `container ${name} command/args ${[...(before.command ?? []), ...(before.args ?? [])].join(' ') || '(image default)'} → ${[...(after.command ?? []), ...(after.args ?? [])].join(' ') || '(image default)'}`,
    );
  const eb = envText(before);
  const ea = envText(after);
  for (const [k, v] of ea) {
    if (!eb.has(k)) out.push(`container ${name} env ${k} added (${v})`);
    else if (eb.get(k) !== v) out.push(`container ${name} env ${k} changed ${eb.get(k)} → ${v}`);
  }
  for (const k of eb.keys()) if (!ea.has(k)) out.push(`container ${name} env ${k} removed`);
  for (const field of ['limits', 'requests'] as const) {
    for (const resource of ['cpu', 'memory']) {
      const b = before.resources?.[field]?.[resource];
      const a = after.resources?.[field]?.[resource];
      if (b !== a) out.push(`container ${name} ${field}.${resource} ${b ?? 'unset'} → ${a ?? 'unset'}`);
    }
  }
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    const b = probeText(before[probe]);
    const a = probeText(after[probe]);
    if (b !== a) out.push(`container ${name} ${probe} ${b} → ${a}`);
  }
  const ports = (c: Container) => (c.ports ?? []).map((p) => p.containerPort).join(',');
  if (ports(before) !== ports(after))
    out.push(`container ${name} ports ${ports(before) || 'none'} → ${ports(after) || 'none'}`);
  out.push(
    ...settingsDiff(`container ${name} securityContext`, before.securityContext, after.securityContext),
  );
  const mounts = (c: Container) =>
    (c.volumeMounts ?? [])
      .filter((m) => !m.mountPath.startsWith('/var/run/secrets/kubernetes.io/'))
      .map(
        (m) =>
          `${m.mountPath}${m.subPath ? `/${m.subPath}` : ''} (${m.name}${m.readOnly ? ', read-only' : ''})`,
      )
      .sort()
      .join(', ');
  if (mounts(before) !== mounts(after))
    out.push(`container ${name} volumeMounts ${mounts(before) || 'none'} → ${mounts(after) || 'none'}`);
  return out;
}

/** Leaf settings of a nested object as `path=value`, for settings diffed field by field. */
function leaves(value: unknown, path: string, out: Map<string, string>): Map<string, string> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out);
  } else if (value !== undefined && value !== null) out.set(path, JSON.stringify(value));
  return out;
}

/**
 * Each setting that differs, as `what field before → after`: a security context tightened in a
 * release (readOnlyRootFilesystem, runAsNonRoot, dropped capabilities) is a change like an image.
 */
function settingsDiff(what: string, before: unknown, after: unknown): string[] {
  const b = leaves(before, '', new Map());
  const a = leaves(after, '', new Map());
  const out: string[] = [];
  for (const key of new Set([...b.keys(), ...a.keys()]))
    if (b.get(key) !== a.get(key))
      out.push(`${what} ${key} ${b.get(key) ?? 'unset'} → ${a.get(key) ?? 'unset'}`);
  return out;
}

/** Differences between two pod templates, in the words an engineer would use in a review. */
export function templateDiff(
  before: PodTemplateSpec | undefined,
  after: PodTemplateSpec | undefined,
): string[] {
  if (!before?.spec || !after?.spec) return [];
  const out: string[] = [];
  const all = (t: PodTemplateSpec) => [...(t.spec.initContainers ?? []), ...t.spec.containers];
  const beforeByName = new Map(all(before).map((c) => [c.name, c]));
  for (const c of all(after)) {
    const prior = beforeByName.get(c.name);
    if (!prior) out.push(`container ${c.name} added (${c.image})`);
    else out.push(...containerDiff(prior, c));
  }
  for (const name of beforeByName.keys())
    if (!all(after).some((c) => c.name === name)) out.push(`container ${name} removed`);
  const volumes = (t: PodTemplateSpec) =>
    (t.spec.volumes ?? [])
      .map((v) => v.configMap?.name ?? v.secret?.secretName ?? v.persistentVolumeClaim?.claimName ?? v.name)
      .sort()
      .join(',');
  if (volumes(before) !== volumes(after))
    out.push(`volumes ${volumes(before) || 'none'} → ${volumes(after) || 'none'}`);
  const selector = (t: PodTemplateSpec) =>
    Object.entries(t.spec.nodeSelector ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .sort()
      .join(',');
  if (selector(before) !== selector(after))
    out.push(`nodeSelector ${selector(before) || 'none'} → ${selector(after) || 'none'}`);
  const tolerations = (t: PodTemplateSpec) =>
    (t.spec.tolerations ?? [])
      .map((x) => `${x.key ?? '*'}${x.value ? `=${x.value}` : ''}:${x.effect ?? '*'}`)
      .sort()
      .join(',');
  if (tolerations(before) !== tolerations(after))
    out.push(`tolerations ${tolerations(before) || 'none'} → ${tolerations(after) || 'none'}`);
  out.push(...settingsDiff('pod securityContext', before.spec.securityContext, after.spec.securityContext));
  const account = (t: PodTemplateSpec) => t.spec.serviceAccountName ?? 'default';
  if (account(before) !== account(after))
    out.push(`serviceAccountName ${account(before)} → ${account(after)}`);
  return out.slice(0, MAX_DIFF);
}

/** The Deployment's current and previous revisions and what differs between them. */
export function rolloutOf(l: Lookup, deployment: Deployment): Rollout | undefined {
  const sets = l.replicaSetsOf(deployment.metadata.namespace ?? 'default', deployment.metadata.name);
  if (!sets.length) return undefined;
  const [current, previous] = sets;
  return {
    current,
    previous,
    currentRevision: l.revisionOf(current),
    previousRevision: previous ? l.revisionOf(previous) : undefined,
    at: current.metadata.creationTimestamp,
    diff: previous ? templateDiff(previous.spec.template, current.spec.template) : [],
  };
}

/** The time an object was last written, from its managed fields (or its creation). */
export function lastModified(obj: KubeObject): string | undefined {
  let latest = obj.metadata.creationTimestamp;
  for (const entry of obj.metadata.managedFields ?? []) {
    if (entry.time && (toMillis(entry.time) ?? 0) > (toMillis(latest) ?? 0)) latest = entry.time;
  }
  return latest;
}

/** Objects changed this recently are named as a change in findings about them. */
const RECENT_CHANGE_MS = 24 * 60 * 60 * 1000;

/** `created 26 min ago` / `changed 2h ago` when the object was written within a day, else undefined. */
export function recentlyChanged(l: Lookup, obj: KubeObject): string | undefined {
  const at = toMillis(lastModified(obj));
  if (at === undefined || l.now - at > RECENT_CHANGE_MS || at > l.now) return undefined;
  const created = toMillis(obj.metadata.creationTimestamp);
  const minutes = Math.round((l.now - at) / 60_000);
  const age = minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)}h`;
  return `${created === at ? 'created' : 'changed'} ${age} ago`;
}

/** When a pod's trouble began: its first warning event, or its containers' first termination. */
export function troubleStart(l: Lookup, pods: Pod[]): number | undefined {
  let start: number | undefined;
  const consider = (t: string | null | undefined) => {
    const ms = toMillis(t);
    if (ms !== undefined && (start === undefined || ms < start)) start = ms;
  };
  for (const pod of pods) {
    for (const e of l.eventsFor(refOf('Pod', pod)))
      if (e.type === 'Warning') consider(e.firstTimestamp ?? eventTime(e));
    for (const s of [
      ...(pod.status?.initContainerStatuses ?? []),
      ...(pod.status?.containerStatuses ?? []),
    ]) {
      consider(s.lastState?.terminated?.finishedAt);
      consider(s.state?.terminated?.finishedAt);
    }
  }
  return start;
}

/** ConfigMaps and Secrets a pod template reads (env, envFrom, volumes). */
export function configSources(template: PodTemplateSpec): { kind: 'ConfigMap' | 'Secret'; name: string }[] {
  const out = new Map<string, { kind: 'ConfigMap' | 'Secret'; name: string }>();
  const add = (kind: 'ConfigMap' | 'Secret', name: string | undefined) =>
    name && out.set(`${kind}/${name}`, { kind, name });
  for (const c of [...(template.spec.initContainers ?? []), ...template.spec.containers]) {
    for (const e of c.env ?? []) {
      add('ConfigMap', e.valueFrom?.configMapKeyRef?.name);
      add('Secret', e.valueFrom?.secretKeyRef?.name);
    }
    for (const f of c.envFrom ?? []) {
      add('ConfigMap', f.configMapRef?.name);
      add('Secret', f.secretRef?.name);
    }
  }
  for (const v of template.spec.volumes ?? []) {
    add('ConfigMap', v.configMap?.name);
    add('Secret', v.secret?.secretName);
    for (const s of v.projected?.sources ?? []) {
      add('ConfigMap', s.configMap?.name);
      add('Secret', s.secret?.name);
    }
  }
  return [...out.values()];
}

/** Rollouts, config edits and scaling of one workload, oldest first. */
export function changesOf(l: Lookup, workload: ObjectRef, template: PodTemplateSpec | undefined): Change[] {
  const changes: Change[] = [];
  const namespace = workload.namespace ?? 'default';
  if (workload.kind === 'Deployment') {
    const sets = l.replicaSetsOf(namespace, workload.name);
    for (let i = 0; i < Math.min(sets.length, 3); i++) {
      const rs = sets[i];
      const at = rs.metadata.creationTimestamp;
      if (!at) continue;
      const diff = sets[i + 1] ? templateDiff(sets[i + 1].spec.template, rs.spec.template) : [];
      const what = `rollout to revision ${l.revisionOf(rs)} (ReplicaSet ${rs.metadata.name})${diff.length ? `: ${diff.slice(0, 3).join('; ')}` : ''}`;
      changes.push({ at, what, ref: workload, kind: 'rollout' });
    }
  }
  for (const e of l.eventsFor(workload)) {
    if (e.reason === 'ScalingReplicaSet' || e.reason === 'SuccessfulRescale') {
      const at = eventTime(e);
      if (at) changes.push({ at, what: e.message ?? e.reason, ref: workload, kind: 'scale' });
    }
  }
  for (const source of template ? configSources(template) : []) {
    const obj =
      source.kind === 'ConfigMap'
        ? l.get('configMaps', namespace, source.name)
        : l.get('secrets', namespace, source.name);
    const at = obj && lastModified(obj);
    if (at && obj.metadata.managedFields?.length) {
      changes.push({
        at,
        what: `${source.kind} ${namespace}/${source.name} last modified`,
        ref: refOf(source.kind, obj),
        kind: 'config',
      });
    }
  }
  return changes.sort((a, b) => (toMillis(a.at) ?? 0) - (toMillis(b.at) ?? 0));
}

export interface ConfigSuspicion {
  ref: ObjectRef;
  /** `changed 12 min before the failures began`. */
  what: string;
}

/**
 * A ConfigMap or Secret the pods read that was created or changed shortly before their trouble
 * began: the edit a rollout diff cannot show. Secrets carry metadata only, so their edit time is all
 * that is known.
 */
export function suspectConfigChange(
  l: Lookup,
  template: PodTemplateSpec | undefined,
  failing: Pod[],
): ConfigSuspicion | undefined {
  const start = troubleStart(l, failing);
  if (!template || start === undefined) return undefined;
  const namespace = failing[0]?.metadata.namespace;
  let best: (ConfigSuspicion & { at: number }) | undefined;
  for (const source of configSources(template)) {
    const obj =
      source.kind === 'ConfigMap'
        ? l.get('configMaps', namespace, source.name)
        : l.get('secrets', namespace, source.name);
    const at = obj && toMillis(lastModified(obj));
    if (at === undefined || at > start || start - at > SUSPECT_WINDOW_MS || (best && best.at > at)) continue;
    const verb = toMillis(obj!.metadata.creationTimestamp) === at ? 'created' : 'changed';
    best = {
      ref: refOf(source.kind, obj!),
      what: `${source.kind} ${namespace}/${source.name} was ${verb} ${Math.round((start - at) / 60000)} min before the failures began`,
      at,
    };
  }
  return best && { ref: best.ref, what: best.what };
}

export interface RolloutSuspicion {
  deployment: Deployment;
  rollout: Rollout;
  /** Why the rollout is suspected, for the evidence. */
  why: string;
}

/** A rollout is suspect when trouble began within this long after the new ReplicaSet appeared. */
const SUSPECT_WINDOW_MS = 2 * 60 * 60 * 1000;

/** The pod belongs to the ReplicaSet (its template hash, else its owner). */
export function runsReplicaSet(pod: Pod, rs: ReplicaSet): boolean {
  const hash = rs.metadata.labels?.['pod-template-hash'];
  if (hash && pod.metadata.labels?.['pod-template-hash'])
    return pod.metadata.labels['pod-template-hash'] === hash;
  return !!pod.metadata.ownerReferences?.some((o) => o.kind === 'ReplicaSet' && o.name === rs.metadata.name);
}

/**
 * The Deployment's latest rollout, when the failing pods all run its new template and either the
 * previous ReplicaSet still has ready pods (the rollout is stuck on broken pods) or the trouble
 * began soon after the new ReplicaSet was created (and not before it).
 */
export function suspectRollout(
  l: Lookup,
  workload: ObjectRef | undefined,
  failing: Pod[],
  /** When the trouble began, if known better than the pods' warnings and exits (a log's first error). */
  began?: number,
): RolloutSuspicion | undefined {
  if (workload?.kind !== 'Deployment' || !failing.length) return undefined;
  const deployment = l.get('deployments', workload.namespace, workload.name);
  const rollout = deployment && rolloutOf(l, deployment);
  if (!deployment || !rollout?.previous || !rollout.diff.length) return undefined;
  if (!failing.every((p) => runsReplicaSet(p, rollout.current))) return undefined;
  const previousReady = rollout.previous.status?.readyReplicas ?? 0;
  if (previousReady > 0) {
    return {
      deployment,
      rollout,
      why: `the pods of the new revision ${rollout.currentRevision} fail while ${previousReady} pod(s) of revision ${rollout.previousRevision} are still ready`,
    };
  }
  const created = toMillis(rollout.at);
  const start = began ?? troubleStart(l, failing);
  if (
    created !== undefined &&
    start !== undefined &&
    start >= created &&
    start - created <= SUSPECT_WINDOW_MS
  ) {
    return {
      deployment,
      rollout,
      why: `the failures began ${Math.round((start - created) / 60000)} min after revision ${rollout.currentRevision} was rolled out`,
    };
  }
  return undefined;
}
