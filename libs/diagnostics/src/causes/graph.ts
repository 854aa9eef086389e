// The service dependency graph: which workload calls which Service, read from env vars, the
// ConfigMaps they pull in, and the hosts named in connection errors; which workloads back each
// Service; and the blast radius of a broken workload (everyone who calls it, transitively, plus the
// Ingresses in front of it). Built once per snapshot.
import { type ObjectRef } from '@foxhound/contracts';
import { KIND_OF, type Lookup } from '../lookup';
import { type EnvVar, type Pod, type PodSpec, type PodTemplateSpec, type Service } from '../snapshot';
import { refKey, refOf } from '../util/refs';
import { matchesLabels } from '../util/selectors';
import { findHostPort } from './log-targets';
import { signalsOf, DEPENDENCY_SIGNALS } from './logs';

export interface Dependency {
  service: ObjectRef;
  port?: number;
  /** How the dependency was found: `env DATABASE_URL`, `ConfigMap shop/app key DB_HOST`, `log`. */
  via: string;
}

export interface ServiceGraph {
  /** Services a workload calls. */
  dependenciesOf(workload: ObjectRef): Dependency[];
  /** Workloads whose pod template the Service selects. */
  backendsOf(service: ObjectRef): ObjectRef[];
  /** Services that select a workload's pods. */
  servicesOf(workload: ObjectRef): ObjectRef[];
  /** Workloads and Ingresses that call a Service directly. */
  callersOf(service: ObjectRef): ObjectRef[];
  /** Everything that suffers when a workload or Service breaks: callers, their callers, Ingresses. */
  blastRadius(target: ObjectRef): ObjectRef[];
}

const HOSTY_NAME =
  /HOST|ADDR|SERVER|URL|URI|ENDPOINT|SERVICE|UPSTREAM|BACKEND|DSN|BROKER|REDIS|DATABASE|DB_/i;
const DNS_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** ConfigMap keys read per reference: enough for app config, bounded for huge ConfigMaps. */
const MAX_CONFIG_KEYS = 200;

/** The Service a host name or IP means from a namespace: `db`, `db.data`, `db.data.svc.cluster.local`, a ClusterIP. */
export function resolveHost(l: Lookup, host: string, fromNamespace: string): Service | undefined {
  const name = host.replace(/\.$/, '').toLowerCase();
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) {
    return l.snapshot.objects.services.find((s) => s.spec.clusterIP === name);
  }
  const parts = name.split('.');
  if (parts.length >= 3 && parts[2] !== 'svc') return undefined;
  const namespace = parts[1] ?? fromNamespace;
  return l.get('services', namespace, parts[0]);
}

/** What a host named in a log means in the cluster. */
export type HostTarget =
  | { kind: 'service'; service: Service }
  | { kind: 'external-name'; service: Service; externalName: string }
  | { kind: 'pod'; pod: Pod }
  | { kind: 'none'; inCluster: boolean; name: string; namespace: string };

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** ClusterIP → Service and pod IP → Pod, built once per snapshot: logs name addresses often. */
const addressMemo = new WeakMap<Lookup, { services: Map<string, Service>; pods: Map<string, Pod> }>();

function addresses(l: Lookup) {
  let found = addressMemo.get(l);
  if (!found) {
    found = { services: new Map(), pods: new Map() };
    for (const s of l.snapshot.objects.services)
      if (s.spec.clusterIP) found.services.set(s.spec.clusterIP, s);
    for (const p of l.snapshot.objects.pods) if (p.status?.podIP) found.pods.set(p.status.podIP, p);
    addressMemo.set(l, found);
  }
  return found;
}

/**
 * A Service (or ExternalName Service), a Pod (by IP, by `a-b-c-d.ns.pod` name, or by the
 * `pod.service.ns.svc` name a headless Service gives StatefulSet pods), or nothing; `inCluster` says
 * whether the name has the shape of a cluster name (`x`, `x.ns` with a known namespace, `*.svc…`).
 */
export function resolveTarget(l: Lookup, host: string, fromNamespace: string): HostTarget {
  const name = host.replace(/\.$/, '').toLowerCase();
  if (IPV4.test(name)) {
    const service = addresses(l).services.get(name);
    if (service) return { kind: 'service', service };
    const pod = addresses(l).pods.get(name);
    return pod ? { kind: 'pod', pod } : { kind: 'none', inCluster: false, name, namespace: fromNamespace };
  }
  const parts = name.split('.');
  if (parts[2] === 'pod' && /^\d{1,3}(-\d{1,3}){3}$/.test(parts[0]))
    return resolveTarget(l, parts[0].replace(/-/g, '.'), parts[1]);
  if (parts.length >= 4 && parts[3] === 'svc') {
    // <pod>.<headless service>.<namespace>.svc.cluster.local
    const pod = l.get('pods', parts[2], parts[0]);
    if (pod) return { kind: 'pod', pod };
  }
  const service = resolveHost(l, name, fromNamespace);
  if (service?.spec.type === 'ExternalName')
    return { kind: 'external-name', service, externalName: service.spec.externalName ?? '' };
  if (service) return { kind: 'service', service };
  const namespace = parts[1] ?? fromNamespace;
  const knownNamespace =
    parts.length === 2 && l.snapshot.objects.namespaces.some((n) => n.metadata.name === parts[1]);
  const inCluster = parts.length === 1 || knownNamespace || /\.svc(\.|$)/.test(name);
  return {
    kind: 'none',
    inCluster,
    name: parts[0],
    namespace: parts[2] === 'svc' || knownNamespace ? namespace : fromNamespace,
  };
}

