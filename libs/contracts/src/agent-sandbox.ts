// The kubernetes-sigs/agent-sandbox v1beta1 API as Foxhound reads and writes it: Sandbox,
// SandboxTemplate, SandboxWarmPool and SandboxClaim, their well-known labels and the condition
// reasons of the real controller. Shared by libs/kube (the client), kube-sim (the controller
// simulation) and the sandbox-manager. Objects are loose: fields Foxhound does not read pass through.
import { z } from 'zod';

export const AGENT_SANDBOX_GROUP = 'agents.x-k8s.io';
export const AGENT_SANDBOX_EXTENSIONS_GROUP = 'extensions.agents.x-k8s.io';
export const AGENT_SANDBOX_VERSION = 'v1beta1';

/** Group, version, plural and kind of each agent-sandbox resource. */
export const AgentSandboxResources = {
  sandbox: {
    group: AGENT_SANDBOX_GROUP,
    version: AGENT_SANDBOX_VERSION,
    plural: 'sandboxes',
    kind: 'Sandbox',
  },
  template: {
    group: AGENT_SANDBOX_EXTENSIONS_GROUP,
    version: AGENT_SANDBOX_VERSION,
    plural: 'sandboxtemplates',
    kind: 'SandboxTemplate',
  },
  warmPool: {
    group: AGENT_SANDBOX_EXTENSIONS_GROUP,
    version: AGENT_SANDBOX_VERSION,
    plural: 'sandboxwarmpools',
    kind: 'SandboxWarmPool',
  },
  claim: {
    group: AGENT_SANDBOX_EXTENSIONS_GROUP,
    version: AGENT_SANDBOX_VERSION,
    plural: 'sandboxclaims',
    kind: 'SandboxClaim',
  },
} as const;
export type AgentSandboxResource = (typeof AgentSandboxResources)[keyof typeof AgentSandboxResources];

/** Labels (L) and annotations (A) the agent-sandbox controller sets or reads. */
export const AgentSandboxKeys = {
  /** L on Pod and Service: FNV-1a-32 hex of the Sandbox name; the Service selector. */
  sandboxNameHash: 'agents.x-k8s.io/sandbox-name-hash',
  /** A on Sandbox: the name of its Pod. */
  podName: 'agents.x-k8s.io/pod-name',
  /** L on Sandbox and Pod: the owning claim's uid. */
  claimUid: 'agents.x-k8s.io/claim-uid',
  /** L on Sandbox: `warm` or `cold`. */
  launchType: 'agents.x-k8s.io/launch-type',
  /** L on Sandbox and Pod while unclaimed in a pool: FNV hash of the pool name. */
  warmPoolSandbox: 'agents.x-k8s.io/warm-pool-sandbox',
  /** L on Sandbox, Pod and Template: NetworkPolicy selector. */
  templateRefHash: 'agents.x-k8s.io/sandbox-template-ref-hash',
  /** A on Sandbox: the template name. */
  templateRef: 'agents.x-k8s.io/sandbox-template-ref',
  /** L on pool Sandboxes: hash of the blueprint they were built from. */
  templateHash: 'agents.x-k8s.io/sandbox-template-hash',
  /** L on Claim → Sandbox → Pod: who created it. */
  createdBy: 'agents.x-k8s.io/created-by',
  /** A on Claim: the assigned Sandbox name. */
  sandboxName: 'agents.x-k8s.io/sandbox-name',
} as const;

/** Ready=False reasons a SandboxClaim can report (`computeReadyCondition` in the real controller). */
export const ClaimReasons = [
  'TemplateNotFound',
  'WarmPoolNotFound',
  'ReconcilerError',
  'AdoptionConflict',
  'SandboxCreatePending',
  'InvalidMetadata',
  'EnvVarsInjectionRejected',
  'VolumeClaimTemplatesError',
  'ClaimExpired',
  'SandboxMissing',
  'SandboxExpired',
  'SandboxNotReady',
] as const;
export type ClaimReason = (typeof ClaimReasons)[number];

/** Reasons after which waiting cannot help (the SIG SDK's terminal list plus the missing-config ones). */
export const CLAIM_FATAL_REASONS: readonly string[] = [
  'TemplateNotFound',
  'WarmPoolNotFound',
  'InvalidMetadata',
  'EnvVarsInjectionRejected',
  'VolumeClaimTemplatesError',
  'ClaimExpired',
  'SandboxExpired',
];

/** Ready reasons on a Sandbox (`controllers/sandbox_controller.go`). */
export const SandboxReasons = [
  'DependenciesReady',
  'DependenciesNotReady',
  'SandboxSuspended',
  'PodSucceeded',
  'PodFailed',
  'SandboxExpired',
  'ReconcilerError',
  'MultiplePods',
] as const;
export type SandboxReason = (typeof SandboxReasons)[number];

