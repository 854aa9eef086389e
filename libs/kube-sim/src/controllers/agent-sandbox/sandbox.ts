// Reconciles one Sandbox the way controllers/sandbox_controller.go does: fetch, leave it alone if
// gone or deleting, apply the shutdown time, then ensure the Pod (named after the Sandbox or its
// pod-name annotation) and, when spec.service is true, the headless Service; compute Ready from
// them and write the status once, only if it changed.
import { AgentSandboxKeys, type Condition } from '@foxhound/contracts';
import { formatTime } from '../../store/meta';
import { type StoredObject } from '../../types';
import { type ReconcileContext } from './context';
import {
  PODS,
  SANDBOXES,
  SERVICES,
  clone,
  condition,
  deepEqual,
  fnv32a,
  parseTime,
  withoutSystemKeys,
} from './meta';
import { controllerRef, isControlledBy } from '../owners';

interface SandboxSpec {
  podTemplate?: {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec?: object;
  };
  service?: boolean;
  shutdownTime?: string;
  shutdownPolicy?: 'Delete' | 'Retain';
  operatingMode?: 'Running' | 'Suspended';
}

/** Labels a pool or claim put on a Sandbox that its Pod carries too. */
const PROPAGATED_LABELS = [
  AgentSandboxKeys.warmPoolSandbox,
  AgentSandboxKeys.templateRefHash,
  AgentSandboxKeys.claimUid,
  AgentSandboxKeys.createdBy,
];

export function reconcileSandbox(ctx: ReconcileContext, namespace: string, name: string): void {
  const sandbox = ctx.store.find(SANDBOXES, namespace, name);
  if (sandbox === undefined || sandbox.metadata.deletionTimestamp) return;
  const spec = (sandbox.spec ?? {}) as SandboxSpec;
  const now = ctx.now();
  const podName = sandbox.metadata.annotations?.[AgentSandboxKeys.podName] ?? name;

  const shutdownAt = parseTime(spec.shutdownTime);
  if (shutdownAt !== undefined && now.getTime() >= shutdownAt) {
    deleteOwned(ctx, PODS, sandbox, podName);
    deleteOwned(ctx, SERVICES, sandbox, name);
    if (spec.shutdownPolicy === 'Delete') {
      ctx.store.delete(SANDBOXES, namespace, name);
      return;
    }
    writeStatus(ctx, sandbox, {
      conditions: [ready(ctx, sandbox, 'False', 'SandboxExpired', `Sandbox expired at ${spec.shutdownTime}`)],
    });
    return;
  }
  if (shutdownAt !== undefined) {
    ctx.requeueAfter({ kind: 'Sandbox', namespace, name }, shutdownAt - now.getTime());
  }

  if (spec.operatingMode === 'Suspended') {
    deleteOwned(ctx, PODS, sandbox, podName);
    const podGone = ctx.store.find(PODS, namespace, podName) === undefined;
    writeStatus(ctx, sandbox, {
      conditions: [
        ready(ctx, sandbox, 'False', 'SandboxSuspended', 'Sandbox is suspended'),
        condition(
          statusOf(sandbox).conditions,
          podGone
            ? { type: 'Suspended', status: 'True', reason: 'PodTerminated', message: 'Pod is terminated' }
            : { type: 'Suspended', status: 'False', reason: 'PodTerminating', message: 'Pod is terminating' },
          formatTime(now),
        ),
      ],
    });
    return;
  }

  const pod = ensurePod(ctx, sandbox, spec, podName);
  if (pod === undefined) {
    writeStatus(ctx, sandbox, {
      conditions: [
        ready(
          ctx,
          sandbox,
          'False',
          'ReconcilerError',
          `Pod ${podName} exists and is not owned by this Sandbox`,
        ),
      ],
    });
    return;
  }
  const service = ensureService(ctx, sandbox, spec, pod);
  writeStatus(ctx, sandbox, computeStatus(ctx, sandbox, spec, pod, service));
}

function ensurePod(ctx: ReconcileContext, sandbox: StoredObject, spec: SandboxSpec, podName: string) {
  const existing = ctx.store.find(PODS, sandbox.metadata.namespace, podName);
  if (existing !== undefined) return isControlledBy(existing, sandbox) ? existing : undefined;
  const template = spec.podTemplate ?? {};
  const propagated = Object.fromEntries(
    PROPAGATED_LABELS.flatMap((key) => {
      const value = sandbox.metadata.labels?.[key];
      return value === undefined ? [] : [[key, value]];
    }),
  );
  return ctx.store.create(PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: podName,
      namespace: sandbox.metadata.namespace,
      labels: {
        ...withoutSystemKeys(template.metadata?.labels),
        ...propagated,
        [AgentSandboxKeys.sandboxNameHash]: fnv32a(sandbox.metadata.name),
      },
      annotations: withoutSystemKeys(template.metadata?.annotations),
      ownerReferences: [controllerRef(sandbox)],
    },
    spec: clone(template.spec ?? { containers: [] }),
  });
}

