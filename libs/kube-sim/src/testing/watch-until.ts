// Test helper: waits, through a real client-node watch, until the objects at an API path satisfy
// a predicate. Bounded: after `timeoutMs` it fails with what it last saw, so a test that cannot
// converge says why instead of hanging. Never a fixed sleep.
import * as k8s from '@kubernetes/client-node';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface WatchUntilOptions {
  labelSelector?: string;
  fieldSelector?: string;
  timeoutMs?: number;
}

/** Resolves with the objects (by name) once `predicate` holds for them. */
export async function watchUntil(
  kc: k8s.KubeConfig,
  path: string,
  predicate: (objects: Json[]) => boolean,
  options: WatchUntilOptions = {},
): Promise<Json[]> {
  const objects = new Map<string, Json>();
  const timeoutMs = options.timeoutMs ?? 10_000;
  let controller: AbortController | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<Json[]>((resolve, reject) => {
      const check = () => {
        const list = [...objects.values()];
        if (predicate(list)) resolve(list);
      };
      timer = setTimeout(() => {
        const seen = JSON.stringify([...objects.values()], null, 1).slice(0, 4000);
        reject(new Error(`watchUntil ${path}: not satisfied within ${timeoutMs} ms; last seen:\n${seen}`));
      }, timeoutMs);
      const query: Json = {};
      if (options.labelSelector) query.labelSelector = options.labelSelector;
      if (options.fieldSelector) query.fieldSelector = options.fieldSelector;
      new k8s.Watch(kc)
        .watch(
          path,
          query,
          (type, object: Json) => {
            const key = `${object.metadata?.namespace}/${object.metadata?.name}`;
            if (type === 'DELETED') objects.delete(key);
            else if (type === 'ADDED' || type === 'MODIFIED') objects.set(key, object);
            check();
          },
          (err: unknown) => {
            if (err && !(err as Error).name?.includes('Abort')) reject(err as Error);
          },
        )
        .then((c) => {
          controller = c;
          check();
        }, reject);
    });
  } finally {
    clearTimeout(timer);
    controller?.abort();
  }
}

/** Waits for one named object to satisfy `predicate`; resolves with it. */
export async function watchObject(
  kc: k8s.KubeConfig,
  collectionPath: string,
  name: string,
  predicate: (object: Json) => boolean,
  timeoutMs?: number,
): Promise<Json> {
  const [found] = await watchUntil(kc, collectionPath, (list) => list.length === 1 && predicate(list[0]), {
    fieldSelector: `metadata.name=${name}`,
    timeoutMs,
  });
  return found;
}
