// Test helpers: a @kubernetes/client-node KubeConfig for a running kube-sim, the fixture scenario,
// and a promise that resolves when a predicate over collected items first holds.
import * as k8s from '@kubernetes/client-node';
import { join } from 'node:path';
import { type KubeconfigOptions } from '../kubeconfig';
import { type KubeSim } from '../sim';

export const CRASHLOOP_SCENARIO = join(__dirname, '..', 'scenario', '__fixtures__', 'crashloop');

export function kubeConfig(sim: KubeSim, options?: KubeconfigOptions): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions(sim.kubeconfig(options));
  return kc;
}

/** Collects values and resolves `until(predicate)` once the collection satisfies it. */
export class Collector<T> {
  readonly items: T[] = [];
  private waiters: { predicate: (items: T[]) => boolean; resolve: () => void }[] = [];

  push = (item: T): void => {
    this.items.push(item);
    this.waiters = this.waiters.filter((w) => {
      if (!w.predicate(this.items)) return true;
      w.resolve();
      return false;
    });
  };

  until(predicate: (items: T[]) => boolean): Promise<T[]> {
    if (predicate(this.items)) return Promise.resolve(this.items);
    return new Promise((resolve) => this.waiters.push({ predicate, resolve: () => resolve(this.items) }));
  }
}
