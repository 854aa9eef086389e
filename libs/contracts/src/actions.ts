// The closed set of remediation actions Foxhound may propose. Anything outside this union cannot be
// proposed or executed: the executor emits proposals of these shapes, the manager executes only these.
import { z } from 'zod';
import { ContainerNameSchema, NamespaceSchema, ObjectNameSchema } from './kubernetes';

const target = { namespace: NamespaceSchema, name: ObjectNameSchema };

/** Container image reference: registry/repo[:tag][@digest], no whitespace or shell metacharacters. */
export const ImageRefSchema = z
  .string()
  .max(512)
  .regex(/^[a-z0-9][a-z0-9._\-/:@]*$/i, 'must be a container image reference');

export const DeleteResourceQuotaSchema = z
  .object({ type: z.literal('DeleteResourceQuota'), ...target })
  .strict();
export const PatchDeploymentImageSchema = z
  .object({
    type: z.literal('PatchDeploymentImage'),
    ...target,
    container: ContainerNameSchema,
    image: ImageRefSchema,
  })
  .strict();
export const RollbackDeploymentSchema = z
  .object({
    type: z.literal('RollbackDeployment'),
    ...target,
    toRevision: z.number().int().positive().optional(),
  })
  .strict();
export const ScaleDeploymentSchema = z
  .object({ type: z.literal('ScaleDeployment'), ...target, replicas: z.number().int().min(0).max(1000) })
  .strict();
export const RolloutRestartSchema = z
  .object({
    type: z.literal('RolloutRestart'),
    ...target,
    kind: z.enum(['Deployment', 'StatefulSet', 'DaemonSet']),
  })
  .strict();
export const DeletePodSchema = z.object({ type: z.literal('DeletePod'), ...target }).strict();

// Typed edits of one field group of a live object (issue 14): each is applied by object-edits.ts to
// the object as read, so the proposer's dry run and the manager's write compute the same result.
export const WorkloadKindSchema = z.enum(['Deployment', 'StatefulSet', 'DaemonSet']);
export type WorkloadKind = z.infer<typeof WorkloadKindSchema>;
const container = { ...target, kind: WorkloadKindSchema, container: ContainerNameSchema };

/** A Kubernetes quantity: `250m`, `1.5`, `512Mi`, `2G`. */
export const QuantitySchema = z
  .string()
  .max(64)
  .regex(
    /^[+]?[0-9.]+([eE][+-]?[0-9]+)?(m|k|Ki|Mi|Gi|Ti|Pi|Ei|M|G|T|P|E)?$/,
    'must be a Kubernetes quantity',
  );
const computeResources = z
  .object({ cpu: QuantitySchema.optional(), memory: QuantitySchema.optional() })
  .strict();
/** A container port by number, or by its name in the pod spec (IANA_SVC_NAME). */
export const PortRefSchema = z.union([
  z.number().int().min(1).max(65535),
  z.string().regex(/^(?=.*[a-z])[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/, 'must be a port number or name'),
]);
/** An environment variable name (C_IDENTIFIER, as kubectl checks it) or a ConfigMap/Secret key. */
const EnvNameSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[-._a-zA-Z0-9]+$/, 'must be a variable name');
const KeyRefSchema = z.object({ name: ObjectNameSchema, key: EnvNameSchema }).strict();

export const PatchContainerResourcesSchema = z
  .object({
    type: z.literal('PatchContainerResources'),
    ...container,
    requests: computeResources.optional(),
    limits: computeResources.optional(),
  })
  .strict()
  .refine((a) => Object.keys({ ...a.requests, ...a.limits }).length > 0, 'sets no request or limit');
