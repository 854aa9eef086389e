// The HorizontalPodAutoscaler controller's sync (pkg/controller/podautoscaler), after the docs
// "Horizontal Pod Autoscaling" (https://kubernetes.io/docs/concepts/workloads/autoscaling/horizontal-pod-autoscale/):
// read the target's scale, compute a proposal per Resource metric, take the largest, hold
// scale-downs to the highest recommendation of the stabilization window (300 s), limit scale-ups
// to max(double, +4), clamp to min/max, write the target's replicas, and report the controller's
// conditions (AbleToScale, ScalingActive, ScalingLimited) and events with its texts.
import { formatTime } from '../../store/meta';
import { type KubeStore } from '../../store';
import { type KubeObject, type StoredObject } from '../../types';
import { type EventRecorder } from '../events';
import { formatQuantity } from '../quota/quantity';
import { fromStructured } from '../../selectors/labels';
import { type ReconcileResult } from '../work-queue';
import { canonicalJson } from '../workloads/objects';
import { type PodMetricsSource } from './metrics';
import { resourceProposal } from './replicas';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const HPAS = 'horizontalpodautoscalers.autoscaling';

/** What a scaleTargetRef kind is served as: resource, and the Scale error's `<plural>/scale.<group>`. */
const TARGETS: Record<string, { ref: string; scale: string }> = {
  Deployment: { ref: 'deployments.apps', scale: 'deployments/scale.apps' },
  StatefulSet: { ref: 'statefulsets.apps', scale: 'statefulsets/scale.apps' },
  ReplicaSet: { ref: 'replicasets.apps', scale: 'replicasets/scale.apps' },
  ReplicationController: { ref: 'replicationcontrollers', scale: 'replicationcontrollers/scale' },
};

export interface HpaSyncContext {
  store: KubeStore;
  events: EventRecorder;
  podMetrics: PodMetricsSource;
  /** How often each HPA is evaluated (the real --horizontal-pod-autoscaler-sync-period, 15 s). */
  syncPeriodMs: number;
  /** The default scale-down stabilization window (300 s), unless the HPA's behavior sets one. */
  downscaleStabilizationMs: number;
  /** Recent recommendations per HPA, for the stabilization window. */
  recommendations: Map<string, { at: number; replicas: number }[]>;
}

class Conditions {
  private readonly byType = new Map<string, Json>();
  constructor(
    private readonly old: Json[],
    private readonly now: Date,
  ) {}
  set(type: string, status: 'True' | 'False', reason: string, message: string): Json {
    const previous = this.old.find((c) => c.type === type);
    const lastTransitionTime =
      previous?.status === status ? previous.lastTransitionTime : formatTime(this.now);
    const c = { type, status, lastTransitionTime, reason, message };
    this.byType.set(type, c);
    return c;
  }
  list(): Json[] {
    return ['AbleToScale', 'ScalingActive', 'ScalingLimited'].flatMap((t) => this.byType.get(t) ?? []);
  }
}

const metricName = (m: Json) =>
  m.resource?.target?.type === 'Utilization'
    ? `${m.resource.name} resource utilization (percentage of request)`
    : `${m.resource?.name} resource`;

function podsOf(store: KubeStore, target: StoredObject): StoredObject[] {
  const selector = fromStructured(((target as Json).spec?.selector ?? {}) as Json);
  return store
    .list('pods', { namespace: target.metadata.namespace, labelSelector: selector })
    .items.filter((p) => {
      const phase = (p as Json).status?.phase;
      return !p.metadata.deletionTimestamp && phase !== 'Failed' && phase !== 'Succeeded';
    });
}

function writeStatus(store: KubeStore, hpa: StoredObject, status: Json): void {
  const latest = store.find(HPAS, hpa.metadata.namespace, hpa.metadata.name);
  if (latest && canonicalJson(status) !== canonicalJson((latest as Json).status ?? {})) {
    store.update(HPAS, { ...latest, status } as KubeObject, { subresource: 'status' });
  }
}

