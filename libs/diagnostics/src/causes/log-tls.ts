// Which object holds the certificate a TLS error is about. An untrusted issuer is most often the
// caller's trust bundle (a CA ConfigMap or Secret it mounts) when it mounts one; an expired or
// mismatched certificate, or an untrusted one with no bundle mounted, is the serving certificate:
// the TLS Secret the workload behind the called Service mounts.
import { type ObjectRef } from '@foxhound/contracts';
import { type Lookup } from '../lookup';
import { type Container, type Pod, type PodTemplateSpec } from '../snapshot';
import { describeRef } from '../util/refs';
import { type DependencyExplanation } from './dependency';
import { resolveHost, serviceGraph } from './graph';
import { describeSignal, type LogSignal } from './logs';

type Fault = NonNullable<DependencyExplanation['config']>;

const UNTRUSTED =
  /unknown authority|local issuer|PKIX|self[- ]signed|unable to verify|UNABLE_TO_VERIFY|unknown certificate authority/i;
const TRUST_NAME = /(?:^|[-_.])(?:ca|cas|trust|truststore|bundle|ca-bundle|cacerts?)(?:$|[-_.])/i;
const CERT_NAME = /tls|cert|ssl|x509/i;

function mountedOf(spec: { volumes?: Pod['spec']['volumes'] }, c: Container | undefined, namespace: string) {
  return (c?.volumeMounts ?? []).flatMap((m) => {
    const v = spec.volumes?.find((x) => x.name === m.name);
    const ref: ObjectRef | undefined = v?.secret
      ? { kind: 'Secret', name: v.secret.secretName, namespace }
      : v?.configMap
        ? { kind: 'ConfigMap', name: v.configMap.name, namespace }
        : undefined;
    return ref ? [{ ref, mountPath: m.mountPath }] : [];
  });
}

function templateOf(l: Lookup, w: ObjectRef): PodTemplateSpec | undefined {
  if (w.kind === 'Deployment') return l.get('deployments', w.namespace, w.name)?.spec.template;
  if (w.kind === 'StatefulSet') return l.get('statefulSets', w.namespace, w.name)?.spec.template;
  if (w.kind === 'DaemonSet') return l.get('daemonSets', w.namespace, w.name)?.spec.template;
  return undefined;
}

export function tlsFault(l: Lookup, pod: Pod, c: Container, signal: LogSignal): Fault | undefined {
  if (signal.kind !== 'tls-error' && signal.kind !== 'cert-expired') return undefined;
  const namespace = pod.metadata.namespace ?? 'default';
  const line = `"${signal.line.trim().slice(0, 200)}"`;
  if (UNTRUSTED.test(signal.line)) {
    const bundle = mountedOf(pod.spec, c, namespace).find(
      (m) => TRUST_NAME.test(m.ref.name) || TRUST_NAME.test(m.mountPath),
    );
    if (bundle)
      return {
        ref: bundle.ref,
        reason: 'CertificateProblem',
        description: `${describeRef(bundle.ref)}, the trust bundle container ${c.name} mounts at ${bundle.mountPath}, does not trust the certificate presented: ${describeSignal(signal)} (${line})`,
      };
  }
  const service = signal.host && resolveHost(l, signal.host, namespace);
  if (!service) return undefined;
  for (const backend of serviceGraph(l).backendsOf({
    kind: 'Service',
    name: service.metadata.name,
    namespace: service.metadata.namespace,
  })) {
    const template = templateOf(l, backend);
    if (!template) continue;
    for (const container of template.spec.containers) {
      const secret = mountedOf(template.spec, container, backend.namespace ?? namespace).find((m) => {
        if (m.ref.kind !== 'Secret') return false;
        const obj = l.get('secrets', m.ref.namespace, m.ref.name);
        return obj?.type === 'kubernetes.io/tls' || CERT_NAME.test(m.ref.name);
      });
      if (secret)
        return {
          ref: secret.ref,
          reason: 'CertificateProblem',
          description: `${describeRef(secret.ref)} holds the serving certificate of ${describeRef(backend)} (mounted at ${secret.mountPath}) behind Service ${service.metadata.namespace}/${service.metadata.name}, and its callers reject it: ${describeSignal(signal)} (${line})`,
        };
    }
  }
  return undefined;
}
