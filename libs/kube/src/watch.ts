// List-then-watch with resourceVersion handling, after client-node's ListWatch (src/cache.ts) but
// with the recoveries it lacks: list, watch from the list's resourceVersion, 410 Gone → relist,
// BOOKMARK only advances the version, a normal server close resumes from the last version, and an
// error restarts with capped backoff. Caching what it sees is watch-cache.ts's job.
import { type KubeConfig, Watch } from '@kubernetes/client-node';
import { isGone } from './errors';

export interface WatchedObject {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
}

export type ObjectEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface ObjectEvent<T> {
  type: ObjectEventType;
  object: T;
}

export interface ListResultLike<T> {
  items: T[];
  resourceVersion: string;
}

export interface ListWatchOptions<T extends WatchedObject> {
  config: KubeConfig;
  /** Collection path, e.g. `/apis/extensions.agents.x-k8s.io/v1beta1/namespaces/ns/sandboxclaims`. */
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Lists the same collection with the same selectors (called at start and after every 410). */
  list: () => Promise<ListResultLike<T>>;
  /** Start watching from this version without listing first (e.g. the version a create returned). */
  resourceVersion?: string;
  onEvent?: (event: ObjectEvent<T>) => void;
  /** After each (re)list: the complete current set. */
  onSync?: (items: T[]) => void;
  /** Every failure, with the delay before the next attempt; the watch keeps going. */
  onError?: (err: unknown, retryInMs: number) => void;
  backoff?: { initialMs?: number; maxMs?: number };
  /** Server-side timeout of one watch request; the watch then resumes (default 240-300 s). */
  watchTimeoutSeconds?: number;
}

export class ListWatch<T extends WatchedObject> {
  private version: string | undefined;
  private needsList: boolean;
  private stopped = true;
  private abort: AbortController | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private syncedOnce = false;
  private resolveSynced!: () => void;
  /** Resolves after the first successful list (at once when starting from a given version). */
  readonly synced: Promise<void>;

  constructor(private readonly options: ListWatchOptions<T>) {
    this.version = options.resourceVersion;
    this.needsList = options.resourceVersion === undefined;
    this.synced = new Promise((resolve) => {
      this.resolveSynced = resolve;
    });
    if (!this.needsList) this.markSynced();
  }

  /** The last resourceVersion seen (from a list, an event or a bookmark). */
  get resourceVersion(): string | undefined {
    return this.version;
  }

  get hasSynced(): boolean {
    return this.syncedOnce;
  }

  start(): this {
    if (!this.stopped) return this;
    this.stopped = false;
    void this.run();
    return this;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.abort?.abort();
    this.abort = undefined;
  }

  private async run(): Promise<void> {
    if (this.stopped) return;
    try {
      if (this.needsList) {
        const listed = await this.options.list();
        if (this.stopped) return;
        this.version = listed.resourceVersion;
        this.needsList = false;
        this.options.onSync?.(listed.items);
        this.markSynced();
      }
      await this.watchOnce();
    } catch (err) {
      this.fail(err);
    }
  }

  private async watchOnce(): Promise<void> {
    const started = Date.now();
    const timeoutSeconds = this.options.watchTimeoutSeconds ?? 240 + Math.floor(Math.random() * 60);
    const query: Record<string, string | number | boolean> = {
      allowWatchBookmarks: true,
      timeoutSeconds,
      resourceVersion: this.version ?? '',
    };
    if (this.options.labelSelector) query.labelSelector = this.options.labelSelector;
    if (this.options.fieldSelector) query.fieldSelector = this.options.fieldSelector;
    let finished = false;
    const finish = (err: unknown) => {
      if (finished) return;
      finished = true;
      this.abort = undefined;
      if (this.stopped) return;
      if (err !== null && err !== undefined) return this.fail(err);
      // A normal close (timeoutSeconds, an API server restart): resume from the last version. A
      // server that keeps closing at once is treated as failing, so this cannot spin.
      if (Date.now() - started < 1000) return this.fail(new Error('watch closed immediately'));
      this.failures = 0;
      void this.run();
    };
    const abort = await new Watch(this.options.config).watch(
      this.options.path,
      query,
      (type: string, object: unknown) => {
        if (!finished) this.handle(type, object, finish);
      },
      finish,
    );
    if (this.stopped || finished) abort.abort();
    else this.abort = abort;
  }

  private handle(type: string, object: unknown, finish: (err: unknown) => void): void {
    const rv = (object as WatchedObject | undefined)?.metadata?.resourceVersion;
    switch (type) {
      case 'ADDED':
      case 'MODIFIED':
      case 'DELETED':
        if (rv) this.version = rv;
        this.failures = 0;
        this.options.onEvent?.({ type, object: object as T });
        return;
      case 'BOOKMARK':
        if (rv) this.version = rv;
        return;
      case 'ERROR': {
        const code = (object as { code?: unknown } | undefined)?.code;
        const message = (object as { message?: unknown } | undefined)?.message;
        const err = Object.assign(
          new Error(`watch error: ${typeof message === 'string' ? message : 'unknown'}`),
          {
            statusCode: typeof code === 'number' ? code : undefined,
          },
        );
        finish(err);
        return;
      }
    }
  }

  private fail(err: unknown): void {
    if (this.stopped) return;
    this.abort?.abort();
    this.abort = undefined;
    if (isGone(err)) {
      // Our version fell out of the server's history: only a fresh list is consistent again.
      this.needsList = true;
      this.version = undefined;
      this.options.onError?.(err, 0);
      void this.run();
      return;
    }
    this.failures += 1;
    const { initialMs = 250, maxMs = 10_000 } = this.options.backoff ?? {};
    const delay = Math.min(maxMs, initialMs * 2 ** (this.failures - 1));
    // A failed list is retried (needsList is still set); a watch error resumes from our version.
    this.options.onError?.(err, delay);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.run();
    }, delay);
  }

  private markSynced(): void {
    if (this.syncedOnce) return;
    this.syncedOnce = true;
    this.resolveSynced();
  }
}
