// Every rendered object against the Kubernetes schemas: kubernetes-models (API level ~1.27) for the
// built-in kinds; for the custom resources, the upstream CRDs' own schemas (agent-sandbox, External
// Secrets, Vault Secrets Operator, Prometheus Operator, cert-manager; crds/SOURCES.md) with
// undeclared fields refused, so a misspelled field fails here rather than being pruned silently by
// the API server; plus the shared contracts' zod schemas and the SandboxTemplate's pod template as
// a core/v1 PodSpec.
import { SandboxTemplateSchema, SandboxWarmPoolSchema } from '@foxhound/contracts';
import * as apps from 'kubernetes-models/apps/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as node from 'kubernetes-models/node.k8s.io/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as rbac from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as core from 'kubernetes-models/v1';
import { crdErrors, loadCrdValidators } from './crd-schemas';
import { type K8sObject, spec } from './manifests';
import { renderObjects } from './render';
import { VARIANT_NAMES, VARIANTS } from './variants';

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: K8sObject) => Validatable;

/** The kubernetes-models modules of the built-in API versions the chart renders. */
const modelsByApiVersion: Record<string, Record<string, unknown>> = {
  v1: core,
  'apps/v1': apps,
  'autoscaling/v2': autoscaling,
  'networking.k8s.io/v1': networking,
  'node.k8s.io/v1': node,
  'policy/v1': policy,
  'rbac.authorization.k8s.io/v1': rbac,
};

function modelFor(object: K8sObject): ModelClass | undefined {
  return modelsByApiVersion[object.apiVersion]?.[object.kind] as ModelClass | undefined;
}

/** The upstream CRDs' schemas, closed to undeclared fields (crd-schemas.ts, crds/SOURCES.md). */
const crdValidators = loadCrdValidators();

function crdValidatorFor(object: K8sObject) {
  const [group, version] = object.apiVersion.split('/');
  return crdValidators.get(`${group}/${version}/${object.kind}`);
}

const rendered = Object.fromEntries(VARIANT_NAMES.map((name) => [name, renderObjects(VARIANTS[name])]));
const cases = VARIANT_NAMES.flatMap((variant) =>
  rendered[variant].map((object): [string, string, K8sObject] => [
    variant,
    `${object.kind}/${object.metadata.name}`,
    object,
  ]),
);

describe('rendered objects', () => {
  it.each(cases)('%s values: %s is valid', (_variant, _id, object) => {
    const model = modelFor(object);
    if (model) {
      expect(() => new model(object).validate()).not.toThrow();
      return;
    }
    const validate = crdValidatorFor(object);
    if (!validate)
      throw new Error(`no schema covers ${object.apiVersion} ${object.kind}: add its CRD to crds/`);
    expect(crdErrors(validate, object)).toEqual([]);
  });

  it.each(VARIANT_NAMES)(
    '%s values: the SandboxTemplate and SandboxWarmPool parse with the shared contracts',
    (variant) => {
      const template = rendered[variant].find((object) => object.kind === 'SandboxTemplate');
      const pool = rendered[variant].find((object) => object.kind === 'SandboxWarmPool');
      expect(SandboxTemplateSchema.safeParse(template).error).toBeUndefined();
      expect(SandboxWarmPoolSchema.safeParse(pool).error).toBeUndefined();
      const podTemplate = spec<{ podTemplate: { metadata: K8sObject['metadata']; spec: unknown } }>(
        template!,
      ).podTemplate;
      const pod = new core.Pod({
        metadata: { ...podTemplate.metadata, name: 'executor' },
        spec: podTemplate.spec as never,
      });
      expect(() => pod.validate()).not.toThrow();
    },
  );
});

it('kubernetes-models catches a broken object (the check can fail)', () => {
  const deployment = rendered.default.find((object) => object.kind === 'Deployment')!;
  const broken = structuredClone(deployment) as K8sObject & { spec: { selector?: unknown } };
  delete broken.spec.selector;
  const model = modelFor(broken)!;
  expect(() => new model(broken).validate()).toThrow(/must have required property 'selector'|selector/);
});

describe('the upstream CRD schemas', () => {
  const variants = [
    ['External Secrets', 'production', 'ExternalSecret'],
    ['Vault Secrets Operator', 'all-options', 'VaultStaticSecret'],
    ['agent-sandbox', 'default', 'SandboxTemplate'],
    ['agent-sandbox', 'default', 'SandboxWarmPool'],
    ['Prometheus Operator', 'production', 'ServiceMonitor'],
    ['Prometheus Operator', 'production', 'PodMonitor'],
    ['Prometheus Operator', 'production', 'PrometheusRule'],
    ['cert-manager', 'all-options', 'Certificate'],
  ] as const;

  it.each(variants)('%s: the %s values render a %s the CRD checks', (_project, variant, kind) => {
    const object = rendered[variant].find((candidate) => candidate.kind === kind);
    expect(object && crdValidatorFor(object)).toBeDefined();
  });

  it('refuse an undeclared field, at the top of a spec and deep in a pod template', () => {
    const template = rendered.default.find((object) => object.kind === 'SandboxTemplate')!;
    const validate = crdValidatorFor(template)!;
    const topLevel = structuredClone(template) as K8sObject & { spec: Record<string, unknown> };
    topLevel.spec.warmPool = 2;
    expect(crdErrors(validate, topLevel)).toEqual(['/spec: must NOT have additional properties (warmPool)']);
    const deep = structuredClone(template) as K8sObject & {
      spec: { podTemplate: { spec: { containers: Array<Record<string, unknown>> } } };
    };
    deep.spec.podTemplate.spec.containers[0].readinesProbe = {};
    expect(crdErrors(validate, deep)).toEqual([
      '/spec/podTemplate/spec/containers/0: must NOT have additional properties (readinesProbe)',
    ]);
  });

  it('refuse a wrong type and a missing required field', () => {
    const monitor = rendered.production.find((object) => object.kind === 'ServiceMonitor')!;
    const validate = crdValidatorFor(monitor)!;
    const broken = structuredClone(monitor) as K8sObject & { spec: Record<string, unknown> };
    broken.spec.endpoints = 'http';
    delete broken.spec.selector;
    expect(crdErrors(validate, broken).sort()).toEqual([
      '/spec/endpoints: must be array',
      "/spec: must have required property 'selector'",
    ]);
  });
});