export interface ConfiguredAt {
  /** `env DB_HOST`, `ConfigMap shop/app key DB_HOST`. */
  via: string;
  /** The ConfigMap holding the value, when it comes from one. */
  configMap?: ObjectRef;
}

/** Where a pod's configuration names a host: an env var's value or a ConfigMap key it reads. */
export function configuredHost(l: Lookup, pod: Pod, host: string): ConfiguredAt | undefined {
  const namespace = pod.metadata.namespace ?? 'default';
  const lower = host.toLowerCase();
  const names = (value: string) => {
    const v = value.toLowerCase();
    const at = v.indexOf(lower);
    // The whole name, not a longer one that contains it (`db` inside `db-replica`).
    return at >= 0 && !/[a-z0-9-]/.test(v[at + lower.length] ?? '') && !/[a-z0-9-]/.test(v[at - 1] ?? '');
  };
  const hit =
    envValues(l, namespace, pod.spec).find(({ value }) => names(value)) ??
    mountedConfigValues(l, namespace, pod.spec).find(({ value }) => names(value));
  if (!hit) return undefined;
  const cm = /^ConfigMap ([^/]+)\/(\S+) key /.exec(hit.via);
  return cm
    ? { via: hit.via, configMap: { kind: 'ConfigMap', name: cm[2], namespace: cm[1] } }
    : { via: hit.via };
}

function hostsIn(key: string, value: string): { host: string; port?: number }[] {
  const found: { host: string; port?: number }[] = [];
  const hp = findHostPort(value);
  if (hp.host) found.push({ host: hp.host, port: hp.port });
  else if (HOSTY_NAME.test(key) && DNS_NAME.test(value.trim())) found.push({ host: value.trim() });
  return found;
}

function envValues(
  l: Lookup,
  namespace: string,
  spec: PodSpec,
): { key: string; value: string; via: string }[] {
  const values: { key: string; value: string; via: string }[] = [];
  const configMapValue = (env: EnvVar) => {
    const ref = env.valueFrom?.configMapKeyRef;
    const cm = ref && l.get('configMaps', namespace, ref.name);
    return ref && cm?.data?.[ref.key] !== undefined
      ? { value: cm.data[ref.key], via: `ConfigMap ${namespace}/${ref.name} key ${ref.key}` }
      : undefined;
  };
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
    for (const env of c.env ?? []) {
      if (env.value !== undefined) values.push({ key: env.name, value: env.value, via: `env ${env.name}` });
      const fromMap = configMapValue(env);
      if (fromMap) values.push({ key: env.name, ...fromMap });
    }
    for (const from of c.envFrom ?? []) {
      const cm = from.configMapRef && l.get('configMaps', namespace, from.configMapRef.name);
      if (!cm?.data) continue;
      for (const [key, value] of Object.entries(cm.data).slice(0, MAX_CONFIG_KEYS)) {
        values.push({ key, value, via: `ConfigMap ${namespace}/${cm.metadata.name} key ${key}` });
      }
    }
  }
  return values;
}

/** The keys of ConfigMaps mounted as files (application.yaml, nginx.conf), bounded per ConfigMap. */
function mountedConfigValues(l: Lookup, namespace: string, spec: PodSpec): { value: string; via: string }[] {
  const names = (spec.volumes ?? []).flatMap((v) => [
    ...(v.configMap ? [v.configMap.name] : []),
    ...(v.projected?.sources ?? []).flatMap((src) => (src.configMap ? [src.configMap.name] : [])),
  ]);
  return names.flatMap((name) => {
    const cm = l.get('configMaps', namespace, name);
    return Object.entries(cm?.data ?? {})
      .slice(0, MAX_CONFIG_KEYS)
      .map(([key, value]) => ({ value, via: `ConfigMap ${namespace}/${name} key ${key}` }));
  });
}

interface WorkloadNode {
  ref: ObjectRef;
  template: PodTemplateSpec;
}

const memo = new WeakMap<Lookup, ServiceGraph>();

