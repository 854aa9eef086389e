// A per-turn cache over a ClusterReader: one turn sees one consistent view of the cluster, and the
// roles asking the same question (the investigator and the remediator both reading a Deployment)
// cost one API call. Once a snapshot of a namespace was collected in the turn, object reads in that
// namespace are answered from it (the same view the analyzers judged, at no extra request), except
// for kinds the snapshot could not read (its gaps), which go to the server and fail there visibly.
// Snapshots carry the turn's focus, so the logs of the workloads the turn is about are read first.
// Failures are cached too, so a 403 is hit once per turn. Logs, metrics and dry runs stay live.
import { type ClusterSnapshot, type SnapshotKind } from '@foxhound/diagnostics';
import { kindInfo } from './kinds';
import { type ClusterReader } from './reader';
import { snapshotReader } from './snapshot-reader';

export interface MemoOptions {
  /** The turn's focus (prompt and alert text), passed to every snapshot. */
  focus?: string;
}

export function memoizeReader(reader: ClusterReader, memoOptions: MemoOptions = {}): ClusterReader {
  const cache = new Map<string, Promise<unknown>>();
  const snapshots: ClusterSnapshot[] = [];
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    let hit = cache.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = read();
      cache.set(key, hit);
    }
    return hit;
  };
  /** A snapshot of this turn that read `kind` in `namespace` completely, if any. */
  const covering = (kind: SnapshotKind, namespace: string | undefined): ClusterSnapshot | undefined => {
    const info = kindInfo(kind);
    if (!info) return undefined;
    return snapshots.find((s) => {
      const inScope =
        !info.namespaced ||
        (namespace === undefined
          ? s.namespaces.length === 0
          : s.namespaces.length === 0 || s.namespaces.includes(namespace));
      const gap = s.gaps.some(
        (g) =>
          g.what === info.apiKind ||
          g.what.startsWith(`${info.apiKind} in `) ||
          g.what.startsWith(`${info.apiKind} (`),
      );
      return inScope && !gap;
    });
  };
  return {
    list: (kind, options = {}) => {
      const snapshot = covering(kind, options.namespace);
      if (snapshot) return snapshotReader(snapshot).list(kind, options);
      return once(
        `list|${kind}|${options.namespace ?? ''}|${options.labelSelector ?? ''}|${options.fieldSelector ?? ''}|${options.limit ?? ''}`,
        () => reader.list(kind, options),
      );
    },
    get: (kind, name, namespace) => {
      const snapshot = covering(kind, namespace);
      if (snapshot) return snapshotReader(snapshot).get(kind, name, namespace);
      return once(`get|${kind}|${namespace ?? ''}|${name}`, () => reader.get(kind, name, namespace));
    },
    podLogs: (namespace, pod, options) =>
      once(
        `logs|${namespace}|${pod}|${options.container ?? ''}|${options.previous === true}|${options.tailLines}|${options.limitBytes}|${options.sinceSeconds ?? ''}|${options.sinceTime ?? ''}`,
        () => reader.podLogs(namespace, pod, options),
      ),
    podMetrics: (namespace) => once(`metrics|${namespace}`, () => reader.podMetrics(namespace)),
    snapshot: (namespaces) =>
      once(`snapshot|${[...namespaces].sort().join(',')}`, async () => {
        const snapshot = await reader.snapshot(
          namespaces,
          memoOptions.focus ? { focus: memoOptions.focus } : undefined,
        );
        snapshots.push(snapshot);
        return snapshot;
      }),
    discover: () => once('discover', () => reader.discover()),
    dryRun: (request) => reader.dryRun(request),
  };
}
