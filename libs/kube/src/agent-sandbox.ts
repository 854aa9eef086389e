// Typed access to the agent-sandbox v1beta1 objects (Sandbox, SandboxClaim, SandboxWarmPool,
// SandboxTemplate) through client-node's CustomObjectsApi, and waiting for one object to reach a
// state by watching it (never polling). What "ready" means is agent-sandbox-status.ts's job.
import {
  type AgentSandboxResource,
  AgentSandboxResources,
  type Sandbox,
  type SandboxClaim,
  type SandboxTemplate,
  type SandboxWarmPool,
} from '@foxhound/contracts';
import { CustomObjectsApi, type KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { isNotFound, toKubeApiError } from './errors';
import { ListWatch, type ListResultLike } from './watch';
import { WatchCache } from './watch-cache';

export { AgentSandboxResources };

export interface AgentSandboxKinds {
  sandbox: Sandbox;
  claim: SandboxClaim;
  warmPool: SandboxWarmPool;
  template: SandboxTemplate;
}
export type AgentSandboxKind = keyof AgentSandboxKinds;

export interface ListSelectors {
  labelSelector?: string;
  fieldSelector?: string;
}

export interface DeleteObjectOptions {
  /** Delete only this exact version (409 if it changed since it was read). */
  resourceVersion?: string;
  uid?: string;
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
}

/** What a wait's evaluator says about the object (undefined: it does not exist). */
export type WaitVerdict<R> = { done: true; value: R } | { done: false; failed?: Error; status?: string };

export interface WaitOptions<K extends AgentSandboxKind, R> {
  namespace: string;
  name: string;
  /**
   * The object as just created or read: evaluated first, and the watch starts from its
   * resourceVersion so nothing in between is missed. Without it the wait lists first.
   */
  current?: AgentSandboxKinds[K];
  evaluate: (object: AgentSandboxKinds[K] | undefined) => WaitVerdict<R>;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Reports watch restarts (410, dropped connections). */
  onWatchError?: (err: unknown, retryInMs: number) => void;
}

/** A wait that ran out of time; `lastStatus` is the evaluator's last word on the object. */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
  constructor(
    message: string,
    readonly lastStatus: string | undefined,
  ) {
    super(message);
  }
}

const LIST_PAGE_SIZE = 500;

export class AgentSandboxClient {
  private readonly api: CustomObjectsApi;

  constructor(private readonly config: KubeConfig) {
    this.api = config.makeApiClient(CustomObjectsApi);
  }

  /**
   * A watch cache over one kind in one namespace (start() it); `onError` hears every watch
   * restart (410 relists, dropped connections, RBAC errors).
   */
  cache<K extends AgentSandboxKind>(
    kind: K,
    namespace: string,
    options: { labelSelector?: string; onError?: (err: unknown, retryInMs: number) => void } = {},
  ): WatchCache<AgentSandboxKinds[K]> {
    const { labelSelector, onError } = options;
    return new WatchCache<AgentSandboxKinds[K]>({
      config: this.config,
      path: this.collectionPath(kind, namespace),
      labelSelector,
      list: () => this.list(kind, namespace, { labelSelector }),
      onError,
    });
  }

  /** The collection URL path, as watches use it. */
  collectionPath(kind: AgentSandboxKind, namespace: string): string {
    const r = AgentSandboxResources[kind];
    return `/apis/${r.group}/${r.version}/namespaces/${encodeURIComponent(namespace)}/${r.plural}`;
  }

  async create<K extends AgentSandboxKind>(
    kind: K,
    namespace: string,
    body: AgentSandboxKinds[K],
  ): Promise<AgentSandboxKinds[K]> {
    const r = AgentSandboxResources[kind];
    try {
      return (await this.api.createNamespacedCustomObject({
        ...coords(r, namespace),
        body,
      })) as AgentSandboxKinds[K];
    } catch (err) {
      throw toKubeApiError(err, `create ${r.kind} ${namespace}/${body.metadata.name ?? ''}`);
    }
  }

  /** The object, or undefined when it does not exist. */
  async get<K extends AgentSandboxKind>(
    kind: K,
    namespace: string,
    name: string,
  ): Promise<AgentSandboxKinds[K] | undefined> {
    const r = AgentSandboxResources[kind];
    try {
      return (await this.api.getNamespacedCustomObject({
        ...coords(r, namespace),
        name,
      })) as AgentSandboxKinds[K];
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw toKubeApiError(err, `get ${r.kind} ${namespace}/${name}`);
    }
  }

