// Reconciles a SandboxClaim like sandboxclaim_controller.go: fetch, leave it alone if gone or
// deleting, apply the lifecycle (shutdownTime with Delete, DeleteForeground or Retain), bind it to
// a sandbox once (adopt a ready warm one from the pool, else cold-start one named after the
// claim), then mirror the sandbox's name, pod IPs and Ready into one status write. Ready=False
// carries the real controller's reasons (WarmPoolNotFound, TemplateNotFound, SandboxNotReady, ...).
import { AgentSandboxKeys, type Condition } from '@foxhound/contracts';
import { formatTime } from '../../store/meta';
import { type StoredObject } from '../../types';
import { type ReconcileContext } from './context';
import {
  CLAIMS,
  PODS,
  SANDBOXES,
  SYSTEM_PREFIXES,
  TEMPLATES,
  WARM_POOLS,
  clone,
  condition,
  deepEqual,
  fnv32a,
  parseTime,
} from './meta';
import { isSandboxReady, poolSandboxes } from './warm-pool';
import { controllerOf, controllerRef, isControlledBy } from '../owners';

interface ClaimSpec {
  warmPoolRef?: { name?: string };
  lifecycle?: { shutdownTime?: string; shutdownPolicy?: 'Delete' | 'DeleteForeground' | 'Retain' };
  additionalPodMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  env?: { name: string; value?: string; containerName?: string }[];
  volumeClaimTemplates?: unknown[];
}

interface ReadyState {
  status: 'True' | 'False';
  reason: string;
  message: string;
}

type Binding = { sandboxName: string } | (ReadyState & { retryMs?: number });

export function reconcileClaim(ctx: ReconcileContext, namespace: string, name: string): void {
  let claim = ctx.store.find(CLAIMS, namespace, name);
  if (claim === undefined || claim.metadata.deletionTimestamp) return;
  const spec = (claim.spec ?? {}) as ClaimSpec;
  const key = { kind: 'SandboxClaim' as const, namespace, name };
  const now = ctx.now();

  const shutdownAt = parseTime(spec.lifecycle?.shutdownTime);
  if (shutdownAt !== undefined && now.getTime() >= shutdownAt) {
    const policy = spec.lifecycle?.shutdownPolicy ?? 'Retain';
    if (policy !== 'Retain') {
      ctx.store.delete(CLAIMS, namespace, name, {
        propagationPolicy: policy === 'DeleteForeground' ? 'Foreground' : 'Background',
      });
      return;
    }
    const bound = boundSandboxName(claim);
    const sandbox = bound === undefined ? undefined : ctx.store.find(SANDBOXES, namespace, bound);
    if (sandbox !== undefined && isControlledBy(sandbox, claim))
      ctx.store.delete(SANDBOXES, namespace, bound!);
    writeStatus(ctx, claim, {
      conditions: [
        ready(ctx, claim, {
          status: 'False',
          reason: 'ClaimExpired',
          message: `Claim expired at ${spec.lifecycle?.shutdownTime}`,
        }),
      ],
    });
    return;
  }
  if (shutdownAt !== undefined) ctx.requeueAfter(key, shutdownAt - now.getTime());

  let sandboxName = boundSandboxName(claim);
  if (sandboxName === undefined) {
    const binding = bind(ctx, claim, spec);
    if (!('sandboxName' in binding)) {
      if (binding.retryMs !== undefined) ctx.requeueAfter(key, binding.retryMs);
      writeStatus(ctx, claim, { conditions: [ready(ctx, claim, binding)] });
      return;
    }
    sandboxName = binding.sandboxName;
    const annotated = clone(claim);
    annotated.metadata.annotations = {
      ...annotated.metadata.annotations,
      [AgentSandboxKeys.sandboxName]: sandboxName,
    };
    claim = ctx.store.update(CLAIMS, annotated);
  }

  const sandbox = ctx.store.find(SANDBOXES, namespace, sandboxName);
  if (sandbox === undefined || !isControlledBy(sandbox, claim)) {
    const state: ReadyState =
      sandbox === undefined
        ? { status: 'False', reason: 'SandboxMissing', message: `Sandbox ${sandboxName} not found` }
        : {
            status: 'False',
            reason: 'AdoptionConflict',
            message: `Sandbox ${sandboxName} is controlled by another object`,
          };
    writeStatus(ctx, claim, { sandbox: { name: sandboxName }, conditions: [ready(ctx, claim, state)] });
    return;
  }
  const sandboxStatus = (sandbox.status ?? {}) as { conditions?: Condition[]; podIPs?: string[] };
  const sandboxReady = sandboxStatus.conditions?.find((c) => c.type === 'Ready');
  const state: ReadyState = isSandboxReady(sandbox)
    ? {
        status: 'True',
        reason: sandboxReady?.reason ?? 'DependenciesReady',
        message: sandboxReady?.message ?? 'Sandbox is ready',
      }
    : {
        status: 'False',
        reason: sandboxReady?.reason === 'SandboxExpired' ? 'SandboxExpired' : 'SandboxNotReady',
        message:
          `Sandbox ${sandboxName} is not ready${sandboxReady ? `: ${sandboxReady.reason}: ${sandboxReady.message ?? ''}` : ''}`.trim(),
      };
  writeStatus(ctx, claim, {
    sandbox: { name: sandboxName, ...(sandboxStatus.podIPs?.length ? { podIPs: sandboxStatus.podIPs } : {}) },
    conditions: [ready(ctx, claim, state)],
  });
}

