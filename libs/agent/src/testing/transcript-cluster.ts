// The cluster a transcript runs against: a scenario from scenarios/ read at a fixed time into a
// snapshot (so every tool output is the same on every run), with the changes a case makes to it:
// log lines added (an injected instruction, a 5 MB log) or log reads that never answer.
import { type ContainerLog, SNAPSHOT_RESOURCES, type SnapshotKind } from '@foxhound/contracts';
import { createSnapshot, type KubeObject } from '@foxhound/diagnostics';
import { readScenario } from '@foxhound/kube-sim';
import { type ClusterReader } from '../cluster/reader';
import { snapshotReader } from '../cluster/snapshot-reader';

export interface ClusterChanges {
  /** Lines appended to a container's current (or previous) log. */
  appendLog?: { namespace: string; pod: string; container: string; previous?: boolean; lines: string[] }[];
  /** Log reads never answer (a log backend that hangs). */
  hangLogs?: boolean;
}

export async function scenarioCluster(
  dir: string,
  now: Date,
  changes: ClusterChanges = {},
): Promise<ClusterReader> {
  const content = await readScenario(dir, now);
  const byKind = new Map(Object.entries(SNAPSHOT_RESOURCES).map(([key, r]) => [r.kind, key as SnapshotKind]));
  const objects: Partial<Record<SnapshotKind, KubeObject[]>> = {};
  for (const { object } of content.objects) {
    const key = byKind.get(object.kind as string);
    if (key) (objects[key] ??= []).push(object as unknown as KubeObject);
  }
  const logs: ContainerLog[] = content.logs.flatMap((l) => [
    ...(l.current === undefined ? [] : [containerLog(l, false, l.current)]),
    ...(l.previous === undefined ? [] : [containerLog(l, true, l.previous)]),
  ]);
  for (const add of changes.appendLog ?? []) {
    const log = logs.find(
      (l) =>
        l.namespace === add.namespace &&
        l.pod === add.pod &&
        l.container === add.container &&
        l.previous === (add.previous ?? false),
    );
    if (log) log.lines.push(...add.lines);
    else logs.push({ ...add, previous: add.previous ?? false, lines: [...add.lines], truncated: false });
  }
  const reader = snapshotReader(
    createSnapshot({
      capturedAt: now.toISOString(),
      namespaces: content.manifest.namespaces,
      objects: objects as never,
      logs,
      metrics: content.metrics,
    }),
  );
  return changes.hangLogs ? { ...reader, podLogs: () => new Promise<string>(() => undefined) } : reader;
}

function containerLog(
  l: { namespace: string; pod: string; container: string },
  previous: boolean,
  text: string,
): ContainerLog {
  return {
    namespace: l.namespace,
    pod: l.pod,
    container: l.container,
    previous,
    lines: text.split('\n'),
    truncated: false,
  };
}
