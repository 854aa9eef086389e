// Small text helpers shared by the tools: ages, aligned tables, object names, and the kubectl-style
// one-word status of a pod, so every tool prints cluster state the way an engineer reads it.
import { type KubeEvent, type Pod } from '@foxhound/diagnostics';

export function age(timestamp: string | null | undefined, now: Date): string {
  if (!timestamp) return '?';
  const ms = now.getTime() - Date.parse(timestamp);
  if (!Number.isFinite(ms)) return '?';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86_400)}d`;
}

/** Left-aligned columns separated by two spaces, like kubectl's tables. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export const nsName = (namespace: string | undefined, name: string): string =>
  namespace ? `${namespace}/${name}` : name;

export function podReady(pod: Pod): string {
  const statuses = pod.status?.containerStatuses ?? [];
  return `${statuses.filter((s) => s.ready).length}/${pod.spec.containers.length}`;
}

export function podRestarts(pod: Pod): number {
  return (pod.status?.containerStatuses ?? []).reduce((n, s) => n + s.restartCount, 0);
}

/** The STATUS column of `kubectl get pods`. */
export function podStatus(pod: Pod): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  const init = pod.status?.initContainerStatuses ?? [];
  for (const s of init) {
    if (s.state?.waiting?.reason && s.state.waiting.reason !== 'PodInitializing')
      return `Init:${s.state.waiting.reason}`;
    if (s.state?.terminated && s.state.terminated.exitCode !== 0)
      return `Init:${s.state.terminated.reason ?? 'Error'}`;
  }
  let status = pod.status?.reason ?? pod.status?.phase ?? 'Unknown';
  for (const s of pod.status?.containerStatuses ?? []) {
    if (s.state?.waiting?.reason) status = s.state.waiting.reason;
    else if (s.state?.terminated)
      status =
        s.state.terminated.reason ??
        (s.state.terminated.signal
          ? `Signal:${s.state.terminated.signal}`
          : `ExitCode:${s.state.terminated.exitCode}`);
  }
  return status;
}

export function eventTimestamp(e: KubeEvent): string | undefined {
  return e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? undefined;
}

/** Newest first. */
export function byEventTime(a: KubeEvent, b: KubeEvent): number {
  return (Date.parse(eventTimestamp(b) ?? '') || 0) - (Date.parse(eventTimestamp(a) ?? '') || 0);
}

export function eventLine(e: KubeEvent, now: Date, withObject = true): string {
  const count = e.count && e.count > 1 ? ` (x${e.count})` : '';
  const obj = withObject ? ` ${e.involvedObject.kind ?? '?'}/${e.involvedObject.name ?? '?'}` : '';
  return `${age(eventTimestamp(e), now)} ago  ${e.type ?? 'Normal'}  ${e.reason ?? ''}${obj}: ${(e.message ?? '').trim()}${count}`;
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