export function syncHpa(ctx: HpaSyncContext, namespace: string, name: string): ReconcileResult {
  const { store, events } = ctx;
  const key = `${namespace}/${name}`;
  const hpa = store.find(HPAS, namespace, name);
  if (!hpa) {
    ctx.recommendations.delete(key);
    return undefined;
  }
  const spec: Json = (hpa as Json).spec ?? {};
  const old: Json = (hpa as Json).status ?? {};
  const now = store.now();
  const conditions = new Conditions(old.conditions ?? [], now);
  const base = {
    observedGeneration: hpa.metadata.generation ?? 1,
    ...(old.lastScaleTime ? { lastScaleTime: old.lastScaleTime } : {}),
  };
  const again = { afterMs: ctx.syncPeriodMs };

  const ref: Json = spec.scaleTargetRef ?? {};
  const kind = TARGETS[ref.kind];
  const target = kind && store.find(kind.ref, namespace, ref.name);
  if (!target) {
    const error = kind
      ? `${kind.scale} "${ref.name}" not found`
      : `no matches for kind "${ref.kind}" in group "${String(ref.apiVersion ?? '').split('/')[0]}"`;
    conditions.set(
      'AbleToScale',
      'False',
      'FailedGetScale',
      `the HPA controller was unable to get the target's current scale: ${error}`,
    );
    events.record(hpa, 'Warning', 'FailedGetScale', error);
    writeStatus(store, hpa, {
      ...base,
      currentReplicas: old.currentReplicas ?? 0,
      desiredReplicas: old.desiredReplicas ?? 0,
      conditions: conditions.list(),
    });
    return again;
  }
  const current: number = (target as Json).spec?.replicas ?? 1;
  const min: number = spec.minReplicas ?? 1;
  const max: number = spec.maxReplicas ?? min;
  conditions.set(
    'AbleToScale',
    'True',
    'SucceededGetScale',
    "the HPA controller was able to get the target's current scale",
  );
  if (current === 0 && min !== 0) {
    conditions.set(
      'ScalingActive',
      'False',
      'ScalingDisabled',
      'scaling is disabled since the replica count of the target is zero',
    );
    writeStatus(store, hpa, {
      ...base,
      currentReplicas: 0,
      desiredReplicas: 0,
      conditions: conditions.list(),
    });
    return again;
  }

  // One proposal per Resource metric; the largest wins.
  const pods = podsOf(store, target);
  const metrics = ((spec.metrics ?? []) as Json[]).filter((m) => m.type === 'Resource');
  const currentMetrics: Json[] = [];
  let proposal: { replicas: number; metric: string } | undefined;
  let firstError: string | undefined;
  let invalid = 0;
  for (const metric of metrics) {
    const resource = metric.resource?.name;
    const utilization = metric.resource?.target?.type === 'Utilization';
    try {
      const p = resourceProposal(metric, current, pods, ctx.podMetrics);
      currentMetrics.push({
        type: 'Resource',
        resource: {
          name: resource,
          current: {
            ...(p.utilization !== undefined ? { averageUtilization: p.utilization } : {}),
            averageValue: formatQuantity({ nanos: p.averageNanos, format: 'DecimalSI' }),
          },
        },
      });
      if (!proposal || p.replicas > proposal.replicas)
        proposal = { replicas: p.replicas, metric: metricName(metric) };
    } catch (err) {
      const message = `failed to get ${resource} ${utilization ? 'utilization' : 'usage'}: ${(err as Error).message}`;
      events.record(hpa, 'Warning', 'FailedGetResourceMetric', message);
      invalid++;
      if (firstError === undefined) {
        firstError = `failed to get ${resource} resource metric value: ${message}`;
        conditions.set(
          'ScalingActive',
          'False',
          'FailedGetResourceMetric',
          `the HPA was unable to compute the replica count: ${message}`,
        );
      }
    }
  }
  if (metrics.length && invalid === metrics.length) {
    events.record(
      hpa,
      'Warning',
      'FailedComputeMetricsReplicas',
      `invalid metrics (${invalid} invalid out of ${metrics.length}), first error is: ${firstError}`,
    );
    writeStatus(store, hpa, {
      ...base,
      currentReplicas: current,
      desiredReplicas: old.desiredReplicas ?? 0,
      conditions: conditions.list(),
    });
    return again;
  }
  let desired = proposal?.replicas ?? current;
  let reason = proposal ? `${proposal.metric} ${desired > current ? 'above' : 'below'} target` : '';
  if (proposal) {
    conditions.set(
      'ScalingActive',
      'True',
      'ValidMetricFound',
      `the HPA was able to successfully calculate a replica count from ${proposal.metric}`,
    );
  }

  // Scale-down stabilization: the highest recommendation of the window.
  const windowMs =
    spec.behavior?.scaleDown?.stabilizationWindowSeconds !== undefined
      ? spec.behavior.scaleDown.stabilizationWindowSeconds * 1000
      : ctx.downscaleStabilizationMs;
  const recent = (ctx.recommendations.get(key) ?? []).filter((r) => r.at > now.getTime() - windowMs);
  recent.push({ at: now.getTime(), replicas: desired });
  ctx.recommendations.set(key, recent);
  const stabilized =
    desired < current ? Math.min(current, Math.max(...recent.map((r) => r.replicas))) : desired;
  conditions.set(
    'AbleToScale',
    'True',
    stabilized !== desired ? 'ScaleDownStabilized' : 'ReadyForNewScale',
    stabilized !== desired
      ? 'recent recommendations were higher than current one, applying the highest recent recommendation'
      : 'recommended size matches current size',
  );
  desired = stabilized;

  // The default scale-up rate and the bounds.
  const upLimit = Math.max(2 * current, current + 4);
  if (desired > max) {
    desired = max;
    conditions.set(
      'ScalingLimited',
      'True',
      'TooManyReplicas',
      'the desired replica count is more than the maximum replica count',
    );
    if (current > max) reason = 'Current number of replicas above Spec.MaxReplicas';
  } else if (desired < min) {
    desired = min;
    conditions.set(
      'ScalingLimited',
      'True',
      'TooFewReplicas',
      'the desired replica count is less than the minimum replica count',
    );
    if (current < min) reason = 'Current number of replicas below Spec.MinReplicas';
  } else if (desired > upLimit) {
    desired = upLimit;
    conditions.set(
      'ScalingLimited',
      'True',
      'ScaleUpLimit',
      'the desired replica count is increasing faster than the maximum scale rate',
    );
  } else {
    conditions.set(
      'ScalingLimited',
      'False',
      'DesiredWithinRange',
      'the desired count is within the acceptable range',
    );
  }

  let lastScaleTime = old.lastScaleTime;
  if (desired !== current) {
    store.update(kind.ref, {
      ...target,
      spec: { ...(target as Json).spec, replicas: desired },
    } as KubeObject);
    conditions.set(
      'AbleToScale',
      'True',
      'SucceededRescale',
      `the HPA controller was able to update the target scale to ${desired}`,
    );
    events.record(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`);
    lastScaleTime = formatTime(now);
  }
  writeStatus(store, hpa, {
    ...base,
    ...(lastScaleTime ? { lastScaleTime } : {}),
    currentReplicas: current,
    desiredReplicas: desired,
    ...(currentMetrics.length ? { currentMetrics } : {}),
    conditions: conditions.list(),
  });
  return again;
}