function boundSandboxName(claim: StoredObject): string | undefined {
  const status = (claim.status ?? {}) as { sandbox?: { name?: string } };
  return status.sandbox?.name ?? claim.metadata.annotations?.[AgentSandboxKeys.sandboxName];
}

function bind(ctx: ReconcileContext, claim: StoredObject, spec: ClaimSpec): Binding {
  const { namespace } = claim.metadata;
  const poolName = spec.warmPoolRef?.name ?? '';
  const pool = ctx.store.find(WARM_POOLS, namespace, poolName);
  if (pool === undefined) {
    return {
      status: 'False',
      reason: 'WarmPoolNotFound',
      message: `SandboxWarmPool "${poolName}" not found`,
    };
  }
  const templateName =
    (pool.spec as { sandboxTemplateRef?: { name?: string } }).sandboxTemplateRef?.name ?? '';
  const template = ctx.store.find(TEMPLATES, namespace, templateName);
  if (template === undefined) {
    return {
      status: 'False',
      reason: 'TemplateNotFound',
      message: `SandboxTemplate "${templateName}" not found`,
    };
  }
  const metadata = spec.additionalPodMetadata ?? {};
  const restricted = [...Object.keys(metadata.labels ?? {}), ...Object.keys(metadata.annotations ?? {})].find(
    (k) => SYSTEM_PREFIXES.some((prefix) => k.startsWith(prefix)),
  );
  if (restricted !== undefined) {
    return {
      status: 'False',
      reason: 'InvalidMetadata',
      message: `additionalPodMetadata key ${restricted} is restricted`,
    };
  }
  const env = spec.env ?? [];
  const envPolicy =
    (template.spec as { envVarsInjectionPolicy?: string }).envVarsInjectionPolicy ?? 'Disallowed';
  if (env.length > 0 && envPolicy === 'Disallowed') {
    return {
      status: 'False',
      reason: 'EnvVarsInjectionRejected',
      message: `SandboxTemplate "${templateName}" does not allow environment variable injection`,
    };
  }

  // Per-claim env or volumes need a fresh pod: they force a cold start, as in the real controller.
  const forceCold = env.length > 0 || (spec.volumeClaimTemplates?.length ?? 0) > 0;
  if (!forceCold) {
    const members = poolSandboxes(ctx, pool).sort((a, b) =>
      (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
    );
    const candidate = members.find(isSandboxReady);
    if (candidate !== undefined) return { sandboxName: adopt(ctx, claim, candidate) };
    const age = ctx.now().getTime() - ctx.firstSeen(claim.metadata.uid);
    if (members.length > 0 && age < ctx.settings.warmCandidateGraceMs) {
      return {
        status: 'False',
        reason: 'SandboxCreatePending',
        message: 'Waiting for a warm sandbox to become ready',
        retryMs: ctx.settings.warmCandidateGraceMs - age,
      };
    }
  }
  return coldStart(ctx, claim, template, spec);
}

/** Moves a pool sandbox to the claim: pool labels off, claim labels and ownership on. */
function adopt(ctx: ReconcileContext, claim: StoredObject, sandbox: StoredObject): string {
  const next = clone(sandbox);
  const labels = { ...next.metadata.labels };
  delete labels[AgentSandboxKeys.warmPoolSandbox];
  labels[AgentSandboxKeys.launchType] = 'warm';
  labels[AgentSandboxKeys.claimUid] = claim.metadata.uid;
  next.metadata.labels = labels;
  next.metadata.annotations = {
    ...next.metadata.annotations,
    [AgentSandboxKeys.podName]:
      next.metadata.annotations?.[AgentSandboxKeys.podName] ?? sandbox.metadata.name,
  };
  next.metadata.ownerReferences = [controllerRef(claim)];
  ctx.store.update(SANDBOXES, next);
  const podName = next.metadata.annotations[AgentSandboxKeys.podName]!;
  const pod = ctx.store.find(PODS, sandbox.metadata.namespace, podName);
  if (pod !== undefined && controllerOf(pod)?.uid === sandbox.metadata.uid) {
    const relabelled = clone(pod);
    const podLabels = { ...relabelled.metadata.labels };
    delete podLabels[AgentSandboxKeys.warmPoolSandbox];
    podLabels[AgentSandboxKeys.claimUid] = claim.metadata.uid;
    relabelled.metadata.labels = podLabels;
    ctx.store.update(PODS, relabelled);
  }
  return sandbox.metadata.name;
}

function coldStart(
  ctx: ReconcileContext,
  claim: StoredObject,
  template: StoredObject,
  spec: ClaimSpec,
): Binding {
  const { namespace, name } = claim.metadata;
  const existing = ctx.store.find(SANDBOXES, namespace, name);
  if (existing !== undefined) {
    return isControlledBy(existing, claim)
      ? { sandboxName: name }
      : {
          status: 'False',
          reason: 'AdoptionConflict',
          message: `Sandbox ${name} exists and is not owned by this claim`,
        };
  }
  const blueprint = clone(
    (template.spec ?? {}) as {
      podTemplate?: {
        metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
        spec?: { containers?: { name: string; env?: { name: string; value?: string }[] }[] };
      };
      service?: boolean;
      volumeClaimTemplates?: unknown[];
    },
  );
  const podTemplate = blueprint.podTemplate ?? { spec: { containers: [] } };
  const extra = spec.additionalPodMetadata ?? {};
  podTemplate.metadata = {
    labels: { ...extra.labels, ...podTemplate.metadata?.labels },
    annotations: { ...extra.annotations, ...podTemplate.metadata?.annotations },
  };
  for (const variable of spec.env ?? []) {
    for (const container of podTemplate.spec?.containers ?? []) {
      if (variable.containerName !== undefined && variable.containerName !== container.name) continue;
      container.env = [
        ...(container.env ?? []).filter((e) => e.name !== variable.name),
        { name: variable.name, value: variable.value },
      ];
    }
  }
  const volumes = [...(blueprint.volumeClaimTemplates ?? []), ...(spec.volumeClaimTemplates ?? [])];
  ctx.store.create(SANDBOXES, {
    apiVersion: 'agents.x-k8s.io/v1beta1',
    kind: 'Sandbox',
    metadata: {
      name,
      namespace,
      labels: {
        [AgentSandboxKeys.launchType]: 'cold',
        [AgentSandboxKeys.claimUid]: claim.metadata.uid,
        [AgentSandboxKeys.templateRefHash]: fnv32a(template.metadata.name),
      },
      annotations: {
        [AgentSandboxKeys.templateRef]: template.metadata.name,
        [AgentSandboxKeys.podName]: name,
      },
      ownerReferences: [controllerRef(claim)],
    },
    spec: {
      podTemplate,
      ...(blueprint.service !== undefined ? { service: blueprint.service } : {}),
      ...(volumes.length > 0 ? { volumeClaimTemplates: volumes } : {}),
    },
  });
  return { sandboxName: name };
}

function ready(ctx: ReconcileContext, claim: StoredObject, state: ReadyState): Condition {
  const previous = ((claim.status ?? {}) as { conditions?: Condition[] }).conditions;
  return condition(
    previous,
    { type: 'Ready', status: state.status, reason: state.reason, message: state.message },
    formatTime(ctx.now()),
    claim.metadata.generation,
  );
}

function writeStatus(ctx: ReconcileContext, claim: StoredObject, status: Record<string, unknown>): void {
  if (deepEqual(claim.status, status)) return;
  const next = clone(claim);
  next.status = status;
  ctx.store.update(CLAIMS, next, { subresource: 'status' });
}
