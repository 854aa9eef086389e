// startAgentSandboxController: the agent-sandbox controller simulation on a kube-sim store. Store
// changes map to reconcile keys (an object, its controller owner, the claims waiting on a pool or
// template); a work queue runs the reconcilers one at a time; the sandbox kubelet starts pods.
import { AgentSandboxKeys } from '@foxhound/contracts';
import { type KubeStore, type StoreEvent } from '../../store';
import { type StoredObject } from '../../types';
import { reconcileClaim } from './claim';
import { type ControllerSettings, type ReconcileContext } from './context';
import { SandboxKubelet } from './kubelet';
import { CLAIMS, SANDBOXES, WARM_POOLS } from './meta';
import { simulatedPodRuntime, type PodRuntime } from './pod-runtime';
import { WorkQueue, type ReconcileKey } from './queue';
import { reconcileSandbox } from './sandbox';
import { reconcileWarmPool } from './warm-pool';
import { controllerOf } from '../owners';

export interface AgentSandboxControllerOptions {
  store: KubeStore;
  /** Runs sandbox pods; default: simulated pods Ready after `podStartDelayMs` with 10.244.x.y IPs. */
  runtime?: PodRuntime;
  /** Cold-start time of a simulated pod (ignored with a custom runtime). Default 0. */
  podStartDelayMs?: number;
  warmCandidateGraceMs?: number;
  clusterDomain?: string;
  now?: () => Date;
  /** Reconcile errors (they are retried with backoff). Default: a process warning. */
  onError?: (err: unknown, key?: ReconcileKey) => void;
}

export interface AgentSandboxController {
  /** Stops reconciling and stops every pod the runtime runs. */
  stop(): Promise<void>;
}

const MAX_RETRY_MS = 5000;

export function startAgentSandboxController(options: AgentSandboxControllerOptions): AgentSandboxController {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  const onError =
    options.onError ??
    ((err: unknown, key?: ReconcileKey) =>
      process.emitWarning(
        `agent-sandbox controller${key ? ` (${key.kind} ${key.namespace}/${key.name})` : ''}: ${String(err)}`,
      ));
  const runtime = options.runtime ?? simulatedPodRuntime({ startDelayMs: options.podStartDelayMs ?? 0 });
  const settings: ControllerSettings = {
    warmCandidateGraceMs: options.warmCandidateGraceMs ?? 2000,
    clusterDomain: options.clusterDomain ?? 'cluster.local',
  };
  const failures = new Map<string, number>();
  const queue: WorkQueue = new WorkQueue((key) => {
    const id = `${key.kind}/${key.namespace}/${key.name}`;
    try {
      reconcile(ctx, key);
      failures.delete(id);
    } catch (err) {
      const attempt = (failures.get(id) ?? 0) + 1;
      failures.set(id, attempt);
      onError(err, key);
      queue.addAfter(key, Math.min(MAX_RETRY_MS, 25 * 2 ** attempt));
    }
  });
  const seen = new Map<string, number>();
  const ctx: ReconcileContext = {
    store,
    now,
    settings,
    runtime,
    requeueAfter: (key, ms) => queue.addAfter(key, ms),
    firstSeen(uid) {
      let at = seen.get(uid);
      if (at === undefined) seen.set(uid, (at = now().getTime()));
      return at;
    },
  };
  const kubelet = new SandboxKubelet(store, runtime, now, (err) => onError(err));
  const unsubscribe = store.subscribe((event) => {
    if (event.type === 'DELETED') seen.delete(event.object.metadata.uid);
    kubelet.observe(event);
    for (const key of keysFor(store, event)) queue.add(key);
  });
  for (const [ref, kind] of [
    [WARM_POOLS, 'SandboxWarmPool'],
    [CLAIMS, 'SandboxClaim'],
    [SANDBOXES, 'Sandbox'],
  ] as const) {
    for (const item of store.list(ref).items) queue.add(keyOf(kind, item));
  }
  return {
    async stop() {
      unsubscribe();
      queue.stop();
      await kubelet.close();
    },
  };
}

function reconcile(ctx: ReconcileContext, key: ReconcileKey): void {
  switch (key.kind) {
    case 'Sandbox':
      return reconcileSandbox(ctx, key.namespace, key.name);
    case 'SandboxClaim':
      return reconcileClaim(ctx, key.namespace, key.name);
    case 'SandboxWarmPool':
      return reconcileWarmPool(ctx, key.namespace, key.name);
  }
}

function keyOf(kind: ReconcileKey['kind'], object: StoredObject): ReconcileKey {
  return { kind, namespace: object.metadata.namespace ?? '', name: object.metadata.name };
}

/** Which reconciles a store change calls for. */
function keysFor(store: KubeStore, event: StoreEvent): ReconcileKey[] {
  const { group, plural } = event.resource;
  const objects = [event.object, ...(event.oldObject ? [event.oldObject] : [])];
  const namespace = event.object.metadata.namespace ?? '';
  const owners = (kind: string, as: ReconcileKey['kind']) =>
    objects.flatMap((o) => {
      const owner = controllerOf(o);
      return owner?.kind === kind ? [{ kind: as, namespace, name: owner.name }] : [];
    });
  if (group === 'agents.x-k8s.io' && plural === 'sandboxes') {
    return [
      keyOf('Sandbox', event.object),
      ...owners('SandboxClaim', 'SandboxClaim'),
      ...owners('SandboxWarmPool', 'SandboxWarmPool'),
    ];
  }
  if (group === '' && (plural === 'pods' || plural === 'services')) return owners('Sandbox', 'Sandbox');
  if (group !== 'extensions.agents.x-k8s.io') return [];
  if (plural === 'sandboxclaims') return [keyOf('SandboxClaim', event.object)];
  // A pool or template appearing can unblock claims (WarmPoolNotFound, TemplateNotFound, waiting for a warm one).
  const claims = store
    .list(CLAIMS, { namespace })
    .items.filter((c) => !c.metadata.annotations?.[AgentSandboxKeys.sandboxName])
    .map((c) => keyOf('SandboxClaim', c));
  if (plural === 'sandboxwarmpools') return [keyOf('SandboxWarmPool', event.object), ...claims];
  if (plural === 'sandboxtemplates') {
    return [
      ...store.list(WARM_POOLS, { namespace }).items.map((p) => keyOf('SandboxWarmPool', p)),
      ...claims,
    ];
  }
  return [];
}
