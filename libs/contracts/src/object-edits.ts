// What each typed edit does to the object it targets: a pure function from the object as the API
// server returns it to the object to write, or a refusal saying why the edit does not fit it. The
// agent applies it to validate a proposal and dry-run the result; the sandbox-manager applies it
// to the object it reads right before the write and replaces the object with the result, guarded
// by resourceVersion. Both use this one file, so what was approved is what is written.
// Pre-images and restores live in pre-image.ts.
import { type Action, type EnvChange, isGrantable } from './actions';
import { parseQuantity } from './quantity';

/** An object as the API server returns it, only as far as the edits read it. */
export interface EditableObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [field: string]: unknown;
  };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  /** A Role's rules. */
  rules?: PolicyRule[];
  status?: Record<string, unknown>;
}

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export const EDIT_TYPES = [
  'PatchContainerResources',
  'PatchContainerProbe',
  'PatchContainerCommand',
  'PatchContainerEnv',
  'PatchServiceSelector',
  'PatchServicePort',
  'PatchConfigMapKey',
  'PatchResourceQuota',
  'PatchPodScheduling',
  'PatchPodSecurityContext',
  'AddRoleRule',
] as const;
export type EditAction = Extract<Action, { type: (typeof EDIT_TYPES)[number] }>;
export const isEditAction = (action: { type: string }): action is EditAction =>
  (EDIT_TYPES as readonly string[]).includes(action.type);

export type EditResult = { object: EditableObject; change: string } | { refusal: string };

interface Container {
  name: string;
  command?: string[];
  args?: string[];
  ports?: { name?: string; containerPort?: number }[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string }; prefix?: string }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
}
interface Probe {
  httpGet?: { path?: string; port?: number | string };
  tcpSocket?: { port?: number | string };
  grpc?: { port?: number };
  [field: string]: unknown;
}

/** The object after the edit (a deep copy; `live` is untouched), or why the edit does not fit. */
export function applyEdit(action: EditAction, live: EditableObject): EditResult {
  const object = structuredClone(live);
  const refusal = edit(action, object);
  if (refusal) return { refusal };
  if (canonical(object) === canonical(live))
    return { refusal: `it changes nothing: ${describeEdit(action)} is already in place.` };
  return { object, change: describeEdit(action) };
}

function edit(action: EditAction, object: EditableObject): string | undefined {
  switch (action.type) {
    case 'PatchContainerResources':
    case 'PatchContainerProbe':
    case 'PatchContainerCommand':
    case 'PatchContainerEnv': {
      const found = containerOf(object, action.container);
      if (typeof found === 'string') return found;
      return editContainer(action, found);
    }
    case 'PatchPodScheduling':
    case 'PatchPodSecurityContext': {
      const podSpec = (object.spec?.template as { spec?: Record<string, unknown> } | undefined)?.spec;
      if (!podSpec) return `${object.kind ?? 'the workload'} ${object.metadata.name} has no pod template.`;
      if (action.type === 'PatchPodSecurityContext') {
        const { type: _t, namespace: _n, name: _m, kind: _k, ...fields } = action;
        podSpec.securityContext = { ...(podSpec.securityContext as object | undefined), ...fields };
        return undefined;
      }
      // Each given field replaces the template's; an empty one removes it.
      for (const field of ['nodeSelector', 'tolerations', 'affinity'] as const) {
        const value = action[field];
        if (value === undefined) continue;
        if (Array.isArray(value) ? value.length : Object.keys(value).length)
          podSpec[field] = structuredClone(value);
        else delete podSpec[field];
      }
      return undefined;
    }
    case 'PatchServiceSelector': {
      const spec = (object.spec ??= {});
      if (spec.type === 'ExternalName')
        return `Service ${action.name} is an ExternalName Service; it selects no pods.`;
      spec.selector = { ...action.selector };
      return undefined;
    }
    case 'PatchServicePort': {
      const ports = (object.spec?.ports ?? []) as { port: number; targetPort?: number | string }[];
      const entry = ports.find((p) => p.port === action.port);
      if (!entry)
        return `Service ${action.name} has no port ${action.port} (it has ${ports.map((p) => p.port).join(', ') || 'none'}).`;
      entry.targetPort = action.targetPort;
      return undefined;
    }
    case 'PatchConfigMapKey':
      if (object.binaryData?.[action.key] !== undefined)
        return `ConfigMap ${action.name} holds ${action.key} as binaryData; a text value would duplicate the key.`;
      object.data = { ...object.data, [action.key]: action.value };
      return undefined;
    case 'AddRoleRule':
      return addRoleRule(action, object);
    case 'PatchResourceQuota': {
      const hard = ((object.spec ??= {}).hard ??= {}) as Record<string, string>;
      for (const [resource, value] of Object.entries(action.hard)) {
        const now = parseQuantity(hard[resource]);
        if (hard[resource] === undefined)
          return `ResourceQuota ${action.name} does not limit ${resource}; a patch only raises existing limits.`;
        if (now !== undefined && (parseQuantity(value) ?? 0) < now)
          return `${resource}=${value} would lower the limit from ${hard[resource]}; a patch only raises limits.`;
        hard[resource] = value;
      }
      return undefined;
    }
  }
}

