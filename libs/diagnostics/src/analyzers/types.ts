// The analyzer contract: a pure function from one snapshot to findings. No I/O; the collector
// fetched everything once (k8sgpt's per-analyzer listing and shared mutable results: not here).
import {
  type Evidence,
  type Finding,
  type ObjectRef,
  type Severity,
  type SuggestedAction,
} from '@foxhound/contracts';
import { type ClusterSnapshot } from '../snapshot';

export interface Analyzer {
  /** Stable name, the first part of every finding id it emits. */
  name: string;
  /** The kinds it examines, for the "what was checked" list. */
  kinds: string[];
  analyze(snapshot: ClusterSnapshot): Finding[];
}

/** One problem of one pod, before pods of the same workload with the same problem are grouped. */
export interface PodProblem {
  reason: string;
  severity: Severity;
  container?: string;
  symptom: string;
  cause: string;
  evidence: Evidence[];
  confidence: number;
  docs: string;
  /** The pod does not serve (as opposed to serving while degraded, or being replaced). */
  failing: boolean;
  /** The object at fault when it is not the pod's own workload. */
  culprit?: ObjectRef;
  suggestion?: SuggestedAction;
  /** Dependency and change hints for grouping: the image, env var or host the cause names. */
  subject?: string;
  /** A ConfigMap, Secret or claim the pod references and the cluster lacks (or lacks the key of). */
  missing?: { ref: ObjectRef; description: string };
}
