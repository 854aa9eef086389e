// Server-side defaulting for the kinds clients create most, so a created object reads back the way
// a real server would return it (pod phase Pending, deployment strategy, service cluster IP...).
// Runs on create before admission hooks. Kinds not listed here are stored as given.
import { type KubeObject } from '../types';
import { type ResourceType } from './resources';

type Json = Record<string, unknown>;

export interface DefaultingContext {
  /** Hands out the next free cluster IP for a Service. */
  allocateClusterIP(): string;
  /** The uid the object is about to get (a Job's generated selector names it). */
  uid?: string;
}

function obj(parent: Json, key: string): Json {
  const v = parent[key];
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Json;
  const fresh: Json = {};
  parent[key] = fresh;
  return fresh;
}

function setDefault(target: Json, key: string, value: unknown): void {
  if (target[key] === undefined) target[key] = value;
}

function defaultContainers(spec: Json): void {
  for (const field of ['containers', 'initContainers']) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    for (const c of list as Json[]) {
      const image = typeof c.image === 'string' ? c.image : '';
      const tagless = !/:[^/]+$/.test(image) && !image.includes('@');
      setDefault(c, 'imagePullPolicy', tagless || image.endsWith(':latest') ? 'Always' : 'IfNotPresent');
      setDefault(c, 'terminationMessagePath', '/dev/termination-log');
      setDefault(c, 'terminationMessagePolicy', 'File');
      setDefault(c, 'resources', {});
      for (const p of (Array.isArray(c.ports) ? c.ports : []) as Json[]) setDefault(p, 'protocol', 'TCP');
    }
  }
}

function defaultPodSpec(spec: Json): void {
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'serviceAccountName', spec.serviceAccount ?? 'default');
  defaultContainers(spec);
}

function qosClass(spec: Json): string {
  const containers = (Array.isArray(spec.containers) ? spec.containers : []) as Json[];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const res = (c.resources ?? {}) as { requests?: Json; limits?: Json };
    if (Object.keys(res.requests ?? {}).length || Object.keys(res.limits ?? {}).length) any = true;
    const limits = res.limits ?? {};
    const requests = res.requests ?? limits;
    for (const r of ['cpu', 'memory']) {
      if (limits[r] === undefined || String(requests[r]) !== String(limits[r])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function defaultTemplate(workload: Json): void {
  const spec = obj(workload, 'spec');
  const template = obj(spec, 'template');
  defaultPodSpec(obj(template, 'spec'));
}

/**
 * The Job strategy's generated selector: the Job's uid as `batch.kubernetes.io/controller-uid`,
 * and the four labels (new and legacy spellings) on its pod template.
 */
function generateJobSelector(job: Json, uid: string): void {
  const name = String(obj(job, 'metadata').name ?? '');
  const spec = obj(job, 'spec');
  spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  const meta = obj(obj(spec, 'template'), 'metadata');
  meta.labels = {
    ...((meta.labels as Json | undefined) ?? {}),
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
}

export function applyCreateDefaults(r: ResourceType, o: KubeObject, ctx: DefaultingContext): void {
  const body = o as Json;
  const key = `${r.group}/${r.plural}`;
  switch (key) {
    case '/namespaces':
      setDefault(obj(body, 'status'), 'phase', 'Active');
      break;
    case '/pods': {
      const spec = obj(body, 'spec');
      defaultPodSpec(spec);
      const status = obj(body, 'status');
      setDefault(status, 'phase', 'Pending');
      setDefault(status, 'qosClass', qosClass(spec));
      break;
    }
    case '/services': {
      const spec = obj(body, 'spec');
      setDefault(spec, 'type', 'ClusterIP');
      setDefault(spec, 'sessionAffinity', 'None');
      if (spec.type !== 'ExternalName') {
        setDefault(spec, 'clusterIP', ctx.allocateClusterIP());
        if (spec.clusterIP !== 'None') setDefault(spec, 'clusterIPs', [spec.clusterIP]);
        setDefault(spec, 'ipFamilies', ['IPv4']);
        setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
        setDefault(spec, 'internalTrafficPolicy', 'Cluster');
      }
      for (const p of (Array.isArray(spec.ports) ? spec.ports : []) as Json[]) {
        setDefault(p, 'protocol', 'TCP');
        setDefault(p, 'targetPort', p.port);
      }
      setDefault(obj(body, 'status'), 'loadBalancer', {});
      break;
    }
    case 'apps/deployments': {
      const spec = obj(body, 'spec');
      setDefault(spec, 'replicas', 1);
      setDefault(spec, 'revisionHistoryLimit', 10);
      setDefault(spec, 'progressDeadlineSeconds', 600);
      const strategy = obj(spec, 'strategy');
      setDefault(strategy, 'type', 'RollingUpdate');
      if (strategy.type === 'RollingUpdate') {
        const rolling = obj(strategy, 'rollingUpdate');
        setDefault(rolling, 'maxSurge', '25%');
        setDefault(rolling, 'maxUnavailable', '25%');
      }
      defaultTemplate(body as KubeObject);
      break;
    }
    case 'apps/replicasets':
      setDefault(obj(body, 'spec'), 'replicas', 1);
      defaultTemplate(body as KubeObject);
      break;
    case 'apps/statefulsets': {
      const spec = obj(body, 'spec');
      setDefault(spec, 'replicas', 1);
      setDefault(spec, 'podManagementPolicy', 'OrderedReady');
      setDefault(spec, 'revisionHistoryLimit', 10);
      const strategy = obj(spec, 'updateStrategy');
      setDefault(strategy, 'type', 'RollingUpdate');
      if (strategy.type === 'RollingUpdate') setDefault(obj(strategy, 'rollingUpdate'), 'partition', 0);
      const retention = obj(spec, 'persistentVolumeClaimRetentionPolicy');
      setDefault(retention, 'whenDeleted', 'Retain');
      setDefault(retention, 'whenScaled', 'Retain');
      defaultTemplate(body as KubeObject);
      break;
    }
    case 'apps/daemonsets':
      defaultTemplate(body as KubeObject);
      break;
    case 'batch/jobs': {
      const spec = obj(body, 'spec');
      // completions stays unset when only parallelism is given: a work-queue Job (batch/v1 defaults).
      if (spec.parallelism === undefined) setDefault(spec, 'completions', 1);
      setDefault(spec, 'parallelism', 1);
      setDefault(spec, 'backoffLimit', 6);
      setDefault(spec, 'completionMode', 'NonIndexed');
      setDefault(spec, 'suspend', false);
      setDefault(spec, 'podReplacementPolicy', 'TerminatingOrFailed');
      if (ctx.uid && !spec.manualSelector) generateJobSelector(body, ctx.uid);
      defaultTemplate(body as KubeObject);
      break;
    }
    case '/secrets':
      if (!body.type) body.type = 'Opaque';
      break;
    case '/persistentvolumeclaims':
      setDefault(obj(body, 'status'), 'phase', 'Pending');
      break;
  }
}
