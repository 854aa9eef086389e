// The configuration a recurring log class puts at fault, beyond the dependency reasoning: the claim,
// ConfigMap or Secret mounted over the file a disk, config or TLS error names; the certificate object
// behind a TLS error (log-tls.ts); the datastore whose own limit a client reports; the Role that
// lacks the verb a Kubernetes client is refused (rbac.ts). The app-logs analyzer files the
// workload's finding under a finding about it.
import { type Container, type Pod } from '../snapshot';
import { type Lookup } from '../lookup';
import { extractEntities } from '../logs/entities';
import { describeRef } from '../util/refs';
import { type DependencyExplanation } from './dependency';
import { serviceGraph } from './graph';
import { mountedObject } from './log-mounts';
import { tlsFault } from './log-tls';
import { type LogSignal } from './logs';
import { suggestAddRoleRule } from '../suggestions';
import { missingPermission } from './rbac';

export type LogFault = NonNullable<DependencyExplanation['config']>;

/** Classes whose file, when a ConfigMap, Secret or claim provides it, makes that object the fault. */
const FILE_CLASSES: Partial<Record<LogSignal['kind'], { reason: string; what: string }>> = {
  'disk-full': { reason: 'VolumeFull', what: 'is full: writes fail with "no space left on device"' },
  'syntax-error': { reason: 'InvalidConfig', what: 'provides a file the application cannot parse' },
  'config-error': { reason: 'InvalidConfig', what: 'provides configuration the application rejects' },
  'tls-error': {
    reason: 'CertificateProblem',
    what: 'provides certificates the TLS verification fails with',
  },
  'cert-expired': { reason: 'CertificateProblem', what: 'provides an expired certificate' },
};

/** The certificate object behind a recurring TLS error (causes/log-tls.ts). */
function tlsOf(l: Lookup, pod: Pod, c: Container, signals: readonly LogSignal[]): LogFault | undefined {
  const s = signals.find((x) => (x.kind === 'tls-error' || x.kind === 'cert-expired') && x.count >= 2);
  return s && tlsFault(l, pod, c, s);
}

/** Datastores whose own limit a client's error reports, by the words of the subject and of their image. */
const DATASTORES: [RegExp, RegExp][] = [
  [/^Redis /, /redis|valkey|keydb/],
  [/^PostgreSQL /, /postgres|pgbouncer/],
  [/^MySQL /, /mysql|mariadb|percona/],
];

/**
 * A client's error that reports its datastore's limit (Redis at maxmemory, PostgreSQL or MySQL out of
 * connections) blames the datastore it calls: the Service from its configuration or logged hosts
 * whose backend runs that datastore's image.
 */
function saturatedDatastore(l: Lookup, pod: Pod, signals: readonly LogSignal[]): LogFault | undefined {
  const s = signals.find((x) => x.kind === 'saturation' && x.count >= 2);
  const kind = s?.subject && DATASTORES.find(([subject]) => subject.test(s.subject!));
  const workload = kind && l.workloadOf(pod);
  if (!s || !kind || !workload) return undefined;
  const graph = serviceGraph(l);
  for (const dep of graph.dependenciesOf(workload)) {
    for (const backend of graph.backendsOf(dep.service)) {
      const list =
        backend.kind === 'StatefulSet'
          ? 'statefulSets'
          : backend.kind === 'Deployment'
            ? 'deployments'
            : undefined;
      const obj = list && l.get(list, backend.namespace, backend.name);
      const images = obj?.spec.template.spec.containers.map((x) => x.image ?? '').join(' ') ?? '';
      if (kind[1].test(images) || kind[1].test(backend.name))
        return {
          ref: backend,
          reason: 'DatastoreSaturated',
          description: `${describeRef(backend)}, behind ${describeRef(dep.service)} which ${describeRef(workload)} calls (${dep.via}), refuses work: ${s.subject} ("${s.line.trim().slice(0, 200)}")`,
        };
    }
  }
  return undefined;
}

/** The mounted object behind the file a config, TLS or disk error names, as a fault of its own. */
function mountedFault(pod: Pod, c: Container, signals: readonly LogSignal[]): LogFault | undefined {
  for (const s of signals) {
    const cls = FILE_CLASSES[s.kind];
    if (!cls) continue;
    const files = [s.subject, ...extractEntities(s.line).files].filter(
      (f): f is string => !!f?.startsWith('/'),
    );
    for (const file of files) {
      const m = mountedObject(pod, c, file);
      if (!m || (s.kind === 'disk-full') !== (m.ref.kind === 'PersistentVolumeClaim')) continue;
      return {
        ref: m.ref,
        reason: cls.reason,
        description: `${describeRef(m.ref)}, mounted at ${m.mountPath} in container ${c.name}, ${cls.what} (${file}: "${s.line.trim().slice(0, 200)}")`,
      };
    }
  }
  return undefined;
}

/** Where servers read the configuration that sets their limits, by the subject a class names. */
const SERVER_CONFIG_DIRS: [RegExp, string[]][] = [
  [/^nginx /, ['/etc/nginx']],
  [/^php-fpm /, ['/usr/local/etc/php-fpm.d', '/usr/local/etc/php-fpm.conf', '/etc/php']],
];

/**
 * A limit the server's own configuration sets (a request limit, a worker pool) that the log says is
 * exceeded, when that configuration is a ConfigMap mounted where the server reads it.
 */
function serverConfigFault(pod: Pod, c: Container, signals: readonly LogSignal[]): LogFault | undefined {
  for (const s of signals) {
    if ((s.kind !== 'request-limit' && s.kind !== 'saturation') || s.count < 2 || !s.subject) continue;
    const dirs = SERVER_CONFIG_DIRS.find(([subject]) => subject.test(s.subject!))?.[1];
    const mount = (c.volumeMounts ?? []).find((m) =>
      dirs?.some((d) => m.mountPath === d || m.mountPath.startsWith(`${d}/`)),
    );
    const found = mount && mountedObject(pod, c, mount.mountPath);
    if (found && found.ref.kind === 'ConfigMap')
      return {
        ref: found.ref,
        reason: 'LimitTooLow',
        description: `${describeRef(found.ref)}, the configuration container ${c.name} reads at ${found.mountPath}, sets a limit its traffic exceeds: ${s.subject} (${s.count} times: "${s.line.trim().slice(0, 200)}")`,
      };
  }
  return undefined;
}

/** The Role (or ServiceAccount) to change for the permission a Kubernetes client is refused. */
function rbacFault(l: Lookup, signals: readonly LogSignal[]): LogFault | undefined {
  const signal = signals.find((s) => s.kind === 'forbidden');
  const refusal = signal && extractEntities(signal.line).forbidden;
  const missing = refusal && missingPermission(l, refusal);
  const fix = missing?.role && refusal && suggestAddRoleRule(missing.role, refusal);
  return (
    missing && {
      ref: missing.ref,
      reason: 'MissingPermission',
      description: missing.description,
      ...(fix ? { fix } : {}),
    }
  );
}

/** The first fault the recurring classes of a log point at, if any. */
export function configFault(
  l: Lookup,
  pod: Pod,
  c: Container,
  signals: readonly LogSignal[],
): LogFault | undefined {
  return (
    mountedFault(pod, c, signals) ??
    tlsOf(l, pod, c, signals) ??
    saturatedDatastore(l, pod, signals) ??
    rbacFault(l, signals) ??
    serverConfigFault(pod, c, signals)
  );
}