  /** Every object matching the selectors (following continue tokens), with the list's version. */
  async list<K extends AgentSandboxKind>(
    kind: K,
    namespace: string,
    selectors: ListSelectors = {},
  ): Promise<ListResultLike<AgentSandboxKinds[K]>> {
    const r = AgentSandboxResources[kind];
    const items: AgentSandboxKinds[K][] = [];
    let continueToken: string | undefined;
    let resourceVersion = '';
    try {
      do {
        const page = (await this.api.listNamespacedCustomObject({
          ...coords(r, namespace),
          ...selectors,
          limit: LIST_PAGE_SIZE,
          _continue: continueToken,
        })) as { items?: AgentSandboxKinds[K][]; metadata?: { resourceVersion?: string; continue?: string } };
        items.push(...(page.items ?? []));
        resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
        continueToken = page.metadata?.continue || undefined;
      } while (continueToken !== undefined);
    } catch (err) {
      throw toKubeApiError(err, `list ${r.plural} in ${namespace}`);
    }
    return { items, resourceVersion };
  }

  /** JSON merge patch (RFC 7386) of the main resource. */
  async mergePatch<K extends AgentSandboxKind>(
    kind: K,
    namespace: string,
    name: string,
    patch: object,
  ): Promise<AgentSandboxKinds[K]> {
    const r = AgentSandboxResources[kind];
    try {
      return (await this.api.patchNamespacedCustomObject(
        { ...coords(r, namespace), name, body: patch },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      )) as AgentSandboxKinds[K];
    } catch (err) {
      throw toKubeApiError(err, `patch ${r.kind} ${namespace}/${name}`);
    }
  }

  /** Deletes the object; false when it was already gone. A failed precondition is a 409. */
  async delete(kind: AgentSandboxKind, namespace: string, name: string, options: DeleteObjectOptions = {}) {
    const r = AgentSandboxResources[kind];
    const preconditions =
      options.resourceVersion !== undefined || options.uid !== undefined
        ? { resourceVersion: options.resourceVersion, uid: options.uid }
        : undefined;
    try {
      await this.api.deleteNamespacedCustomObject({
        ...coords(r, namespace),
        name,
        propagationPolicy: options.propagationPolicy ?? 'Background',
        body: preconditions ? { preconditions } : {},
      });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw toKubeApiError(err, `delete ${r.kind} ${namespace}/${name}`);
    }
  }

  /**
   * Watches one object (fieldSelector on its name) until `evaluate` says done, says failed, or
   * `timeoutMs` passes. Starting from `resourceVersion` misses nothing after a create; on 410 the
   * watch relists, and the fresh object is evaluated like any event.
   */
  waitFor<K extends AgentSandboxKind, R>(kind: K, options: WaitOptions<K, R>): Promise<R> {
    const { namespace, name } = options;
    const r = AgentSandboxResources[kind];
    const fieldSelector = `metadata.name=${name}`;
    let first: WaitVerdict<R> | undefined;
    if (options.current !== undefined) {
      first = options.evaluate(options.current);
      if (first.done) return Promise.resolve(first.value);
      if (first.failed !== undefined) return Promise.reject(first.failed);
    }
    return new Promise<R>((resolve, reject) => {
      let lastStatus = first !== undefined && !first.done ? first.status : undefined;
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        watch.stop();
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        outcome();
      };
      const consider = (object: AgentSandboxKinds[K] | undefined) => {
        if (settled) return;
        let verdict: WaitVerdict<R>;
        try {
          verdict = options.evaluate(object);
        } catch (err) {
          settle(() => reject(err));
          return;
        }
        if (verdict.done) settle(() => resolve(verdict.value));
        else if (verdict.failed !== undefined) settle(() => reject(verdict.failed));
        else lastStatus = verdict.status ?? lastStatus;
      };
      const watch = new ListWatch<AgentSandboxKinds[K]>({
        config: this.config,
        path: this.collectionPath(kind, namespace),
        fieldSelector,
        resourceVersion: options.current?.metadata.resourceVersion,
        list: () => this.list(kind, namespace, { fieldSelector }),
        onSync: (items) => consider(items[0]),
        onEvent: (event) => consider(event.type === 'DELETED' ? undefined : event.object),
        onError: options.onWatchError,
        backoff: { initialMs: 100, maxMs: 2000 },
      });
      const timer = setTimeout(() => {
        settle(() =>
          reject(
            new WaitTimeoutError(
              `${r.kind} ${namespace}/${name} not ready after ${Math.round(options.timeoutMs / 1000)} s` +
                (lastStatus ? `: ${lastStatus}` : ''),
              lastStatus,
            ),
          ),
        );
      }, options.timeoutMs);
      const onAbort = () => settle(() => reject(options.signal?.reason ?? new Error('aborted')));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      watch.start();
    });
  }
}

function coords(r: AgentSandboxResource, namespace: string) {
  return { group: r.group, version: r.version, namespace, plural: r.plural };
}
