// The Kubernetes backend: a thread's sandbox is an agent-sandbox object named after the thread
// (modes.ts), and the cluster is the only state that matters: thread, owner, TTL and expiry live
// in its labels, annotations and spec, so a restarted manager or a second replica finds everything
// by listing. A watch cache serves reads; creates go to the API server, whose AlreadyExists is the
// cross-replica lock that gives concurrent requests for one thread the same sandbox. Readiness is
// a watch on the object from the version the create returned (wait-ready.ts), never polling. With
// an adaptive pool, the SandboxWarmPool's replicas follow demand (pool/demand.ts): claims waiting
// for a sandbox count as queued, and the replicas are patched when the desired size changes.
import { type PoolStatus } from '@foxhound/contracts';
import {
  type AgentSandboxClient,
  isConflict,
  type Readiness,
  statusCodeOf,
  type WatchCache,
} from '@foxhound/kube';
import { ConflictError, ServiceUnavailableError, type Logger } from '@foxhound/service-kit';
import { isExpired, renewedExpiry } from '../../lifecycle/expiry';
import { MANAGED_BY_VALUE, MANAGED_SELECTOR, ManagerKeys, sandboxNameForThread } from '../../lifecycle/names';
import { type ManagerMetrics } from '../../observability/metrics';
import { Demand } from '../../pool/demand';
import {
  type BackendCounts,
  type CreateResult,
  type CreateSpec,
  type ReleaseReason,
  type SandboxBackend,
  type SandboxView,
} from '../backend';
import { type ManagedObject, type Mode } from './modes';
import { waitForReady } from './wait-ready';

export interface KubernetesBackendOptions<T extends ManagedObject> {
  client: AgentSandboxClient;
  namespace: string;
  mode: Mode<T>;
  /** Claim mode: the SandboxWarmPool claims name. */
  warmPool?: string;
  /** Claim mode: size the SandboxWarmPool's replicas from demand between these bounds. */
  adaptivePool?: { floor: number; ceiling: number };
  port: number;
  readyTimeoutMs: number;
  /** How long after expiry the reaper deletes what the controller has not. */
  reapGraceSeconds: number;
  /** How long start() waits for the first list before failing. */
  syncTimeoutMs?: number;
  /** Reported in /v1/pool as the isolation. */
  runtimeClass?: string;
  logger: Logger;
  metrics: ManagerMetrics;
  now?: () => Date;
}

const CREATE_ATTEMPTS = 3;
/** How far back the acquisition rate looks, and how long burst mode outlasts the last queue. */
const DEMAND_WINDOW_MS = 60_000;
/** Claims waiting at once that switch on burst mode. */
const BURST_WAITING = 2;

export class KubernetesBackend<T extends ManagedObject> implements SandboxBackend {
  readonly name = 'kubernetes' as const;
  private readonly cache: WatchCache<T>;
  /** Names this process is creating; the lifecycle service counts them as reservations. */
  private readonly creating = new Set<string>();
  private lastPoolReady = 0;
  private readonly now: () => Date;
  private readonly demand: Demand | undefined;
  /** The replicas this process last set; undefined until the first patch. */
  private patchedReplicas: number | undefined;
  /** Set once the API server refused the patch (RBAC): the pool keeps the size it has. */
  private resizeRefused = false;

  constructor(private readonly options: KubernetesBackendOptions<T>) {
    this.now = options.now ?? (() => new Date());
    if (options.warmPool !== undefined && options.adaptivePool !== undefined) {
      this.demand = new Demand({
        ...options.adaptivePool,
        windowMs: DEMAND_WINDOW_MS,
        burstWaiting: BURST_WAITING,
      });
    }
    const { client, namespace, mode, logger } = options;
    this.cache = client.cache(mode.kind, namespace, {
      labelSelector: MANAGED_SELECTOR,
      onError: (err, retryInMs) =>
        logger.warn({ err: (err as Error).message, retryInMs, kind: mode.kind }, 'sandbox watch restarting'),
    }) as unknown as WatchCache<T>;
  }

