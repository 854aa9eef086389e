// What each reconciler gets: the store, the clock, the queue for requeues, and the options.
import { type KubeStore } from '../../store';
import { type PodRuntime } from './pod-runtime';
import { type ReconcileKey } from './queue';

export interface ControllerSettings {
  /** How long a claim waits for a warm sandbox that has no pod IP yet before it cold-starts (2 s real). */
  warmCandidateGraceMs: number;
  clusterDomain: string;
}

export interface ReconcileContext {
  store: KubeStore;
  now: () => Date;
  requeueAfter(key: ReconcileKey, ms: number): void;
  settings: ControllerSettings;
  runtime: PodRuntime;
  /** When the controller first saw the object with this uid (creationTimestamp has whole seconds only). */
  firstSeen(uid: string): number;
}