export const ConditionSchema = z.looseObject({
  type: z.string(),
  status: z.enum(['True', 'False', 'Unknown']),
  reason: z.string().optional(),
  message: z.string().optional(),
  lastTransitionTime: z.string().optional(),
  observedGeneration: z.number().optional(),
});
export type Condition = z.infer<typeof ConditionSchema>;

const MetadataSchema = z.looseObject({
  name: z.string().optional(),
  generateName: z.string().optional(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.number().optional(),
  creationTimestamp: z.string().optional(),
  deletionTimestamp: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  ownerReferences: z
    .array(
      z.looseObject({
        apiVersion: z.string(),
        kind: z.string(),
        name: z.string(),
        uid: z.string(),
        controller: z.boolean().optional(),
      }),
    )
    .optional(),
});

const PodMetadataSchema = z.looseObject({
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

/** `podTemplate`: only labels and annotations of its metadata are used. The spec is a core/v1 PodSpec. */
export const SandboxPodTemplateSchema = z.looseObject({
  metadata: PodMetadataSchema.optional(),
  spec: z.record(z.string(), z.unknown()),
});
export type SandboxPodTemplate = z.infer<typeof SandboxPodTemplateSchema>;

export const SandboxSpecSchema = z.looseObject({
  podTemplate: SandboxPodTemplateSchema,
  volumeClaimTemplates: z.array(z.unknown()).optional(),
  service: z.boolean().optional(),
  shutdownTime: z.string().optional(),
  shutdownPolicy: z.enum(['Delete', 'Retain']).optional(),
  operatingMode: z.enum(['Running', 'Suspended']).optional(),
});

export const SandboxStatusSchema = z.looseObject({
  serviceFQDN: z.string().optional(),
  service: z.string().optional(),
  conditions: z.array(ConditionSchema).optional(),
  selector: z.string().optional(),
  podIPs: z.array(z.string()).optional(),
  nodeName: z.string().optional(),
});

export const SandboxSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.literal('Sandbox'),
  metadata: MetadataSchema,
  spec: SandboxSpecSchema,
  status: SandboxStatusSchema.optional(),
});
export type Sandbox = z.infer<typeof SandboxSchema>;

export const SandboxTemplateSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.literal('SandboxTemplate'),
  metadata: MetadataSchema,
  spec: z.looseObject({
    podTemplate: SandboxPodTemplateSchema,
    volumeClaimTemplates: z.array(z.unknown()).optional(),
    service: z.boolean().optional(),
    networkPolicyManagement: z.enum(['Managed', 'Unmanaged']).optional(),
    networkPolicy: z.unknown().optional(),
    envVarsInjectionPolicy: z.enum(['Disallowed', 'Allowed', 'Overrides']).optional(),
    volumeClaimTemplatesPolicy: z.enum(['Disallowed', 'Allowed', 'Overrides']).optional(),
  }),
});
export type SandboxTemplate = z.infer<typeof SandboxTemplateSchema>;

export const SandboxWarmPoolSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.literal('SandboxWarmPool'),
  metadata: MetadataSchema,
  spec: z.looseObject({
    replicas: z.number().int().min(0).optional(),
    sandboxTemplateRef: z.object({ name: z.string() }),
    updateStrategy: z.looseObject({ type: z.enum(['OnReplenish', 'Recreate']).optional() }).optional(),
  }),
  status: z
    .looseObject({
      replicas: z.number().optional(),
      readyReplicas: z.number().optional(),
      selector: z.string().optional(),
      observedGeneration: z.number().optional(),
    })
    .optional(),
});
export type SandboxWarmPool = z.infer<typeof SandboxWarmPoolSchema>;

export const ClaimLifecycleSchema = z.looseObject({
  shutdownTime: z.string().optional(),
  ttlSecondsAfterFinished: z.number().int().min(0).optional(),
  shutdownPolicy: z.enum(['Delete', 'DeleteForeground', 'Retain']).optional(),
});

export const SandboxClaimSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.literal('SandboxClaim'),
  metadata: MetadataSchema,
  spec: z.looseObject({
    warmPoolRef: z.object({ name: z.string() }),
    lifecycle: ClaimLifecycleSchema.optional(),
    additionalPodMetadata: PodMetadataSchema.optional(),
    env: z
      .array(
        z.looseObject({
          name: z.string(),
          value: z.string().optional(),
          containerName: z.string().optional(),
        }),
      )
      .optional(),
    volumeClaimTemplates: z.array(z.unknown()).optional(),
  }),
  status: z
    .looseObject({
      conditions: z.array(ConditionSchema).optional(),
      sandbox: z
        .looseObject({ name: z.string().optional(), podIPs: z.array(z.string()).optional() })
        .optional(),
    })
    .optional(),
});
export type SandboxClaim = z.infer<typeof SandboxClaimSchema>;
