// A ClusterReader over a captured ClusterSnapshot: replays an incident with no cluster at all (the
// eval harness, unit tests of the tools, `foxhound replay`). Reads are answered from the snapshot's
// lists; anything the snapshot did not capture reads as absent. Dry runs need a live API server.
import { SNAPSHOT_KINDS, SNAPSHOT_RESOURCES } from '@foxhound/contracts';
import { type ClusterSnapshot, type KubeObject } from '@foxhound/diagnostics';
import { matchesFields, parseFieldSelector } from './fields';
import { kindInfo } from './kinds';
import { type ClusterReader, ClusterReadError } from './reader';
import { matchesSelector, parseSelector } from './selectors';

export function snapshotReader(snapshot: ClusterSnapshot): ClusterReader {
  const objects = snapshot.objects as unknown as Record<string, KubeObject[]>;
  return {
    list: async (kind, options = {}) => {
      const labels = parseSelector(options.labelSelector ?? '');
      if (!labels)
        throw new ClusterReadError(`list ${kind}`, 400, `invalid label selector "${options.labelSelector}"`);
      const fields = parseFieldSelector(options.fieldSelector);
      if (!fields)
        throw new ClusterReadError(`list ${kind}`, 400, `invalid field selector "${options.fieldSelector}"`);
      const namespaced = kindInfo(kind)?.namespaced ?? true;
      const items = (objects[kind] ?? []).filter(
        (o) =>
          (!namespaced || options.namespace === undefined || o.metadata.namespace === options.namespace) &&
          matchesSelector(o.metadata.labels, labels) &&
          matchesFields(o, fields),
      );
      return options.limit === undefined ? items : items.slice(0, options.limit);
    },
    get: async (kind, name, namespace) => {
      const namespaced = kindInfo(kind)?.namespaced ?? true;
      return (objects[kind] ?? []).find(
        (o) => o.metadata.name === name && (!namespaced || o.metadata.namespace === namespace),
      );
    },
    podLogs: async (namespace, pod, options) => {
      const log = snapshot.logs.find(
        (l) =>
          l.namespace === namespace &&
          l.pod === pod &&
          l.previous === (options.previous ?? false) &&
          (options.container === undefined || l.container === options.container),
      );
      if (!log) {
        const which = options.previous ? 'previous terminated container' : 'container';
        throw new ClusterReadError(
          `read logs of ${namespace}/${pod}`,
          400,
          `${which} ${options.container ?? ''} not found in the snapshot`.replace('  ', ' '),
        );
      }
      // The collector kept no line times, so a time bound cannot be honoured: say so, never guess.
      if (options.sinceSeconds !== undefined || options.sinceTime !== undefined)
        throw new ClusterReadError(
          `read logs of ${namespace}/${pod}`,
          400,
          'a captured snapshot keeps no line times; read the log without a time bound',
        );
      return log.lines.slice(-options.tailLines).join('\n');
    },
    podMetrics: async (namespace) => {
      if (snapshot.podMetrics.length === 0) return undefined;
      return snapshot.podMetrics.filter((m) => m.metadata.namespace === namespace);
    },
    // A captured snapshot knows only the kinds it captured, and says so.
    discover: async () => ({
      resources: SNAPSHOT_KINDS.filter((k) => kindInfo(k)).map((k) => {
        const r = SNAPSHOT_RESOURCES[k];
        return {
          apiVersion: r.apiVersion,
          name: r.plural,
          kind: r.kind,
          namespaced: r.namespaced,
          shortNames: [...(kindInfo(k)?.aliases ?? [])],
          verbs: ['get', 'list'],
          custom: false,
        };
      }),
      gaps: [
        'API discovery: a captured snapshot lists only the kinds it captured, not what the cluster serves',
      ],
    }),
    snapshot: async (namespaces) => (namespaces.length === 0 ? snapshot : { ...snapshot, namespaces }),
    dryRun: async (request) => {
      throw new ClusterReadError(
        `dry-run ${request.method} ${request.kind} ${request.namespace}/${request.name}`,
        405,
        'a captured snapshot cannot run a dry run',
      );
    },
  };
}
