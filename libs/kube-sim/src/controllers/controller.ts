// How simulated controllers plug into kube-sim: a Controller starts against the sim's stores
// (admission hooks, change subscriptions, timers) and stops, leaving nothing behind. startKubeSim
// starts `options.controllers` in order before the server answers and stops them in reverse on
// close(). The workload, quota and kubelet controllers live beside this file; agent-sandbox's too.
import { type LogStore } from '../logs/log-store';
import { type MetricStore } from '../metrics/metric-store';
import { type KubeStore } from '../store';

/** What a controller is given: the same stores the API server serves. */
export interface ControllerHost {
  store: KubeStore;
  logs: LogStore;
  metrics: MetricStore;
}

export interface Controller {
  /** Names the controller in warnings (`deployment-controller`, `kubelet`). */
  readonly name: string;
  /** Registers hooks and subscriptions. Called once, after scenarios load and before the server answers. */
  start(host: ControllerHost): void | Promise<void>;
  /** Removes them and clears every timer and child process; called by sim.close(). */
  stop(): void | Promise<void>;
}

/** Starts controllers in order; if one fails, stops those already started and rethrows. */
export async function startControllers(controllers: Controller[], host: ControllerHost): Promise<void> {
  const started: Controller[] = [];
  try {
    for (const c of controllers) {
      await c.start(host);
      started.push(c);
    }
  } catch (err) {
    await stopControllers(started);
    throw new Error(`kube-sim: starting controller failed: ${(err as Error).message}`, { cause: err });
  }
}

/** Stops controllers in reverse order; every one is stopped even if another throws. */
export async function stopControllers(controllers: Controller[]): Promise<void> {
  const errors: unknown[] = [];
  for (const c of [...controllers].reverse()) {
    try {
      await c.stop();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length) throw new AggregateError(errors, 'kube-sim: stopping controllers failed');
}
