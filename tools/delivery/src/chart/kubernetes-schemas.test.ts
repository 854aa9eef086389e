// Every rendered object against the Kubernetes schemas: kubernetes-models (API level ~1.27) for the
// built-in kinds; for the CRD kinds, the shared contracts' zod schemas plus the exact spec fields the
// agent-sandbox v1beta1, External Secrets and Vault Secrets Operator CRDs define (so a misspelled
// field fails here rather than being pruned silently by the API server), and the pod template of
// the SandboxTemplate as a core/v1 PodSpec.
import { SandboxTemplateSchema, SandboxWarmPoolSchema } from '@foxhound/contracts';
import * as apps from 'kubernetes-models/apps/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as node from 'kubernetes-models/node.k8s.io/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as rbac from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as core from 'kubernetes-models/v1';
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

/** Spec fields each custom resource version accepts (from the CRDs' openAPIV3Schema). */
const crdSpecFields: Record<string, string[]> = {
  'extensions.agents.x-k8s.io/v1beta1/SandboxTemplate': [
    'podTemplate',
    'volumeClaimTemplates',
    'service',
    'networkPolicyManagement',
    'networkPolicy',
    'envVarsInjectionPolicy',
    'volumeClaimTemplatesPolicy',
  ],
  'extensions.agents.x-k8s.io/v1beta1/SandboxWarmPool': ['replicas', 'sandboxTemplateRef', 'updateStrategy'],
  'external-secrets.io/v1/ExternalSecret': [
    'refreshInterval',
    'secretStoreRef',
    'target',
    'data',
    'dataFrom',
  ],
  'secrets.hashicorp.com/v1beta1/VaultStaticSecret': [
    'vaultAuthRef',
    'namespace',
    'mount',
    'type',
    'path',
    'version',
    'refreshAfter',
    'hmacSecretData',
    'rolloutRestartTargets',
    'destination',
    'syncConfig',
  ],
};

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
    const fields = crdSpecFields[`${object.apiVersion}/${object.kind}`];
    if (!fields)
      throw new Error(`no schema covers ${object.apiVersion} ${object.kind}: add one to this test`);
    expect(Object.keys(spec(object)).filter((field) => !fields.includes(field))).toEqual([]);
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