export const PatchContainerProbeSchema = z
  .object({
    type: z.literal('PatchContainerProbe'),
    ...container,
    probe: z.enum(['liveness', 'readiness', 'startup']),
    /** The port of the probe's existing httpGet, tcpSocket or grpc handler. */
    port: PortRefSchema.optional(),
    /** The httpGet handler's path. */
    path: z
      .string()
      .max(1024)
      .regex(/^\/[^\s]*$/, 'must be an absolute URL path')
      .optional(),
    initialDelaySeconds: z.number().int().min(0).max(3600).optional(),
    periodSeconds: z.number().int().min(1).max(3600).optional(),
    timeoutSeconds: z.number().int().min(1).max(3600).optional(),
    failureThreshold: z.number().int().min(1).max(100).optional(),
  })
  .strict();
const argv = z.array(z.string().max(4096)).max(64);
export const PatchContainerCommandSchema = z
  .object({
    type: z.literal('PatchContainerCommand'),
    ...container,
    command: argv.optional(),
    args: argv.optional(),
  })
  .strict()
  .refine((a) => a.command !== undefined || a.args !== undefined, 'sets neither command nor args');
/** One change to a container's environment: a value, a key reference, a removal, or an envFrom source re-pointed. */
export const EnvChangeSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('set'), name: EnvNameSchema, value: z.string().max(4096) }).strict(),
  z
    .object({
      op: z.literal('setFrom'),
      name: EnvNameSchema,
      configMapKeyRef: KeyRefSchema.optional(),
      secretKeyRef: KeyRefSchema.optional(),
    })
    .strict()
    .refine(
      (c) => (c.configMapKeyRef === undefined) !== (c.secretKeyRef === undefined),
      'names one key reference',
    ),
  z.object({ op: z.literal('remove'), name: EnvNameSchema }).strict(),
  z
    .object({
      op: z.literal('repointEnvFrom'),
      source: z.enum(['configMapRef', 'secretRef']),
      from: ObjectNameSchema,
      to: ObjectNameSchema,
    })
    .strict(),
]);
export type EnvChange = z.infer<typeof EnvChangeSchema>;
export const PatchContainerEnvSchema = z
  .object({ type: z.literal('PatchContainerEnv'), ...container, change: EnvChangeSchema })
  .strict();
const TolerationSchema = z
  .object({
    key: z.string().max(317).optional(),
    operator: z.enum(['Exists', 'Equal']).optional(),
    value: z.string().max(63).optional(),
    effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
    tolerationSeconds: z.number().int().min(0).optional(),
  })
  .strict();
