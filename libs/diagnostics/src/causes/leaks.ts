// Leaks a runtime's own leak detector reports. The library saw a resource borrowed and never given
// back, so the defect is in the application's code, and it accumulates over the process's life:
// the trouble it causes (a pool exhausted, memory growing) starts long after the code that leaks
// was deployed, and a restart only resets the count.
//   HikariCP ProxyLeakTask: "Apparent connection leak detected" (leakDetectionThreshold).
//   Netty ResourceLeakDetector: "LEAK: ByteBuf.release() was not called before it's garbage-collected".
//   Node.js events: "MaxListenersExceededWarning: Possible EventEmitter memory leak detected".
import { type Pod, type ReplicaSet } from '../snapshot';
import { toMillis } from '../util/time';
import { runsReplicaSet } from './changes';

const LEAK_DETECTED =
  /Apparent connection leak detected|LEAK: \S+\.release\(\) was not called|Possible EventEmitter memory leak detected/;

/** The first line a leak detector wrote, if any. */
export function leakReport(lines: readonly string[]): string | undefined {
  return lines.find((l) => LEAK_DETECTED.test(l));
}

/** A pod started this long after its ReplicaSet appeared was still started for that revision's rollout. */
const ROLLOUT_SPREAD_MS = 30 * 60 * 1000;

/**
 * Every pod has run only the current revision since it was rolled out, without a restart: the
 * whole accumulation happened under that revision's code.
 */
export function leakedUnderRevision(pods: readonly Pod[], current: ReplicaSet): boolean {
  const created = toMillis(current.metadata.creationTimestamp);
  if (created === undefined || !pods.length) return false;
  return pods.every((p) => {
    if (!runsReplicaSet(p, current)) return false;
    return (p.status?.containerStatuses ?? []).every((s) => {
      const started = toMillis(s.state?.running?.startedAt);
      return (
        s.restartCount === 0 &&
        started !== undefined &&
        started >= created &&
        started - created <= ROLLOUT_SPREAD_MS
      );
    });
  });
}
