// A read cache kept current by a ListWatch: what an informer gives client-go users. Objects are
// keyed by namespace/name; a relist replaces the whole set (so deletions missed during a 410 gap
// are dropped), and listeners hear every change. Reads never touch the API server.
import { ListWatch, type ListWatchOptions, type ObjectEvent, type WatchedObject } from './watch';

export type CacheListener<T> = (event: ObjectEvent<T> | { type: 'SYNC'; objects: T[] }) => void;

export function objectKey(object: WatchedObject): string {
  return `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}

/** Numeric resourceVersions (every real server's) compare as numbers; anything else is "newer". */
function isOlder(candidate: WatchedObject, current: WatchedObject): boolean {
  const a = candidate.metadata?.resourceVersion;
  const b = current.metadata?.resourceVersion;
  if (!a || !b || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return false;
  return BigInt(a) < BigInt(b);
}

export class WatchCache<T extends WatchedObject> {
  private readonly objects = new Map<string, T>();
  private readonly listeners = new Set<CacheListener<T>>();
  private readonly watch: ListWatch<T>;

  constructor(options: Omit<ListWatchOptions<T>, 'onEvent' | 'onSync' | 'resourceVersion'>) {
    this.watch = new ListWatch<T>({
      ...options,
      onSync: (items) => {
        this.objects.clear();
        for (const item of items) this.objects.set(objectKey(item), item);
        this.emit({ type: 'SYNC', objects: items });
      },
      onEvent: (event) => {
        if (event.type === 'DELETED') this.objects.delete(objectKey(event.object));
        else this.objects.set(objectKey(event.object), event.object);
        this.emit(event);
      },
    });
  }

  /** Starts listing and watching; resolves after the first list. */
  async start(): Promise<void> {
    this.watch.start();
    await this.watch.synced;
  }

  stop(): void {
    this.watch.stop();
  }

  get hasSynced(): boolean {
    return this.watch.hasSynced;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.objects.get(`${namespace ?? ''}/${name}`);
  }

  list(): T[] {
    return [...this.objects.values()];
  }

  get size(): number {
    return this.objects.size;
  }

  /**
   * Records an object this process just read or wrote, so its own reads see it before the watch
   * event arrives. An older version never replaces a newer one.
   */
  observe(object: T): void {
    const current = this.objects.get(objectKey(object));
    if (current === undefined || !isOlder(object, current)) this.objects.set(objectKey(object), object);
  }

  /** Drops an object this process just deleted. */
  forget(namespace: string | undefined, name: string): void {
    this.objects.delete(`${namespace ?? ''}/${name}`);
  }

  on(listener: CacheListener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: Parameters<CacheListener<T>>[0]): void {
    for (const listener of this.listeners) listener(event);
  }
}