function ensureService(ctx: ReconcileContext, sandbox: StoredObject, spec: SandboxSpec, pod: StoredObject) {
  const { namespace, name } = sandbox.metadata;
  const existing = ctx.store.find(SERVICES, namespace, name);
  if (spec.service === false) {
    deleteOwned(ctx, SERVICES, sandbox, name);
    return undefined;
  }
  if (existing !== undefined || spec.service !== true) return existing;
  const containers =
    (pod.spec as { containers?: { ports?: { containerPort: number; name?: string; protocol?: string }[] }[] })
      .containers ?? [];
  const seen = new Set<string>();
  const ports = containers
    .flatMap((c) => c.ports ?? [])
    .filter((p) => {
      const key = `${p.containerPort}/${p.protocol ?? 'TCP'}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((p) => ({
      name: p.name ?? `p-${p.containerPort}-${(p.protocol ?? 'TCP').toLowerCase()}`,
      port: p.containerPort,
      targetPort: p.containerPort,
      protocol: p.protocol ?? 'TCP',
    }));
  return ctx.store.create(SERVICES, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace,
      labels: { [AgentSandboxKeys.sandboxNameHash]: fnv32a(name) },
      ownerReferences: [controllerRef(sandbox)],
    },
    spec: { clusterIP: 'None', selector: { [AgentSandboxKeys.sandboxNameHash]: fnv32a(name) }, ports },
  });
}

function computeStatus(
  ctx: ReconcileContext,
  sandbox: StoredObject,
  spec: SandboxSpec,
  pod: StoredObject,
  service: StoredObject | undefined,
): Record<string, unknown> {
  const podStatus = (pod.status ?? {}) as {
    phase?: string;
    podIP?: string;
    podIPs?: { ip: string }[];
    conditions?: Condition[];
    message?: string;
  };
  const podIPs = podStatus.podIPs?.map((p) => p.ip) ?? (podStatus.podIP ? [podStatus.podIP] : []);
  const podReady = podStatus.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  const serviceOk = spec.service !== true || service !== undefined;
  let readyCondition: Condition;
  if (podStatus.phase === 'Failed' || podStatus.phase === 'Succeeded') {
    readyCondition = ready(
      ctx,
      sandbox,
      'False',
      podStatus.phase === 'Failed' ? 'PodFailed' : 'PodSucceeded',
      `Pod ${podStatus.phase === 'Failed' ? 'failed' : 'succeeded'}${podStatus.message ? `: ${podStatus.message}` : ''}`,
    );
  } else if (podStatus.phase === 'Running' && podReady && podIPs.length > 0 && serviceOk) {
    readyCondition = ready(
      ctx,
      sandbox,
      'True',
      'DependenciesReady',
      `Pod is Ready; Service ${service ? 'Exists' : 'not required'}`,
    );
  } else {
    readyCondition = ready(
      ctx,
      sandbox,
      'False',
      'DependenciesNotReady',
      `Pod exists with phase: ${podStatus.phase ?? 'Pending'}; Service ${service ? 'Exists' : serviceOk ? 'not required' : 'missing'}`,
    );
  }
  const name = sandbox.metadata.name;
  return {
    conditions: [readyCondition],
    selector: `${AgentSandboxKeys.sandboxNameHash}=${fnv32a(name)}`,
    ...(podIPs.length > 0 ? { podIPs } : {}),
    ...(service
      ? {
          service: name,
          serviceFQDN: `${name}.${sandbox.metadata.namespace}.svc.${ctx.settings.clusterDomain}`,
        }
      : {}),
  };
}

function ready(
  ctx: ReconcileContext,
  sandbox: StoredObject,
  status: 'True' | 'False',
  reason: string,
  message: string,
): Condition {
  return condition(
    statusOf(sandbox).conditions,
    { type: 'Ready', status, reason, message },
    formatTime(ctx.now()),
    sandbox.metadata.generation,
  );
}

function statusOf(sandbox: StoredObject): { conditions?: Condition[] } {
  return (sandbox.status ?? {}) as { conditions?: Condition[] };
}

function writeStatus(ctx: ReconcileContext, sandbox: StoredObject, status: Record<string, unknown>): void {
  if (deepEqual(sandbox.status, status)) return;
  const next = clone(sandbox);
  next.status = status;
  ctx.store.update(SANDBOXES, next, { subresource: 'status' });
}

function deleteOwned(ctx: ReconcileContext, resource: string, owner: StoredObject, name: string): void {
  const existing = ctx.store.find(resource, owner.metadata.namespace, name);
  if (existing !== undefined && isControlledBy(existing, owner) && !existing.metadata.deletionTimestamp) {
    ctx.store.delete(resource, owner.metadata.namespace, name);
  }
}