export function serviceGraph(l: Lookup): ServiceGraph {
  let graph = memo.get(l);
  if (!graph) {
    graph = buildGraph(l);
    memo.set(l, graph);
  }
  return graph;
}

function buildGraph(l: Lookup): ServiceGraph {
  const workloads: WorkloadNode[] = [];
  for (const kind of ['deployments', 'statefulSets', 'daemonSets'] as const) {
    for (const w of l.list(kind)) workloads.push({ ref: refOf(KIND_OF[kind], w), template: w.spec.template });
  }

  const workloadsByNs = new Map<string, WorkloadNode[]>();
  for (const w of workloads) {
    const list = workloadsByNs.get(w.ref.namespace ?? '');
    if (list) list.push(w);
    else workloadsByNs.set(w.ref.namespace ?? '', [w]);
  }

  const backends = new Map<string, ObjectRef[]>();
  const servicesOfWorkload = new Map<string, ObjectRef[]>();
  for (const service of l.list('services')) {
    const sref = refOf('Service', service);
    const list = (workloadsByNs.get(service.metadata.namespace ?? '') ?? [])
      .filter((w) => matchesLabels(w.template.metadata?.labels, service.spec.selector))
      .map((w) => w.ref);
    backends.set(refKey(sref), list);
    for (const w of list) {
      const own = servicesOfWorkload.get(refKey(w));
      if (own) own.push(sref);
      else servicesOfWorkload.set(refKey(w), [sref]);
    }
  }

  const deps = new Map<string, Dependency[]>();
  const callers = new Map<string, Map<string, ObjectRef>>();
  const addEdge = (from: ObjectRef, dep: Dependency) => {
    const own = servicesOfWorkload.get(refKey(from)) ?? [];
    if (own.some((s) => refKey(s) === refKey(dep.service))) return;
    const list = deps.get(refKey(from)) ?? [];
    if (!list.some((d) => refKey(d.service) === refKey(dep.service))) list.push(dep);
    deps.set(refKey(from), list);
    const c = callers.get(refKey(dep.service)) ?? new Map<string, ObjectRef>();
    c.set(refKey(from), from);
    callers.set(refKey(dep.service), c);
  };

  for (const w of workloads) {
    const namespace = w.ref.namespace ?? 'default';
    for (const { key, value, via } of envValues(l, namespace, w.template.spec)) {
      for (const { host, port } of hostsIn(key, value)) {
        const service = resolveHost(l, host, namespace);
        if (service) addEdge(w.ref, { service: refOf('Service', service), port, via });
      }
    }
  }
  for (const log of l.snapshot.logs) {
    if (!l.inScope(log.namespace)) continue;
    const pod = l.get('pods', log.namespace, log.pod);
    const workload = pod && l.workloadOf(pod);
    if (!workload) continue;
    for (const signal of signalsOf(log.lines)) {
      if (!DEPENDENCY_SIGNALS.has(signal.kind) || !signal.host) continue;
      const service = resolveHost(l, signal.host, log.namespace);
      if (service) addEdge(workload, { service: refOf('Service', service), port: signal.port, via: 'log' });
    }
  }
  for (const ingress of l.list('ingresses')) {
    const iref = refOf('Ingress', ingress);
    const backendsOfIngress = [
      ingress.spec.defaultBackend,
      ...(ingress.spec.rules ?? []).flatMap((r) => r.http?.paths.map((p) => p.backend) ?? []),
    ];
    for (const b of backendsOfIngress) {
      if (!b?.service) continue;
      const sref: ObjectRef = {
        kind: 'Service',
        name: b.service.name,
        namespace: ingress.metadata.namespace,
      };
      const c = callers.get(refKey(sref)) ?? new Map<string, ObjectRef>();
      c.set(refKey(iref), iref);
      callers.set(refKey(sref), c);
    }
  }

  const callersOf = (service: ObjectRef) => [...(callers.get(refKey(service))?.values() ?? [])];
  const servicesOf = (workload: ObjectRef) => servicesOfWorkload.get(refKey(workload)) ?? [];
  const blastRadius = (target: ObjectRef) => {
    const seen = new Map<string, ObjectRef>();
    const queue = target.kind === 'Service' ? [target] : servicesOf(target);
    while (queue.length) {
      const service = queue.shift()!;
      for (const caller of callersOf(service)) {
        if (seen.has(refKey(caller)) || refKey(caller) === refKey(target)) continue;
        seen.set(refKey(caller), caller);
        queue.push(...servicesOf(caller));
      }
    }
    return [...seen.values()];
  };

  return {
    dependenciesOf: (workload) => deps.get(refKey(workload)) ?? [],
    backendsOf: (service) => backends.get(refKey(service)) ?? [],
    servicesOf,
    callersOf,
    blastRadius,
  };
}
