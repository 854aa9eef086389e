// Workload controllers: Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs.
import { type Condition, type KubeObject, type LabelSelector } from './meta';
import { type PodTemplateSpec } from './pods';
import { type PersistentVolumeClaim } from './cluster';

export interface Deployment extends KubeObject {
  spec: {
    replicas?: number;
    selector: LabelSelector;
    template: PodTemplateSpec;
    paused?: boolean;
    progressDeadlineSeconds?: number;
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    conditions?: Condition[];
  };
}

export interface ReplicaSet extends KubeObject {
  spec: { replicas?: number; selector: LabelSelector; template?: PodTemplateSpec };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    conditions?: Condition[];
  };
}

export interface StatefulSet extends KubeObject {
  spec: {
    replicas?: number;
    serviceName?: string;
    selector: LabelSelector;
    template: PodTemplateSpec;
    volumeClaimTemplates?: PersistentVolumeClaim[];
  };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
  };
}

export interface DaemonSet extends KubeObject {
  spec: { selector: LabelSelector; template: PodTemplateSpec };
  status?: {
    desiredNumberScheduled?: number;
    numberReady?: number;
    numberUnavailable?: number;
    numberMisscheduled?: number;
  };
}

export interface Job extends KubeObject {
  spec: { suspend?: boolean; backoffLimit?: number; template: PodTemplateSpec; completions?: number };
  status?: {
    active?: number;
    succeeded?: number;
    failed?: number;
    conditions?: Condition[];
    startTime?: string;
    completionTime?: string;
  };
}

export interface CronJob extends KubeObject {
  spec: {
    schedule: string;
    suspend?: boolean;
    startingDeadlineSeconds?: number;
    jobTemplate: { spec: Job['spec'] };
  };
  status?: { lastScheduleTime?: string; lastSuccessfulTime?: string; active?: unknown[] };
}