/**
 * Adds the verb to the rule that names exactly this group and resource (else a new rule), then
 * holds the whole Role to the grantable set: the API server checks every rule of an updated Role
 * against the writer's own rights, not just the added one.
 */
function addRoleRule(action: Extract<EditAction, { type: 'AddRoleRule' }>, role: EditableObject) {
  const rules = (role.rules ??= []);
  const { apiGroup, resource, verb } = action;
  const allows = (r: PolicyRule) =>
    !r.resourceNames?.length &&
    [apiGroup, '*'].some((g) => r.apiGroups?.includes(g)) &&
    [resource, '*'].some((x) => r.resources?.includes(x)) &&
    [verb, '*'].some((v) => r.verbs.includes(v));
  if (rules.some(allows)) return `Role ${action.name} already allows ${verb} on ${resource}.`;
  const same = rules.find(
    (r) =>
      !r.resourceNames?.length &&
      r.apiGroups?.length === 1 &&
      r.apiGroups[0] === apiGroup &&
      r.resources?.length === 1 &&
      r.resources[0] === resource,
  );
  if (same) same.verbs = [...same.verbs, verb];
  else rules.push({ apiGroups: [apiGroup], resources: [resource], verbs: [verb] });
  const outside = rules.flatMap((r) =>
    r.nonResourceURLs?.length
      ? ['nonResourceURLs']
      : (r.apiGroups ?? []).flatMap((g) =>
          (r.resources ?? []).flatMap((x) =>
            r.verbs.filter((v) => !isGrantable(g, x, v)).map((v) => `${v} ${x}${g ? `.${g}` : ''}`),
          ),
        ),
  );
  if (outside.length)
    return `Role ${action.name} also grants ${[...new Set(outside)].slice(0, 5).join(', ')}, which the writer does not hold; the API server would refuse the update as an escalation, so a human must add this rule.`;
  return undefined;
}

function containerOf(object: EditableObject, name: string): Container | string {
  const podSpec = (object.spec?.template as { spec?: { containers?: Container[] } } | undefined)?.spec;
  const containers = podSpec?.containers ?? [];
  const found = containers.find((c) => c.name === name);
  return (
    found ??
    `${object.kind ?? 'the workload'} ${object.metadata.name} has no container "${name}" (it has ${containers.map((c) => c.name).join(', ') || 'none'}).`
  );
}

function editContainer(action: Extract<EditAction, { container: string }>, c: Container): string | undefined {
  switch (action.type) {
    case 'PatchContainerResources': {
      const resources = (c.resources ??= {});
      if (action.requests) resources.requests = { ...resources.requests, ...action.requests };
      if (action.limits) resources.limits = { ...resources.limits, ...action.limits };
      for (const r of ['cpu', 'memory']) {
        const request = parseQuantity(resources.requests?.[r]);
        const limit = parseQuantity(resources.limits?.[r]);
        if (request !== undefined && limit !== undefined && request > limit)
          return `the ${r} request ${resources.requests?.[r]} would exceed the ${r} limit ${resources.limits?.[r]}.`;
      }
      return undefined;
    }
    case 'PatchContainerProbe': {
      const probe = c[`${action.probe}Probe`];
      if (!probe)
        return `container ${c.name} has no ${action.probe} probe; this action corrects a probe, it does not add one.`;
      if (action.port !== undefined) {
        if (typeof action.port === 'string' && !c.ports?.some((p) => p.name === action.port))
          return `container ${c.name} declares no port named "${action.port}".`;
        const handler = probe.httpGet ?? probe.tcpSocket ?? probe.grpc;
        if (!handler) return `the ${action.probe} probe of ${c.name} runs a command; it has no port.`;
        if (probe.grpc && typeof action.port === 'string') return 'a grpc probe needs a port number.';
        handler.port = action.port;
      }
      if (action.path !== undefined) {
        if (!probe.httpGet)
          return `the ${action.probe} probe of ${c.name} is not an HTTP probe; it has no path.`;
        probe.httpGet.path = action.path;
      }
      for (const field of [
        'initialDelaySeconds',
        'periodSeconds',
        'timeoutSeconds',
        'failureThreshold',
      ] as const)
        if (action[field] !== undefined) probe[field] = action[field];
      return undefined;
    }
    case 'PatchContainerCommand':
      // An empty list drops the field: the image's ENTRYPOINT or CMD applies again.
      for (const field of ['command', 'args'] as const) {
        const value = action[field];
        if (value === undefined) continue;
        if (value.length) c[field] = [...value];
        else delete c[field];
      }
      return undefined;
    case 'PatchContainerEnv':
      return editEnv(action.change, c);
  }
}

