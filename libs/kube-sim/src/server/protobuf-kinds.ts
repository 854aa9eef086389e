// Field-number tables (from the Kubernetes API's generated.proto files) for the kinds kubectl's
// typed commands write: `auth can-i`, `create namespace|configmap|secret|serviceaccount|deployment|
// service|job|role|clusterrole|rolebinding|clusterrolebinding|quota|token`. Only fields those
// commands can set are listed; anything else in a body is skipped.
export type Schema = Record<number, Field>;
export type Field =
  | { name: string; type: 'string' | 'bool' | 'int' | 'bytes' }
  | { name: string; type: 'strings' }
  | { name: string; type: 'message'; schema: Schema; repeated?: boolean }
  | { name: string; type: 'map'; value: 'string' | 'bytes' | 'quantity' }
  | { name: string; type: 'intOrString' };

const str = (name: string) => ({ name, type: 'string' }) as const;
const int = (name: string) => ({ name, type: 'int' }) as const;
const bool = (name: string) => ({ name, type: 'bool' }) as const;
const strings = (name: string) => ({ name, type: 'strings' }) as const;
const map = (name: string, value: 'string' | 'bytes' | 'quantity' = 'string') =>
  ({ name, type: 'map', value }) as const;
const msg = (name: string, schema: Schema, repeated = false) =>
  ({ name, type: 'message', schema, repeated }) as const;

const OBJECT_META: Schema = {
  1: str('name'),
  2: str('generateName'),
  3: str('namespace'),
  5: str('uid'),
  6: str('resourceVersion'),
  11: map('labels'),
  12: map('annotations'),
  14: strings('finalizers'),
};
const meta = msg('metadata', OBJECT_META);

const LABEL_SELECTOR: Schema = {
  1: map('matchLabels'),
  2: msg('matchExpressions', { 1: str('key'), 2: str('operator'), 3: strings('values') }, true),
};

const CONTAINER: Schema = {
  1: str('name'),
  2: str('image'),
  3: strings('command'),
  4: strings('args'),
  5: str('workingDir'),
  6: msg('ports', { 1: str('name'), 2: int('hostPort'), 3: int('containerPort'), 4: str('protocol') }, true),
  7: msg('env', { 1: str('name'), 2: str('value') }, true),
  14: str('imagePullPolicy'),
  16: bool('stdin'),
  18: bool('tty'),
};

const POD_TEMPLATE: Schema = {
  1: meta,
  2: msg('spec', {
    2: msg('containers', CONTAINER, true),
    3: str('restartPolicy'),
    7: map('nodeSelector'),
    8: str('serviceAccountName'),
  }),
};

// k8s.io/api/rbac/v1/generated.proto
const POLICY_RULE: Schema = {
  1: strings('verbs'),
  2: strings('apiGroups'),
  3: strings('resources'),
  4: strings('resourceNames'),
  5: strings('nonResourceURLs'),
};
const ROLE: Schema = {
  1: meta,
  2: msg('rules', POLICY_RULE, true),
  3: msg('aggregationRule', { 1: msg('clusterRoleSelectors', LABEL_SELECTOR, true) }),
};
const BINDING: Schema = {
  1: meta,
  2: msg('subjects', { 1: str('kind'), 2: str('apiGroup'), 3: str('name'), 4: str('namespace') }, true),
  3: msg('roleRef', { 1: str('apiGroup'), 2: str('kind'), 3: str('name') }),
};

export const KINDS: Record<string, Schema> = {
  'rbac.authorization.k8s.io/v1/Role': ROLE,
  'rbac.authorization.k8s.io/v1/ClusterRole': ROLE,
  'rbac.authorization.k8s.io/v1/RoleBinding': BINDING,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': BINDING,
  // k8s.io/api/authentication/v1/generated.proto TokenRequestSpec
  'authentication.k8s.io/v1/TokenRequest': {
    1: meta,
    2: msg('spec', {
      1: strings('audiences'),
      3: msg('boundObjectRef', { 1: str('kind'), 2: str('apiVersion'), 3: str('name'), 4: str('uid') }),
      4: int('expirationSeconds'),
    }),
  },
  // k8s.io/api/core/v1/generated.proto ResourceQuotaSpec
  'v1/ResourceQuota': {
    1: meta,
    2: msg('spec', {
      1: map('hard', 'quantity'),
      2: strings('scopes'),
      3: msg('scopeSelector', {
        1: msg('matchExpressions', { 1: str('scopeName'), 2: str('operator'), 3: strings('values') }, true),
      }),
    }),
  },
  'authorization.k8s.io/v1/SelfSubjectAccessReview': {
    1: meta,
    2: msg('spec', {
      1: msg('resourceAttributes', {
        1: str('namespace'),
        2: str('verb'),
        3: str('group'),
        4: str('version'),
        5: str('resource'),
        6: str('subresource'),
        7: str('name'),
      }),
      2: msg('nonResourceAttributes', { 1: str('path'), 2: str('verb') }),
    }),
  },
  'v1/Namespace': { 1: meta, 2: msg('spec', { 1: strings('finalizers') }) },
  'v1/ConfigMap': { 1: meta, 2: map('data'), 3: map('binaryData', 'bytes'), 4: bool('immutable') },
  'v1/Secret': {
    1: meta,
    2: map('data', 'bytes'),
    3: str('type'),
    4: map('stringData'),
    5: bool('immutable'),
  },
  'v1/ServiceAccount': {
    1: meta,
    3: msg('imagePullSecrets', { 1: str('name') }, true),
    4: bool('automountServiceAccountToken'),
  },
  'v1/Service': {
    1: meta,
    2: msg('spec', {
      1: msg(
        'ports',
        {
          1: str('name'),
          2: str('protocol'),
          3: int('port'),
          4: { name: 'targetPort', type: 'intOrString' },
          5: int('nodePort'),
        },
        true,
      ),
      2: map('selector'),
      3: str('clusterIP'),
      4: str('type'),
      5: strings('externalIPs'),
      10: str('externalName'),
    }),
  },
  'apps/v1/Deployment': {
    1: meta,
    2: msg('spec', {
      1: int('replicas'),
      2: msg('selector', LABEL_SELECTOR),
      3: msg('template', POD_TEMPLATE),
      4: msg('strategy', { 1: str('type') }),
    }),
  },
  'batch/v1/Job': {
    1: meta,
    2: msg('spec', {
      1: int('parallelism'),
      2: int('completions'),
      4: msg('selector', LABEL_SELECTOR),
      6: msg('template', POD_TEMPLATE),
      7: int('backoffLimit'),
    }),
  },
};