  async start(): Promise<void> {
    const { namespace, mode, logger } = this.options;
    const timeoutMs = this.options.syncTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.cache.start(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new Error(
                  `could not list ${mode.kind} objects in namespace ${namespace} within ${timeoutMs / 1000} s (see the watch errors above: RBAC, API server address)`,
                ),
              ),
            timeoutMs,
          );
        }),
      ]);
    } catch (err) {
      this.cache.stop();
      throw err;
    } finally {
      clearTimeout(timer);
    }
    logger.info(
      { namespace, mode: mode.kind, found: this.cache.size },
      'recovered sandboxes from the cluster',
    );
    if (this.options.warmPool !== undefined) await this.refreshPool().catch(() => undefined);
  }

  checkReady(): void {
    if (!this.cache.hasSynced) throw new Error('the sandbox cache has not synced with the cluster');
  }

  async findByThread(threadId: string): Promise<SandboxView | undefined> {
    const object = this.cache.get(this.options.namespace, sandboxNameForThread(threadId));
    if (object === undefined || threadOf(object) !== threadId) return undefined;
    return this.liveView(object);
  }

  async get(sandboxId: string): Promise<SandboxView | undefined> {
    for (const object of this.cache.list()) {
      const view = this.liveView(object);
      if (view?.sandboxId === sandboxId) return view;
    }
    // The watch may not have delivered a sandbox acquired a moment ago: ask the API server.
    return this.lookupUncached(sandboxId);
  }

  async list(): Promise<SandboxView[]> {
    return this.cache.list().flatMap((object) => this.liveView(object) ?? []);
  }

  count(owner?: string): number {
    const now = this.now();
    return this.cache
      .list()
      .filter(
        (o) =>
          !this.creating.has(o.metadata.name ?? '') &&
          !o.metadata.deletionTimestamp &&
          !isExpired(this.options.mode.expiresAt(o), now) &&
          (owner === undefined || o.metadata.annotations?.[ManagerKeys.owner] === owner),
      ).length;
  }

  counts(): BackendCounts {
    return {
      active: this.count(),
      warm: this.lastPoolReady,
      queued: this.creating.size,
      ...(this.demand === undefined
        ? {}
        : { desired: this.demand.desired(), burst: this.demand.mode === 'burst' }),
    };
  }

  async create(spec: CreateSpec): Promise<CreateResult> {
    const { client, namespace, mode } = this.options;
    const name = sandboxNameForThread(spec.threadId);
    const deadline = Date.now() + this.options.readyTimeoutMs;
    const began = performance.now();
    this.creating.add(name);
    this.demand?.recordAcquisition();
    this.demand?.observeWaiting(this.creating.size);
    void this.resizePool();
    try {
      for (let attempt = 1; attempt <= CREATE_ATTEMPTS; attempt += 1) {
        let object: T;
        let reused = false;
        try {
          object = (await client.create(
            mode.kind,
            namespace,
            mode.build(name, namespace, spec) as never,
          )) as T;
        } catch (err) {
          if (!isConflict(err))
            throw new ServiceUnavailableError(
              `Cannot create the sandbox for thread ${spec.threadId}: ${(err as Error).message}`,
              { cause: err },
            );
          const existing = (await client.get(mode.kind, namespace, name)) as T | undefined;
          if (existing === undefined) continue;
          if (threadOf(existing) !== spec.threadId) {
            throw new ConflictError(`Sandbox name ${name} is taken by another thread; refusing to share it.`);
          }
          if (!this.usable(existing)) {
            await this.deleteAndWait(existing, deadline);
            continue;
          }
          // Another request (another replica) created it: wait for the same sandbox, with our TTL too.
          object = await this.renewObject(existing, spec.expiresAt);
          reused = true;
        }
        this.cache.observe(object);
        this.options.logger.info(
          { threadId: spec.threadId, object: name, kind: mode.kind, reused },
          reused ? 'waiting for the sandbox another request created' : 'sandbox requested; waiting for Ready',
        );
        const ready = await waitForReady({ ...this.options, object, threadId: spec.threadId, deadline });
        this.cache.observe(ready.object);
        const view = this.toView(ready.object, ready.readiness);
        if (view.warm !== true) this.demand?.recordStart(performance.now() - began);
        return { view, reused };
      }
      throw new ServiceUnavailableError(
        `Could not create the sandbox for thread ${spec.threadId} after ${CREATE_ATTEMPTS} attempts.`,
      );
    } finally {
      this.creating.delete(name);
    }
  }

  async renew(view: SandboxView, expiresAt: Date): Promise<SandboxView> {
    const object = this.cache.get(this.options.namespace, sandboxNameForThread(view.threadId));
    if (object === undefined) return view;
    const renewed = await this.renewObject(object, expiresAt);
    this.cache.observe(renewed);
    return this.liveView(renewed) ?? view;
  }

  async release(sandboxId: string, reason: ReleaseReason): Promise<boolean> {
    const { client, namespace, mode, logger } = this.options;
    const object =
      this.cache.list().find((o) => this.sandboxNameOf(o) === sandboxId) ?? (await this.ownerOf(sandboxId));
    if (object === undefined) return false;
    const deleted = await client.delete(mode.kind, namespace, object.metadata.name ?? '');
    this.cache.forget(namespace, object.metadata.name ?? '');
    logger.info(
      { sandboxId, threadId: threadOf(object), reason, object: object.metadata.name },
      'sandbox deleted',
    );
    return deleted;
  }

  async reap(now: Date): Promise<number> {
    const { client, namespace, mode, logger, metrics } = this.options;
    let reaped = 0;
    for (const object of this.cache.list()) {
      if (object.metadata.deletionTimestamp) continue;
      if (!isExpired(mode.expiresAt(object), now, this.options.reapGraceSeconds)) continue;
      const name = object.metadata.name ?? '';
      try {
        // Only this version: a reuse that renewed it since we looked wins (409).
        if (
          await client.delete(mode.kind, namespace, name, {
            resourceVersion: object.metadata.resourceVersion,
          })
        ) {
          reaped += 1;
          metrics.reaped.inc({ backend: this.name, reason: 'expired' });
          logger.info(
            { threadId: threadOf(object), object: name },
            'reaped an expired sandbox the controller left',
          );
        }
        this.cache.forget(namespace, name);
      } catch (err) {
        if (!isConflict(err)) throw err;
      }
    }
    if (this.options.warmPool !== undefined) await this.refreshPool().catch(() => undefined);
    await this.resizePool();
    return reaped;
  }

  async pool(): Promise<PoolStatus> {
    const active = this.count();
    if (this.options.warmPool === undefined) {
      return {
        backend: 'kubernetes',
        desired: 0,
        ready: 0,
        starting: 0,
        active,
        isolation: this.options.runtimeClass,
      };
    }
    const { desired, ready } = await this.refreshPool();
    return {
      backend: 'kubernetes',
      desired,
      ready,
      starting: Math.max(0, desired - ready),
      active,
      isolation: this.options.runtimeClass,
      queued: this.creating.size,
      ...(this.demand === undefined
        ? {}
        : {
            floor: this.demand.floor,
            ceiling: this.demand.ceiling,
            mode: this.demand.mode,
            acquisitionsPerMinute: Math.round(this.demand.rate() * 60 * 10) / 10,
          }),
    };
  }

  /** Patches the SandboxWarmPool's replicas to the size demand asks for, when it changed. */
  private async resizePool(): Promise<void> {
    if (this.demand === undefined || this.resizeRefused) return;
    const { client, namespace, warmPool = '', logger } = this.options;
    const replicas = this.demand.desired();
    if (replicas === this.patchedReplicas) return;
    const previous = this.patchedReplicas;
    this.patchedReplicas = replicas;
    try {
      await client.mergePatch('warmPool', namespace, warmPool, { spec: { replicas } });
      logger.info({ warmPool, replicas, mode: this.demand.mode }, 'warm pool resized with demand');
    } catch (err) {
      this.patchedReplicas = previous;
      if (statusCodeOf(err) === 403) {
        this.resizeRefused = true;
        logger.warn(
          { warmPool, err: (err as Error).message },
          'may not patch the SandboxWarmPool (grant patch on sandboxwarmpools): its replicas stay as deployed',
        );
      } else logger.warn({ warmPool, err: (err as Error).message }, 'could not resize the warm pool');
    }
  }

  async close(): Promise<void> {
    this.cache.stop();
  }

  private async refreshPool(): Promise<{ desired: number; ready: number }> {
    const { client, namespace, warmPool = '' } = this.options;
    const pool = await client.get('warmPool', namespace, warmPool);
    if (pool === undefined) {
      throw new ServiceUnavailableError(
        `SandboxWarmPool ${warmPool} not found in namespace ${namespace} (SANDBOX_WARM_POOL); claims will fail with WarmPoolNotFound.`,
      );
    }
    this.lastPoolReady = pool.status?.readyReplicas ?? 0;
    return { desired: pool.spec.replicas ?? 1, ready: this.lastPoolReady };
  }

  /** Not deleting, not expired, not failed for good: worth waiting for or reusing. */
  private usable(object: T): boolean {
    return (
      !object.metadata.deletionTimestamp &&
      !isExpired(this.options.mode.expiresAt(object), this.now()) &&
      this.options.mode.readiness(object).state !== 'failed'
    );
  }

  private liveView(object: T): SandboxView | undefined {
    if (!this.usable(object)) return undefined;
    const readiness = this.options.mode.readiness(object);
    return readiness.state === 'ready' ? this.toView(object, readiness) : undefined;
  }

  private sandboxNameOf(object: T): string | undefined {
    const readiness = this.options.mode.readiness(object);
    return readiness.state === 'ready' ? readiness.sandboxName : undefined;
  }

  private toView(object: T, readiness: Extract<Readiness, { state: 'ready' }>): SandboxView {
    const { mode, namespace, port } = this.options;
    const annotations = object.metadata.annotations ?? {};
    const ttl = Number(annotations[ManagerKeys.ttlSeconds]);
    return {
      sandboxId: readiness.sandboxName,
      threadId: annotations[ManagerKeys.threadId] ?? '',
      namespace,
      port,
      podIP: readiness.podIPs[0],
      podName: mode.podName(object, readiness.sandboxName),
      warm: mode.warm(object, readiness.sandboxName),
      backend: 'kubernetes',
      owner: annotations[ManagerKeys.owner],
      createdAt: object.metadata.creationTimestamp ?? '',
      expiresAt: mode.expiresAt(object).toISOString(),
      ...(Number.isInteger(ttl) && ttl > 0 ? { ttlSeconds: ttl } : {}),
    };
  }

  private async renewObject(object: T, expiresAt: Date): Promise<T> {
    const { client, namespace, mode } = this.options;
    const current = mode.expiresAt(object);
    const ttlSeconds = Math.max(1, Math.round((expiresAt.getTime() - this.now().getTime()) / 1000));
    if (renewedExpiry({ current, now: this.now(), ttlSeconds }) === undefined) return object;
    return (await client.mergePatch(
      mode.kind,
      namespace,
      object.metadata.name ?? '',
      mode.renewPatch(expiresAt),
    )) as T;
  }

  private async deleteAndWait(object: T, deadline: number): Promise<void> {
    const { client, namespace, mode, logger } = this.options;
    const name = object.metadata.name ?? '';
    logger.info({ threadId: threadOf(object), object: name }, 'replacing an expired or failed sandbox');
    if (!object.metadata.deletionTimestamp) {
      try {
        await client.delete(mode.kind, namespace, name, { uid: object.metadata.uid });
      } catch (err) {
        if (!isConflict(err)) throw err;
      }
    }
    await client.waitFor(mode.kind, {
      namespace,
      name,
      current: object as never,
      evaluate: (o: ManagedObject | undefined) =>
        o === undefined || o.metadata.uid !== object.metadata.uid
          ? { done: true, value: undefined }
          : { done: false, status: 'deleting' },
      timeoutMs: Math.max(1, deadline - Date.now()),
    });
    this.cache.forget(namespace, name);
  }

  /** Finds the managed object behind a sandbox name straight from the API server. */
  private async ownerOf(sandboxId: string): Promise<T | undefined> {
    const { client, namespace, mode } = this.options;
    if (mode.kind === 'sandbox') {
      const sandbox = (await client.get('sandbox', namespace, sandboxId)) as T | undefined;
      return sandbox?.metadata.labels?.[ManagerKeys.managedBy] === MANAGED_BY_VALUE ? sandbox : undefined;
    }
    const sandbox = await client.get('sandbox', namespace, sandboxId);
    const owner = sandbox?.metadata.ownerReferences?.find(
      (ref) => ref.kind === 'SandboxClaim' && ref.controller,
    );
    if (owner === undefined) return undefined;
    const claim = (await client.get('claim', namespace, owner.name)) as T | undefined;
    return claim?.metadata.labels?.[ManagerKeys.managedBy] === MANAGED_BY_VALUE ? claim : undefined;
  }

  private async lookupUncached(sandboxId: string): Promise<SandboxView | undefined> {
    const object = await this.ownerOf(sandboxId);
    if (object === undefined) return undefined;
    this.cache.observe(object);
    const view = this.liveView(object);
    return view?.sandboxId === sandboxId ? view : undefined;
  }
}

function threadOf(object: ManagedObject): string | undefined {
  return object.metadata.annotations?.[ManagerKeys.threadId];
}
