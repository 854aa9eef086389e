// Ingress analyzer: an IngressClass that does not exist (or none at all with no default), backend
// Services or ports that do not exist, TLS Secrets that do not exist.
import { type Finding } from '@foxhound/contracts';
import { lookup, type Lookup } from '../lookup';
import { type ClusterSnapshot, type Ingress, type IngressBackend } from '../snapshot';
import { DOCS } from '../util/docs';
import { evidence, makeFinding } from '../util/finding';
import { describeRef, refOf } from '../util/refs';
import { type Analyzer } from './types';

const DEFAULT_CLASS = 'ingressclass.kubernetes.io/is-default-class';

function analyze(l: Lookup, ing: Ingress): Finding[] {
  const ref = refOf('Ingress', ing);
  const ns = ing.metadata.namespace;
  const findings: Finding[] = [];
  const classes = l.snapshot.objects.ingressClasses;
  const className = ing.spec.ingressClassName ?? ing.metadata.annotations?.['kubernetes.io/ingress.class'];
  if (classes.length && className && !classes.some((c) => c.metadata.name === className)) {
    findings.push(
      makeFinding('ingress', 'IngressClassNotFound', ref, {
        severity: 'high',
        symptom: `${describeRef(ref)} is served by no controller`,
        cause: `IngressClass ${className} does not exist (classes: ${classes.map((c) => c.metadata.name).join(', ')})`,
        evidence: [evidence.field('spec.ingressClassName', className)],
        confidence: 0.9,
        docs: DOCS.ingress,
      }),
    );
  } else if (
    classes.length &&
    !className &&
    !classes.some((c) => c.metadata.annotations?.[DEFAULT_CLASS] === 'true')
  ) {
    findings.push(
      makeFinding('ingress', 'NoIngressClass', ref, {
        severity: 'medium',
        symptom: `${describeRef(ref)} may be served by no controller`,
        cause: 'it names no IngressClass and no class is marked default',
        evidence: [evidence.field('spec.ingressClassName', null)],
        confidence: 0.7,
        docs: DOCS.ingress,
      }),
    );
  }
  const backends: { backend: IngressBackend; path: string }[] = [];
  if (ing.spec.defaultBackend)
    backends.push({ backend: ing.spec.defaultBackend, path: 'spec.defaultBackend' });
  (ing.spec.rules ?? []).forEach((rule, i) =>
    rule.http?.paths.forEach((p, j) =>
      backends.push({ backend: p.backend, path: `spec.rules[${i}].http.paths[${j}].backend` }),
    ),
  );
  const reported = new Set<string>();
  for (const { backend, path } of backends) {
    const svc = backend.service;
    if (!svc || reported.has(svc.name)) continue;
    const service = l.get('services', ns, svc.name);
    if (!service) {
      reported.add(svc.name);
      findings.push(
        makeFinding('ingress', 'BackendServiceNotFound', ref, {
          severity: 'high',
          symptom: `${describeRef(ref)} routes to a Service that does not exist`,
          cause: `backend Service ${ns}/${svc.name} does not exist`,
          evidence: [evidence.field(`${path}.service.name`, svc.name)],
          confidence: 0.92,
          docs: DOCS.ingress,
        }),
      );
      continue;
    }
    reported.add(svc.name);
    const port = svc.port;
    const ports = service.spec.ports ?? [];
    const exists =
      !port ||
      ports.some(
        (p) =>
          (port.number !== undefined && p.port === port.number) ||
          (port.name !== undefined && p.name === port.name),
      );
    if (!exists) {
      findings.push(
        makeFinding('ingress', 'BackendPortNotFound', ref, {
          severity: 'high',
          symptom: `${describeRef(ref)} routes to a port its Service does not have`,
          cause: `Service ${ns}/${svc.name} has no port ${port.number ?? port.name} (ports: ${ports.map((p) => p.name ?? p.port).join(', ')})`,
          evidence: [evidence.field(`${path}.service.port`, port)],
          confidence: 0.9,
          docs: DOCS.ingress,
        }),
      );
    }
  }
  for (const [i, tls] of (ing.spec.tls ?? []).entries()) {
    if (tls.secretName && l.snapshot.objects.secrets.length && !l.get('secrets', ns, tls.secretName)) {
      findings.push(
        makeFinding('ingress', 'TLSSecretNotFound', ref, {
          severity: 'medium',
          symptom: `${describeRef(ref)} cannot serve TLS for ${(tls.hosts ?? []).join(', ')}`,
          cause: `TLS Secret ${ns}/${tls.secretName} does not exist`,
          evidence: [evidence.field(`spec.tls[${i}].secretName`, tls.secretName)],
          confidence: 0.85,
          docs: DOCS.ingress,
        }),
      );
    }
  }
  return findings;
}

export const ingressAnalyzer: Analyzer = {
  name: 'ingress',
  kinds: ['Ingress', 'IngressClass'],
  analyze(snapshot: ClusterSnapshot): Finding[] {
    const l = lookup(snapshot);
    return l.list('ingresses').flatMap((i) => analyze(l, i));
  },
};
