// Reconciles a SandboxWarmPool like sandboxwarmpool_controller.go: keep `spec.replicas` unclaimed
// Sandboxes built from the template (generateName `<pool>-`, controlled by the pool, labelled so
// claims can find them), delete extras (not-ready ones first), and report replicas, readyReplicas
// and the selector. Adopted sandboxes lose the pool label, so the pool refills.
import { AgentSandboxKeys, type Condition } from '@foxhound/contracts';
import { type StoredObject } from '../../types';
import { type ReconcileContext } from './context';
import { SANDBOXES, TEMPLATES, WARM_POOLS, clone, deepEqual, fnv32a } from './meta';
import { controllerRef, isControlledBy } from '../owners';

/** Unclaimed pool sandboxes, whatever their readiness. */
export function poolSandboxes(ctx: ReconcileContext, pool: StoredObject): StoredObject[] {
  return ctx.store
    .list(SANDBOXES, {
      namespace: pool.metadata.namespace,
      labelSelector: `${AgentSandboxKeys.warmPoolSandbox}=${fnv32a(pool.metadata.name)}`,
    })
    .items.filter((s) => isControlledBy(s, pool) && !s.metadata.deletionTimestamp);
}

export function isSandboxReady(sandbox: StoredObject): boolean {
  const status = (sandbox.status ?? {}) as { conditions?: Condition[]; podIPs?: string[] };
  return (
    (status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false) &&
    (status.podIPs?.length ?? 0) > 0
  );
}

export function reconcileWarmPool(ctx: ReconcileContext, namespace: string, name: string): void {
  const pool = ctx.store.find(WARM_POOLS, namespace, name);
  if (pool === undefined || pool.metadata.deletionTimestamp) return;
  const spec = (pool.spec ?? {}) as { replicas?: number; sandboxTemplateRef?: { name?: string } };
  const desired = Math.max(0, spec.replicas ?? 1);
  const templateName = spec.sandboxTemplateRef?.name ?? '';
  const template = ctx.store.find(TEMPLATES, namespace, templateName);
  let members = poolSandboxes(ctx, pool);

  if (template !== undefined && members.length < desired) {
    for (let i = members.length; i < desired; i += 1) members.push(createPoolSandbox(ctx, pool, template));
  }
  if (members.length > desired) {
    const extras = [...members].sort((a, b) => Number(isSandboxReady(a)) - Number(isSandboxReady(b)));
    for (const extra of extras.slice(0, members.length - desired)) {
      ctx.store.delete(SANDBOXES, namespace, extra.metadata.name);
    }
    members = poolSandboxes(ctx, pool);
  }

  const status = {
    replicas: members.length,
    readyReplicas: members.filter(isSandboxReady).length,
    selector: `${AgentSandboxKeys.warmPoolSandbox}=${fnv32a(name)}`,
    observedGeneration: pool.metadata.generation,
  };
  if (deepEqual(pool.status, status)) return;
  const next = clone(pool);
  next.status = status;
  ctx.store.update(WARM_POOLS, next, { subresource: 'status' });
}

function createPoolSandbox(ctx: ReconcileContext, pool: StoredObject, template: StoredObject): StoredObject {
  const blueprint = clone(
    (template.spec ?? {}) as {
      podTemplate?: { metadata?: { annotations?: Record<string, string> } };
      service?: boolean;
      volumeClaimTemplates?: unknown[];
    },
  );
  const podTemplate = blueprint.podTemplate ?? {};
  podTemplate.metadata = {
    ...podTemplate.metadata,
    annotations: {
      ...podTemplate.metadata?.annotations,
      'cluster-autoscaler.kubernetes.io/safe-to-evict': 'true',
    },
  };
  return ctx.store.create(SANDBOXES, {
    apiVersion: 'agents.x-k8s.io/v1beta1',
    kind: 'Sandbox',
    metadata: {
      generateName: `${pool.metadata.name}-`,
      namespace: pool.metadata.namespace,
      labels: {
        [AgentSandboxKeys.warmPoolSandbox]: fnv32a(pool.metadata.name),
        [AgentSandboxKeys.templateRefHash]: fnv32a(template.metadata.name),
        [AgentSandboxKeys.templateHash]: fnv32a(JSON.stringify(template.spec ?? {})),
        [AgentSandboxKeys.createdBy]: 'controller',
      },
      annotations: { [AgentSandboxKeys.templateRef]: template.metadata.name },
      ownerReferences: [controllerRef(pool)],
    },
    spec: {
      podTemplate,
      ...(blueprint.service !== undefined ? { service: blueprint.service } : {}),
      ...(blueprint.volumeClaimTemplates ? { volumeClaimTemplates: blueprint.volumeClaimTemplates } : {}),
    },
  });
}
