// The interface both backends implement. The lifecycle service (lifecycle/sandbox-service.ts) owns
// what is common: validation, per-thread coalescing, limits, renewal arithmetic, metrics and logs;
// a backend owns where sandboxes live and how they start, stop and are found again.
import {
  type PoolStatus,
  type SandboxBackend as SandboxBackendName,
  type SandboxDescriptor,
} from '@foxhound/contracts';

/** A sandbox as a backend knows it; `reused` is decided per request by the lifecycle service. */
export type SandboxView = Omit<SandboxDescriptor, 'reused'>;

export interface CreateSpec {
  threadId: string;
  owner: string;
  ttlSeconds: number;
  labels: Record<string, string>;
  /** Absolute expiry for the new sandbox. */
  expiresAt: Date;
}

export interface CreateResult {
  view: SandboxView;
  /** True when the sandbox already existed (another replica created it first). */
  reused: boolean;
}

/** What the gauges read at scrape time; the pool's fields where the backend has them. */
export interface BackendCounts {
  active: number;
  warm: number;
  starting?: number;
  /** Acquisitions waiting for a sandbox to start. */
  queued?: number;
  desired?: number;
  burst?: boolean;
}

/** Why a sandbox went away, for logs and the `reaped`/`failed` metrics. */
export type ReleaseReason = 'deleted' | 'expired' | 'lifetime' | 'crashed' | 'shutdown';

export interface SandboxBackend {
  readonly name: SandboxBackendName;
  /** Starts background work (warm pool, cache); resolves once requests can be served. */
  start(): Promise<void>;
  /** Throws with the reason when the backend cannot serve (for /readyz). */
  checkReady(): void;
  /** The thread's live sandbox, if it has one. */
  findByThread(threadId: string): Promise<SandboxView | undefined>;
  get(sandboxId: string): Promise<SandboxView | undefined>;
  /** Every live sandbox this manager owns. */
  list(): Promise<SandboxView[]>;
  /** Acquires a new sandbox (warm or cold) and resolves once it is ready. */
  create(spec: CreateSpec): Promise<CreateResult>;
  /** Moves a live sandbox's expiry to `expiresAt`; resolves with the updated view. */
  renew(view: SandboxView, expiresAt: Date): Promise<SandboxView>;
  /** Removes a sandbox and everything it holds; false when it did not exist. */
  release(sandboxId: string, reason: ReleaseReason): Promise<boolean>;
  /** Removes sandboxes whose time is up and the platform did not remove; returns how many. */
  reap(now: Date): Promise<number>;
  pool(): Promise<PoolStatus>;
  /** Current counts for the gauges, without I/O. */
  counts(): BackendCounts;
  /**
   * Live sandboxes (ready or starting) counted against the limits, all or one owner's, without
   * I/O. Creates still in flight in this process are left out: the lifecycle service reserves them.
   */
  count(owner?: string): number;
  /** Stops background work. The local backend also stops every sandbox it started. */
  close(): Promise<void>;
}
