// The pods of a named workload, for reading every replica's log: the Deployment, StatefulSet,
// DaemonSet or Job of that name (in that order), its selector, its pods with the unhealthy and
// restarted first (their logs explain the most); for a CronJob, the pods of its newest Job.
import { type Job, type LabelSelector, type Pod } from '@foxhound/diagnostics';
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
const unhealthyFirst = (a: Pod, b: Pod): number =>
  Number(ready(a)) - Number(ready(b)) ||
  restarts(b) - restarts(a) ||
  a.metadata.name.localeCompare(b.metadata.name);

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
    return { ref: `${apiKind} ${namespace}/${name}`, pods: pods.sort(unhealthyFirst) };
  }
  if (await cluster.get('cronJobs', name, namespace)) {
    const jobs = ((await cluster.list('jobs', { namespace })) as Job[])
      .filter((j) => j.metadata.ownerReferences?.some((o) => o.kind === 'CronJob' && o.name === name))
      .sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''));
    const newest = jobs[0];
    if (!newest) return { ref: `CronJob ${namespace}/${name} (no Job has run)`, pods: [] };
    const pods = (await cluster.list('pods', {
      namespace,
      labelSelector: `job-name=${newest.metadata.name}`,
    })) as Pod[];
    return {
      ref: `CronJob ${namespace}/${name}, its newest Job ${newest.metadata.name}`,
      pods: pods.sort(unhealthyFirst),
    };
  }
  return undefined;
}
