// The pods of a named workload, for reading every replica's log: the Deployment, StatefulSet,
// DaemonSet or Job of that name (in that order), its selector, its pods with the unhealthy and
// restarted first (their logs explain the most).
import { type LabelSelector, type Pod } from '@foxhound/diagnostics';
import { type ClusterReader } from '../../cluster/reader';
import { selectorString } from '../../cluster/selectors';

const KINDS = [
  ['deployments', 'Deployment'],
  ['statefulSets', 'StatefulSet'],
  ['daemonSets', 'DaemonSet'],
  ['jobs', 'Job'],
] as const;

const restarts = (p: Pod): number =>
  (p.status?.containerStatuses ?? []).reduce((n, s) => n + s.restartCount, 0);
const ready = (p: Pod): boolean => (p.status?.containerStatuses ?? []).every((s) => s.ready);

export async function podsOfWorkload(
  cluster: ClusterReader,
  namespace: string,
  name: string,
): Promise<{ ref: string; pods: Pod[] } | undefined> {
  for (const [kind, apiKind] of KINDS) {
    const obj = (await cluster.get(kind, name, namespace)) as
      { spec?: { selector?: LabelSelector } } | undefined;
    if (!obj) continue;
    // A Job's pods carry its name as a label even when its selector is the generated controller-uid.
    const selector = selectorString(obj.spec?.selector) || (kind === 'jobs' ? `job-name=${name}` : '');
    const pods = selector
      ? ((await cluster.list('pods', { namespace, labelSelector: selector })) as Pod[])
      : [];
    pods.sort(
      (a, b) =>
        Number(ready(a)) - Number(ready(b)) ||
        restarts(b) - restarts(a) ||
        a.metadata.name.localeCompare(b.metadata.name),
    );
    return { ref: `${apiKind} ${namespace}/${name}`, pods };
  }
  return undefined;
}
