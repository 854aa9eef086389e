// kubectl_describe views of workloads: pods (containers, state, last termination), Deployments and
// ReplicaSets (replicas, revisions), StatefulSets, DaemonSets, Jobs and CronJobs (spec and status
// that explain their state, the pods they select).
import {
  type CronJob,
  type DaemonSet,
  type Deployment,
  type Job,
  type KubeObject,
  type Pod,
  type ReplicaSet,
  type StatefulSet,
} from '@foxhound/diagnostics';
import { type KindInfo } from '../../cluster/kinds';
import { type ClusterReader } from '../../cluster/reader';
import { age, podStatus } from '../format';
import { jobStatus } from './columns';
import { conditionLines, containerLines, podLines } from './describe-parts';

const revision = (rs: ReplicaSet): number =>
  Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0) || 0;

const orNone = (v: unknown): string => (v === undefined || v === null || v === '' ? '<none>' : String(v));

/** The view of a workload kind, or undefined for kinds that are not workloads. */
export async function describeWorkload(
  info: KindInfo,
  obj: KubeObject,
  cluster: ClusterReader,
  now: Date,
): Promise<string[] | undefined> {
  switch (info.kind) {
    case 'pods': {
      const pod = obj as Pod;
      const statuses = new Map((pod.status?.containerStatuses ?? []).map((s) => [s.name, s]));
      const inits = new Map((pod.status?.initContainerStatuses ?? []).map((s) => [s.name, s]));
      return [
        `Node: ${pod.spec.nodeName ?? '<unscheduled>'}`,
        `Status: ${podStatus(pod)} (phase ${pod.status?.phase ?? '?'})${pod.status?.message ? `: ${pod.status.message}` : ''}`,
        ...conditionLines(pod.status?.conditions?.filter((c) => c.status !== 'True')),
        ...(pod.spec.initContainers?.length
          ? [
              'Init containers:',
              ...pod.spec.initContainers.flatMap((c) => containerLines(c, inits.get(c.name), now)),
            ]
          : []),
        'Containers:',
        ...pod.spec.containers.flatMap((c) => containerLines(c, statuses.get(c.name), now)),
      ];
    }
    case 'deployments': {
      const d = obj as Deployment;
      const sets = ((await cluster.list('replicaSets', { namespace: d.metadata.namespace })) as ReplicaSet[])
        .filter((rs) =>
          rs.metadata.ownerReferences?.some((o) => o.kind === 'Deployment' && o.name === d.metadata.name),
        )
        .sort((a, b) => revision(b) - revision(a));
      const st = d.status ?? {};
      return [
        `Replicas: ${d.spec.replicas ?? 1} desired, ${st.updatedReplicas ?? 0} updated, ${st.readyReplicas ?? 0} ready, ${st.availableReplicas ?? 0} available, ${st.unavailableReplicas ?? 0} unavailable`,
        `Revision: ${d.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '?'}${d.spec.paused ? ' (paused)' : ''}`,
        ...conditionLines(st.conditions),
        'Pod template:',
        ...d.spec.template.spec.containers.flatMap((c) => containerLines(c, undefined, now)),
        `ReplicaSets (newest first):`,
        ...sets
          .slice(0, 5)
          .map(
            (rs) =>
              `  ${rs.metadata.name} revision ${revision(rs)}: ${rs.status?.readyReplicas ?? 0}/${rs.spec.replicas ?? 0} ready, ${(rs.spec.template?.spec.containers ?? []).map((c) => c.image).join(',')}, created ${age(rs.metadata.creationTimestamp, now)} ago`,
          ),
      ];
    }
    case 'replicaSets': {
      const rs = obj as ReplicaSet;
      return [
        `Replicas: ${rs.spec.replicas ?? 0} desired, ${rs.status?.replicas ?? 0} current, ${rs.status?.readyReplicas ?? 0} ready`,
        `Revision: ${revision(rs)}`,
        ...conditionLines(rs.status?.conditions),
      ];
    }
    case 'statefulSets': {
      const s = obj as StatefulSet;
      const st = s.status ?? {};
      const raw = obj as StatefulSet & {
        spec: { updateStrategy?: { type?: string }; podManagementPolicy?: string };
        status?: { updatedReplicas?: number; currentReplicas?: number };
      };
      const service = s.spec.serviceName
        ? await cluster.get('services', s.spec.serviceName, s.metadata.namespace)
        : undefined;
      return [
        `Replicas: ${s.spec.replicas ?? 1} desired, ${st.replicas ?? 0} current, ${st.readyReplicas ?? 0} ready, ${raw.status?.updatedReplicas ?? 0} updated`,
        `Revisions: current ${orNone(st.currentRevision)}, update ${orNone(st.updateRevision)}${st.currentRevision && st.updateRevision && st.currentRevision !== st.updateRevision ? ' (rollout in progress)' : ''}`,
        `Update strategy: ${raw.spec.updateStrategy?.type ?? 'RollingUpdate'}  Pod management: ${raw.spec.podManagementPolicy ?? 'OrderedReady'}`,
        `Service: ${orNone(s.spec.serviceName)}${s.spec.serviceName && !service ? ' (does not exist)' : ''}`,
        ...(s.spec.volumeClaimTemplates?.length
          ? [
              'Volume claim templates:',
              ...s.spec.volumeClaimTemplates.map(
                (c) =>
                  `  ${c.metadata.name}: ${c.spec.resources?.requests?.['storage'] ?? '?'} ${c.spec.storageClassName ?? '(default class)'} ${(c.spec.accessModes ?? []).join(',')}`,
              ),
            ]
          : []),
        ...conditionLines((obj as { status?: { conditions?: never[] } }).status?.conditions),
        'Pod template:',
        ...s.spec.template.spec.containers.flatMap((c) => containerLines(c, undefined, now)),
        ...(await podLines(cluster, s.metadata.namespace, s.spec.selector)),
      ];
    }
    case 'daemonSets': {
      const d = obj as DaemonSet;
      const st = (d.status ?? {}) as NonNullable<DaemonSet['status']> & {
        currentNumberScheduled?: number;
        updatedNumberScheduled?: number;
        numberAvailable?: number;
      };
      const spec = d.spec.template.spec;
      return [
        `Nodes: ${st.desiredNumberScheduled ?? 0} desired, ${st.currentNumberScheduled ?? 0} scheduled, ${st.numberReady ?? 0} ready, ${st.updatedNumberScheduled ?? 0} updated, ${st.numberAvailable ?? 0} available, ${st.numberUnavailable ?? 0} unavailable, ${st.numberMisscheduled ?? 0} misscheduled`,
        `Node selector: ${
          Object.entries(spec.nodeSelector ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(',') || '<none>'
        }`,
        `Tolerations: ${(spec.tolerations ?? []).map((t) => `${t.key ?? '*'}${t.operator === 'Exists' ? '' : `=${t.value ?? ''}`}:${t.effect ?? '*'}`).join(', ') || '<none>'}`,
        'Pod template:',
        ...spec.containers.flatMap((c) => containerLines(c, undefined, now)),
        ...(await podLines(cluster, d.metadata.namespace, d.spec.selector)),
      ];
    }
    case 'jobs': {
      const j = obj as Job;
      const raw = j as Job & {
        spec: { parallelism?: number; activeDeadlineSeconds?: number; selector?: never };
      };
      const st = j.status ?? {};
      return [
        `Status: ${jobStatus(j)}`,
        `Completions: ${st.succeeded ?? 0}/${j.spec.completions ?? 1} succeeded, ${st.active ?? 0} active, ${st.failed ?? 0} failed (backoffLimit ${j.spec.backoffLimit ?? 6})`,
        `Parallelism: ${raw.spec.parallelism ?? 1}  Active deadline: ${raw.spec.activeDeadlineSeconds === undefined ? '<none>' : `${raw.spec.activeDeadlineSeconds}s`}${j.spec.suspend ? '  (suspended)' : ''}`,
        `Started: ${st.startTime ? `${age(st.startTime, now)} ago` : '<not started>'}  Completed: ${st.completionTime ? `${age(st.completionTime, now)} ago` : '<no>'}`,
        ...conditionLines(st.conditions),
        'Pod template:',
        ...j.spec.template.spec.containers.flatMap((c) => containerLines(c, undefined, now)),
        ...(await podLines(cluster, j.metadata.namespace, { 'job-name': j.metadata.name })),
      ];
    }
    case 'cronJobs': {
      const c = obj as CronJob;
      const raw = c as CronJob & {
        spec: {
          concurrencyPolicy?: string;
          successfulJobsHistoryLimit?: number;
          failedJobsHistoryLimit?: number;
          timeZone?: string;
        };
      };
      const active = (c.status?.active ?? []) as { name?: string }[];
      return [
        `Schedule: ${c.spec.schedule}${raw.spec.timeZone ? ` (${raw.spec.timeZone})` : ''}${c.spec.suspend ? '  (suspended)' : ''}`,
        `Concurrency policy: ${raw.spec.concurrencyPolicy ?? 'Allow'}  Starting deadline: ${c.spec.startingDeadlineSeconds === undefined ? '<none>' : `${c.spec.startingDeadlineSeconds}s`}`,
        `History kept: ${raw.spec.successfulJobsHistoryLimit ?? 3} successful, ${raw.spec.failedJobsHistoryLimit ?? 1} failed`,
        `Last schedule: ${c.status?.lastScheduleTime ? `${age(c.status.lastScheduleTime, now)} ago` : '<none>'}  Last success: ${c.status?.lastSuccessfulTime ? `${age(c.status.lastSuccessfulTime, now)} ago` : '<none>'}`,
        `Active jobs: ${active.map((a) => a.name ?? '?').join(', ') || '<none>'}`,
        'Job template:',
        ...c.spec.jobTemplate.spec.template.spec.containers.flatMap((x) => containerLines(x, undefined, now)),
      ];
    }
    default:
      return undefined;
  }
}
