// A per-turn cache over a ClusterReader: one turn sees one consistent view of the cluster, and the
// roles asking the same question (the investigator and the remediator both reading a Deployment)
// cost one API call. Failures are cached too, so a 403 is hit once per turn, not once per tool.
// Dry runs are never cached: each is a distinct question about a write.
import { type ClusterReader } from './reader';

export function memoizeReader(reader: ClusterReader): ClusterReader {
  const cache = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    let hit = cache.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = read();
      cache.set(key, hit);
    }
    return hit;
  };
  return {
    list: (kind, options = {}) =>
      once(
        `list|${kind}|${options.namespace ?? ''}|${options.labelSelector ?? ''}|${options.fieldSelector ?? ''}|${options.limit ?? ''}`,
        () => reader.list(kind, options),
      ),
    get: (kind, name, namespace) =>
      once(`get|${kind}|${namespace ?? ''}|${name}`, () => reader.get(kind, name, namespace)),
    podLogs: (namespace, pod, options) =>
      once(
        `logs|${namespace}|${pod}|${options.container ?? ''}|${options.previous === true}|${options.tailLines}|${options.limitBytes}`,
        () => reader.podLogs(namespace, pod, options),
      ),
    podMetrics: (namespace) => once(`metrics|${namespace}`, () => reader.podMetrics(namespace)),
    snapshot: (namespaces) =>
      once(`snapshot|${[...namespaces].sort().join(',')}`, () => reader.snapshot(namespaces)),
    dryRun: (request) => reader.dryRun(request),
  };
}
