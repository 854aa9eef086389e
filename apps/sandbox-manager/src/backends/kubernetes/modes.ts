// The two shapes a thread's sandbox takes in the cluster: a SandboxClaim against the warm pool
// (`claim` mode, the default) or a bare Sandbox (`sandbox` mode, when the extensions are not
// installed, as IncidentFox does). Each mode knows how to build its object, where its expiry lives,
// how to renew it and when it is ready; the backend (kubernetes-backend.ts) is the same for both.
import {
  AgentSandboxKeys,
  AGENT_SANDBOX_EXTENSIONS_GROUP,
  AGENT_SANDBOX_GROUP,
  AGENT_SANDBOX_VERSION,
  type Sandbox,
  type SandboxClaim,
} from '@foxhound/contracts';
import { claimReadiness, sandboxReadiness, type Readiness } from '@foxhound/kube';
import { parseExpiry, toRfc3339 } from '../../lifecycle/expiry';
import { MANAGED_BY_VALUE, ManagerKeys, labelHash } from '../../lifecycle/names';
import { type CreateSpec } from '../backend';
import { executorPodTemplate, type ExecutorPodSettings } from './executor-template';

export type ManagedObject = Sandbox | SandboxClaim;

export interface Mode<T extends ManagedObject> {
  /** The agent-sandbox kind this mode manages (libs/kube's name for it). */
  kind: 'claim' | 'sandbox';
  build(name: string, namespace: string, spec: CreateSpec): T;
  expiresAt(object: T): Date;
  renewPatch(expiresAt: Date): object;
  readiness(object: T): Readiness;
  /** Came from a warm pool rather than a cold start. */
  warm(object: T, sandboxName: string): boolean;
  podName(object: T, sandboxName: string): string;
}

function metadata(name: string, namespace: string, spec: CreateSpec) {
  return {
    name,
    namespace,
    labels: {
      ...spec.labels,
      [ManagerKeys.managedBy]: MANAGED_BY_VALUE,
      [ManagerKeys.threadHash]: labelHash(spec.threadId),
      [ManagerKeys.ownerHash]: labelHash(spec.owner),
    },
    annotations: {
      [ManagerKeys.threadId]: spec.threadId,
      [ManagerKeys.owner]: spec.owner,
      [ManagerKeys.ttlSeconds]: String(spec.ttlSeconds),
    },
  };
}

export function claimMode(warmPool: string): Mode<SandboxClaim> {
  return {
    kind: 'claim',
    build: (name, namespace, spec) => ({
      apiVersion: `${AGENT_SANDBOX_EXTENSIONS_GROUP}/${AGENT_SANDBOX_VERSION}`,
      kind: 'SandboxClaim',
      metadata: metadata(name, namespace, spec),
      spec: {
        warmPoolRef: { name: warmPool },
        lifecycle: { shutdownTime: toRfc3339(spec.expiresAt), shutdownPolicy: 'Delete' },
      },
    }),
    expiresAt: (claim) => parseExpiry(claim.spec.lifecycle?.shutdownTime),
    renewPatch: (expiresAt) => ({ spec: { lifecycle: { shutdownTime: toRfc3339(expiresAt) } } }),
    readiness: claimReadiness,
    // Warm adoption keeps the pool sandbox's own name; a cold sandbox is named after the claim.
    warm: (claim, sandboxName) => sandboxName !== claim.metadata.name,
    // v1beta1 pool sandboxes hold full Sandbox CRs, whose pods carry the Sandbox's name.
    podName: (_claim, sandboxName) => sandboxName,
  };
}

export function sandboxMode(pod: ExecutorPodSettings): Mode<Sandbox> {
  return {
    kind: 'sandbox',
    build: (name, namespace, spec) => ({
      apiVersion: `${AGENT_SANDBOX_GROUP}/${AGENT_SANDBOX_VERSION}`,
      kind: 'Sandbox',
      metadata: metadata(name, namespace, spec),
      spec: {
        podTemplate: executorPodTemplate(pod),
        shutdownTime: toRfc3339(spec.expiresAt),
        shutdownPolicy: 'Delete',
      },
    }),
    expiresAt: (sandbox) => parseExpiry(sandbox.spec.shutdownTime),
    renewPatch: (expiresAt) => ({ spec: { shutdownTime: toRfc3339(expiresAt) } }),
    readiness: sandboxReadiness,
    warm: () => false,
    podName: (sandbox, sandboxName) =>
      sandbox.metadata.annotations?.[AgentSandboxKeys.podName] ?? sandboxName,
  };
}
