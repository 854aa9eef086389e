// The node side of sandbox pods: a PodRuntime starts a pod's containers and reports its IP once
// ready, like a kubelet after image pull and readiness probe. The simulated runtime waits a
// configurable delay and hands out 10.244.x.y addresses; loopback-runtime.ts runs real processes.
import { type StoredObject } from '../../types';

export interface PodRuntime {
  /** Starts the pod; resolves with its IP once ready. A rejection marks the pod Failed. */
  start(pod: StoredObject, signal: AbortSignal): Promise<{ podIP: string }>;
  /** The pod was deleted: stop whatever runs it. */
  stop?(pod: StoredObject): Promise<void> | void;
  /** The controller is stopping: stop everything. */
  close?(): Promise<void>;
}

export interface SimulatedRuntimeOptions {
  /** Time from pod creation to Ready (image pull, container start, readiness probe). */
  startDelayMs?: number;
}

export function simulatedPodRuntime(options: SimulatedRuntimeOptions = {}): PodRuntime {
  let next = 0;
  return {
    start(_pod, signal) {
      const n = next++;
      const podIP = `10.244.${Math.floor(n / 250) % 250}.${(n % 250) + 2}`;
      const delay = options.startDelayMs ?? 0;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          resolve({ podIP });
        }, delay);
        const onAbort = () => {
          clearTimeout(timer);
          reject(new Error('pod deleted'));
        };
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}
