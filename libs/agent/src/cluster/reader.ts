// The agent's view of a cluster, declared by the consumer (style §9): the read operations its tools
// need, nothing more. kube-reader.ts implements it over libs/kube (a live API server or kube-sim);
// snapshot-reader.ts implements it over a captured ClusterSnapshot. Both throw ClusterReadError, so
// tools can tell "forbidden by RBAC" (record a blind spot) from "not there" and from "broken".
import {
  type ClusterSnapshot,
  type KubeObject,
  type PodMetrics,
  type SnapshotKind,
} from '@foxhound/diagnostics';

export interface ListOptions {
  /** Omit for every namespace (or for cluster-scoped kinds). */
  namespace?: string;
  labelSelector?: string;
  /** Equality terms only (`involvedObject.name=x,type=Warning`); readers also filter client-side. */
  fieldSelector?: string;
  limit?: number;
}

export interface LogOptions {
  container?: string;
  previous?: boolean;
  tailLines: number;
  limitBytes: number;
  /** Only lines written in the last this many seconds. */
  sinceSeconds?: number;
  /** Only lines written at or after this RFC 3339 time. */
  sinceTime?: string;
}

/** A server-side dry run (`dryRun=All`) of one write, so a proposal can show what it would do. */
export interface DryRunRequest {
  method: 'PATCH' | 'DELETE';
  kind: SnapshotKind;
  namespace: string;
  name: string;
  /** For PATCH: a strategic-merge patch body. */
  patch?: Record<string, unknown>;
  /** For PATCH of the scale subresource. */
  subresource?: 'scale';
}

/** One resource the API server serves, as discovery (`kubectl api-resources`) lists it. */
export interface ApiResource {
  /** `apps/v1`, `v1`, `example.com/v1alpha1`. */
  apiVersion: string;
  /** The plural, as it appears in API paths. */
  name: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  verbs: string[];
  /** Defined by a CustomResourceDefinition (its API group is not a built-in one). */
  custom: boolean;
}

export interface Discovery {
  resources: ApiResource[];
  /** API groups that could not be read, with why. */
  gaps: string[];
}

export interface SnapshotOptions {
  /** What the turn is about (prompt, alert): the logs of the workloads it names are read first. */
  focus?: string;
}

export interface ClusterReader {
  list(kind: SnapshotKind, options?: ListOptions): Promise<KubeObject[]>;
  /** The object, or undefined when it does not exist. */
  get(kind: SnapshotKind, name: string, namespace?: string): Promise<KubeObject | undefined>;
  podLogs(namespace: string, pod: string, options: LogOptions): Promise<string>;
  /** Pod usage from metrics.k8s.io; undefined when the metrics API is not installed. */
  podMetrics(namespace: string): Promise<PodMetrics[] | undefined>;
  /** One bounded read of everything the analyzers need in these namespaces. */
  snapshot(namespaces: string[], options?: SnapshotOptions): Promise<ClusterSnapshot>;
  /** The resources the API server serves (built-in and custom), from its discovery documents. */
  discover(): Promise<Discovery>;
  /** The object as the server would return it after the write, without persisting anything. */
  dryRun(request: DryRunRequest): Promise<KubeObject | undefined>;
}

export class ClusterReadError extends Error {
  override readonly name = 'ClusterReadError';
  constructor(
    /** What was being read: "list pods in shop". */
    readonly what: string,
    /** HTTP status from the API server, when there was one. */
    readonly status: number | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${what}: ${message}`, options);
  }

  get forbidden(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

export const isForbidden = (err: unknown): err is ClusterReadError =>
  err instanceof ClusterReadError && err.forbidden;