/** Node affinity, pod affinity and anti-affinity as the pod spec has them (the API server validates the rest). */
const AffinitySchema = z
  .object({
    nodeAffinity: z.record(z.string(), z.unknown()).optional(),
    podAffinity: z.record(z.string(), z.unknown()).optional(),
    podAntiAffinity: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .refine((a) => JSON.stringify(a).length <= 16 * 1024, 'affinity is larger than 16 KiB');
/**
 * Where a workload's pods may run: each field given replaces the template's (an empty
 * nodeSelector, list or affinity removes it).
 */
export const PatchPodSchedulingSchema = z
  .object({
    type: z.literal('PatchPodScheduling'),
    ...target,
    kind: WorkloadKindSchema,
    nodeSelector: z.record(z.string().max(317), z.string().max(63)).optional(),
    tolerations: z.array(TolerationSchema).max(20).optional(),
    affinity: AffinitySchema.optional(),
  })
  .strict()
  .refine(
    (a) => a.nodeSelector !== undefined || a.tolerations !== undefined || a.affinity !== undefined,
    'sets neither nodeSelector, tolerations nor affinity',
  );
/**
 * Who a workload's pods run as (the pod-level securityContext). Only these fields exist, so the
 * action can never make a container privileged or add a capability; it never runs anything as
 * root either (uid and gid 0 are refused, runAsNonRoot can only be turned on).
 */
export const PatchPodSecurityContextSchema = z
  .object({
    type: z.literal('PatchPodSecurityContext'),
    ...target,
    kind: WorkloadKindSchema,
    runAsUser: z.number().int().min(1).max(2_147_483_647).optional(),
    runAsGroup: z.number().int().min(1).max(2_147_483_647).optional(),
    fsGroup: z.number().int().min(1).max(2_147_483_647).optional(),
    runAsNonRoot: z.literal(true).optional(),
  })
  .strict()
  .refine(
    (a) => [a.runAsUser, a.runAsGroup, a.fsGroup, a.runAsNonRoot].some((v) => v !== undefined),
    'sets no securityContext field',
  );
const LabelKeySchema = z
  .string()
  .max(317)
  .regex(
    /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
    'must be a label key',
  );
const LabelValueSchema = z
  .string()
  .max(63)
  .regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/, 'must be a label value');
export const PatchServiceSelectorSchema = z
  .object({
    type: z.literal('PatchServiceSelector'),
    ...target,
    selector: z.record(LabelKeySchema, LabelValueSchema).refine((s) => {
      const n = Object.keys(s).length;
      return n >= 1 && n <= 20;
    }, 'must hold 1-20 labels'),
  })
  .strict();
export const PatchServicePortSchema = z
  .object({
    type: z.literal('PatchServicePort'),
    ...target,
    /** The Service port whose targetPort changes. */
    port: z.number().int().min(1).max(65535),
    targetPort: PortRefSchema,
  })
  .strict();
export const PatchConfigMapKeySchema = z
  .object({
    type: z.literal('PatchConfigMapKey'),
    ...target,
    key: EnvNameSchema,
    value: z.string().max(8192),
  })
  .strict();
export const PatchResourceQuotaSchema = z
  .object({
    type: z.literal('PatchResourceQuota'),
    ...target,
    /** New `spec.hard` values; each must be at least the current one (a patch only raises). */
    hard: z
      .record(
        z
          .string()
          .max(253)
          .regex(/^[a-z0-9./-]+$/i),
        QuantitySchema,
      )
      .refine((h) => {
        const n = Object.keys(h).length;
        return n >= 1 && n <= 20;
      }, 'must raise 1-20 limits'),
  })
  .strict();

/**
 * The permissions AddRoleRule may put in a namespaced Role: reads of what applications commonly
 * watch, and leader-election leases. The API server lets a subject write a Role only with rules it
 * holds itself (RBAC escalation prevention) unless it has `escalate`, which Foxhound never holds;
 * so the writer's AddRoleRule role holds exactly these (bound in the one namespace for one action),
 * and a Role is edited only when every rule it ends up with is among them. No secrets, no
 * wildcard, no RBAC or impersonation verb, nothing cluster-wide.
 */
export const GRANTABLE_ROLE_RULES: readonly { apiGroup: string; resources: string[]; verbs: string[] }[] = [
  {
    apiGroup: '',
    resources: [
      'pods',
      'pods/log',
      'configmaps',
      'services',
      'endpoints',
      'events',
      'persistentvolumeclaims',
      'serviceaccounts',
    ],
    verbs: ['get', 'list', 'watch'],
  },
  {
    apiGroup: 'apps',
    resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'],
    verbs: ['get', 'list', 'watch'],
  },
  { apiGroup: 'batch', resources: ['jobs', 'cronjobs'], verbs: ['get', 'list', 'watch'] },
  { apiGroup: 'discovery.k8s.io', resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
  {
    apiGroup: 'coordination.k8s.io',
    resources: ['leases'],
    verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'],
  },
];

/** Whether the grantable set holds `verb` on `resource` in `apiGroup`. */
export const isGrantable = (apiGroup: string, resource: string, verb: string): boolean =>
  GRANTABLE_ROLE_RULES.some(
    (g) => g.apiGroup === apiGroup && g.resources.includes(resource) && g.verbs.includes(verb),
  );

/** One verb on one resource added to a namespaced Role (never a ClusterRole), from the grantable set. */
export const AddRoleRuleSchema = z
  .object({
    type: z.literal('AddRoleRule'),
    ...target,
    /** The API group: `` for the core group, `coordination.k8s.io`, ... */
    apiGroup: z.string().max(253),
    resource: z.string().max(253),
    verb: z.string().max(32),
  })
  .strict()
  .refine((a) => isGrantable(a.apiGroup, a.resource, a.verb), {
    message: `must be one of the grantable permissions: ${GRANTABLE_ROLE_RULES.map(
      (g) => `${g.verbs.join('/')} on ${g.resources.join(', ')} in API group "${g.apiGroup}"`,
    ).join('; ')}`,
  });

export const ActionSchema = z.discriminatedUnion('type', [
  DeleteResourceQuotaSchema,
  PatchDeploymentImageSchema,
  RollbackDeploymentSchema,
  ScaleDeploymentSchema,
  RolloutRestartSchema,
  DeletePodSchema,
  PatchContainerResourcesSchema,
  PatchContainerProbeSchema,
  PatchContainerCommandSchema,
  PatchContainerEnvSchema,
  PatchServiceSelectorSchema,
  PatchServicePortSchema,
  PatchConfigMapKeySchema,
  PatchResourceQuotaSchema,
  PatchPodSchedulingSchema,
  PatchPodSecurityContextSchema,
  AddRoleRuleSchema,
]);
export type Action = z.infer<typeof ActionSchema>;
export type ActionType = Action['type'];
export const ACTION_TYPES = ActionSchema.options.map((o) => o.shape.type.value) as ActionType[];
export const ActionTypeSchema = z.enum(ACTION_TYPES as [ActionType, ...ActionType[]]);

export const RiskSchema = z.enum(['low', 'medium', 'high']);
export type Risk = z.infer<typeof RiskSchema>;

/** The kinds of object an action edits in place (or deletes and can re-create). */
export const RestorableKindSchema = z.enum([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Service',
  'ConfigMap',
  'ResourceQuota',
  'Role',
]);
export type RestorableKind = z.infer<typeof RestorableKindSchema>;

const MAX_PRE_IMAGE_CHARS = 256 * 1024;
/**
 * An object as it was before an action changed it: everything a restore writes back. `body` is the
 * object's `spec`, `data` and `binaryData` for a ConfigMap, or `rules` for a Role.
 */
export const PreImageSchema = z
  .object({
    uid: z.string().max(128).optional(),
    resourceVersion: z.string().max(100).optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
    body: z.record(z.string(), z.unknown()),
  })
  .strict()
  .refine((p) => JSON.stringify(p).length <= MAX_PRE_IMAGE_CHARS, 'the pre-image is larger than 256 KiB');
export type PreImage = z.infer<typeof PreImageSchema>;

/**
 * The exact inverse of an action: put the captured pre-image back (labels, annotations and spec or
 * data, replaced whole, guarded by the live object's resourceVersion), or re-create the object an
 * action deleted. Only ever built from a proposal's rollback plan; the agent cannot propose it.
 */
export const RestoreObjectSchema = z
  .object({
    type: z.literal('RestoreObject'),
    ...target,
    kind: RestorableKindSchema,
    preImage: PreImageSchema,
  })
  .strict();
export type RestoreObject = z.infer<typeof RestoreObjectSchema>;

/**
 * How to undo an action, computed from the target's state when the action was proposed: the
 * captured pre-image put back (RestoreObject), or an explanation of why no inverse is needed (a
 * deleted pod is recreated by its controller). `manifest` shows an approver the object a delete removes.
 */
export const RollbackPlanSchema = z.object({
  description: z.string(),
  action: z.union([ActionSchema, RestoreObjectSchema]).optional(),
  manifest: z.record(z.string(), z.unknown()).optional(),
});
export type RollbackPlan = z.infer<typeof RollbackPlanSchema>;

/** What a finding or an agent suggests doing about a problem. */
export const SuggestedActionSchema = z.object({
  action: ActionSchema,
  summary: z.string(),
  expectedEffect: z.string(),
  risk: RiskSchema,
  rollback: RollbackPlanSchema,
});
export type SuggestedAction = z.infer<typeof SuggestedActionSchema>;