function editEnv(change: EnvChange, c: Container): string | undefined {
  if (change.op === 'repointEnvFrom') {
    const entry = c.envFrom?.find((e) => e[change.source]?.name === change.from);
    if (!entry) return `container ${c.name} has no envFrom ${change.source} "${change.from}".`;
    entry[change.source] = { ...entry[change.source], name: change.to };
    return undefined;
  }
  const env = (c.env ??= []);
  const index = env.findIndex((e) => e.name === change.name);
  if (change.op === 'remove') {
    if (index === -1) return `container ${c.name} has no variable ${change.name}.`;
    env.splice(index, 1);
    if (env.length === 0) delete c.env;
    return undefined;
  }
  const entry =
    change.op === 'set'
      ? { name: change.name, value: change.value }
      : {
          name: change.name,
          valueFrom: change.configMapKeyRef
            ? { configMapKeyRef: change.configMapKeyRef }
            : { secretKeyRef: change.secretKeyRef },
        };
  if (index === -1) env.push(entry);
  else env[index] = entry;
  return undefined;
}

/** One line on what the edit sets, for proposals and execution messages. Never prints a value from a Secret. */
export function describeEdit(action: EditAction): string {
  const where = `${action.namespace}/${action.name}`;
  switch (action.type) {
    case 'PatchContainerResources': {
      const parts = (['requests', 'limits'] as const).flatMap((k) =>
        Object.entries(action[k] ?? {}).map(([r, v]) => `${k}.${r}=${v}`),
      );
      return `container ${action.container} of ${action.kind} ${where} with ${parts.join(', ')}`;
    }
    case 'PatchContainerProbe': {
      const fields = (
        [
          'port',
          'path',
          'initialDelaySeconds',
          'periodSeconds',
          'timeoutSeconds',
          'failureThreshold',
        ] as const
      )
        .filter((f) => action[f] !== undefined)
        .map((f) => `${f}=${action[f]}`);
      return `the ${action.probe} probe of container ${action.container} of ${action.kind} ${where} with ${fields.join(', ')}`;
    }
    case 'PatchContainerCommand':
      return `container ${action.container} of ${action.kind} ${where} with ${[
        action.command ? `command ${JSON.stringify(action.command)}` : '',
        action.args ? `args ${JSON.stringify(action.args)}` : '',
      ]
        .filter(Boolean)
        .join(' and ')}`;
    case 'PatchContainerEnv': {
      const c = action.change;
      const what =
        c.op === 'set'
          ? `${c.name} set to a literal value`
          : c.op === 'setFrom'
            ? `${c.name} from ${c.configMapKeyRef ? `ConfigMap ${c.configMapKeyRef.name} key ${c.configMapKeyRef.key}` : `Secret ${c.secretKeyRef?.name} key ${c.secretKeyRef?.key}`}`
            : c.op === 'remove'
              ? `${c.name} removed`
              : `envFrom ${c.source} ${c.from} re-pointed to ${c.to}`;
      return `container ${action.container} of ${action.kind} ${where} with ${what}`;
    }
    case 'PatchPodScheduling':
      return `the pod template of ${action.kind} ${where} with ${[
        action.nodeSelector !== undefined
          ? `nodeSelector ${formatLabels(action.nodeSelector) || '(none)'}`
          : '',
        action.tolerations !== undefined ? `${action.tolerations.length} toleration(s)` : '',
        action.affinity !== undefined
          ? `affinity ${Object.keys(action.affinity).join(', ') || '(none)'}`
          : '',
      ]
        .filter(Boolean)
        .join(', ')}`;
    case 'PatchPodSecurityContext':
      return `the pod securityContext of ${action.kind} ${where} with ${(
        ['runAsUser', 'runAsGroup', 'fsGroup', 'runAsNonRoot'] as const
      )
        .filter((f) => action[f] !== undefined)
        .map((f) => `${f}=${action[f]}`)
        .join(', ')}`;
    case 'PatchServiceSelector':
      return `Service ${where} with selector ${formatLabels(action.selector)}`;
    case 'PatchServicePort':
      return `Service ${where} with port ${action.port} → targetPort ${action.targetPort}`;
    case 'PatchConfigMapKey':
      return `ConfigMap ${where} with key ${action.key} set (${action.value.length} characters)`;
    case 'AddRoleRule':
      return `Role ${where} with ${action.verb} on ${action.resource}${action.apiGroup ? ` in API group ${action.apiGroup}` : ''}`;
    case 'PatchResourceQuota':
      return `ResourceQuota ${where} with hard ${Object.entries(action.hard)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}`;
  }
}

export const formatLabels = (labels: Record<string, string>): string =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/** JSON with sorted keys: two objects that differ only in key order compare equal. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}
