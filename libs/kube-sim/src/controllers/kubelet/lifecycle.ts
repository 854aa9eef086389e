// Containers after they start, in declared-behaviour mode: each runs its program
// (runtime/behaviour.ts) as a ContainerProcess; its exit is recorded as `terminated` (exit code,
// Completed / Error / OOMKilled), and the restart policy decides what follows: the next init
// container, nothing (Never, or OnFailure after success), or a restart after the kubelet's
// back-off: at once the first time, then 10 s doubling to 5 min (`CrashLoopBackOff`, `back-off
// 20s restarting failed container=app pod=web_shop(uid)`, the `BackOff` event), with
// `restartCount`, `lastState` and the previous run's logs kept (`kubectl logs --previous`); and
// the container's startup, liveness and readiness probes (runtime/probes.ts).
// Simulated seconds last `msPerSecond` real milliseconds.
import { type LogStore } from '../../logs/log-store';
import { type StoredObject } from '../../types';
import { type EventRecorder } from '../events';
import { parseQuantity } from '../quota/quantity';
import { type PodSandbox, type Terminated } from './pod-status';
import { containerProgram } from './runtime/behaviour';
import { resolveEnv, type Lookup } from './runtime/env';
import { runtimeImage } from './runtime/images';
import { runProbe } from './runtime/probes';
import { ContainerProcess } from './runtime/process';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface LifecycleHost {
  logs: LogStore;
  msPerSecond: number;
  /** Real milliseconds before the first readiness probe, on top of initialDelaySeconds. */
  readyDelayMs: number;
  now(): Date;
  /** Runs `fn` later unless the pod is gone. */
  later(ms: number, fn: () => void): void;
  /** The pod, if it still exists and is not being deleted. */
  current(): StoredObject | undefined;
  sandbox(): PodSandbox | undefined;
  events(): EventRecorder;
  lookup: Lookup;
  /** Writes the pod status from the sandbox. */
  publish(): void;
  /** Starts whatever containers are not running (after a restart, or the next init container). */
  startPending(): void;
}

const BACKOFF_SECONDS = 10;
const MAX_BACKOFF_SECONDS = 300;

/** Go's time.Duration String for whole seconds: `10s`, `1m20s`, `5m0s`. */
export function goSeconds(seconds: number): string {
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}

/** `name_namespace(uid)`, as the kubelet's format.Pod prints a pod. */
export const podRef = (pod: StoredObject) =>
  `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;

/** The kubelet's container back-off before restart number `restarts + 1`. */
export function backOffSeconds(restarts: number): number {
  return restarts === 0 ? 0 : Math.min(MAX_BACKOFF_SECONDS, BACKOFF_SECONDS * 2 ** (restarts - 1));
}

function memoryLimit(c: Json): number | undefined {
  const q = parseQuantity(c.resources?.limits?.memory);
  return q ? Number(q.nanos / 1_000_000_000n) : undefined;
}

export class ContainerLifecycle {
  private readonly processes = new Map<string, ContainerProcess>();

  constructor(private readonly host: LifecycleHost) {}

  has(name: string): boolean {
    return this.processes.has(name);
  }

  /** Runs the container's program; it is in `running` state in the sandbox already. */
  spawn(container: Json, init: boolean): void {
    const pod = this.host.current();
    if (!pod) return;
    const name: string = container.name;
    const env = resolveEnv(container, this.host.lookup);
    const program = containerProgram(container, env, init);
    if (!Array.isArray(program)) return; // start failures never reach `running` (containers.ts)
    const { namespace, name: podName } = pod.metadata;
    const process = new ContainerProcess(program, {
      later: (ms, fn) => this.host.later(ms, fn),
      log: (line) =>
        this.host.logs.append(namespace!, podName!, name, `${this.host.now().toISOString()} ${line}\n`),
      exit: (code, reason) => this.exited(container, init, code, reason),
      msPerSecond: this.host.msPerSecond,
      memoryLimit: memoryLimit(container),
    });
    this.processes.set(name, process);
    // At once, so its first log lines exist before anyone can read the running status; an exit is
    // recorded on the next tick (ContainerProcess), so it never re-enters the caller.
    process.start();
    if (!init && !process.exited) this.startProbes(container, process, env);
  }

  /**
   * The kubelet's probers for one run: startup first (liveness and readiness wait for it), then
   * liveness and readiness every `periodSeconds` after `initialDelaySeconds`. A failure records
   * `Unhealthy` (`Liveness probe failed: ...`); `failureThreshold` in a row kills the container for
   * startup and liveness (`Killing`: `Container app failed liveness probe, will be restarted`,
   * exit 137) and marks it unready for readiness; `successThreshold` successes make it ready.
   */
  private startProbes(container: Json, process: ContainerProcess, env: Record<string, string>): void {
    const name: string = container.name;
    // What a project image listens on cannot be known (coredns and ingress controllers serve health
    // on ports they do not declare): it answers wherever it is probed. Catalogued images do not.
    const knows = runtimeImage(String(container.image ?? '')) !== undefined;
    let started = !container.startupProbe;
    const fieldPath = `spec.containers{${name}}`;
    const loop = (kind: 'Startup' | 'Liveness' | 'Readiness', probe: Json | undefined, extraDelayMs = 0) => {
      if (!probe) return;
      const period = (probe.periodSeconds ?? 10) * this.host.msPerSecond;
      const threshold = probe.failureThreshold ?? 3;
      const needed = probe.successThreshold ?? 1;
      let failures = 0;
      let successes = 0;
      const tick = () => {
        const pod = this.host.current();
        const sandbox = this.host.sandbox();
        if (!pod || !sandbox || process.exited || this.processes.get(name) !== process) return;
        if (kind !== 'Startup' && !started) return this.host.later(period, tick);
        if (kind === 'Startup' && started) return;
        const result = runProbe(probe, {
          container,
          podIP: sandbox.podIP ?? '',
          ports: knows ? process.ports : undefined,
          files: process.files,
          env,
        });
        if (result.ok) {
          failures = 0;
          if (kind === 'Startup') started = true;
          if (kind === 'Readiness' && ++successes >= needed) this.setReady(name, true);
          return this.host.later(period, tick);
        }
        successes = 0;
        this.host
          .events()
          .record(pod, 'Warning', 'Unhealthy', `${kind} probe failed: ${result.message}`, { fieldPath });
        if (++failures < threshold) return this.host.later(period, tick);
        if (kind === 'Readiness') {
          this.setReady(name, false);
          return this.host.later(period, tick);
        }
        this.host
          .events()
          .record(
            pod,
            'Normal',
            'Killing',
            `Container ${name} failed ${kind.toLowerCase()} probe, will be restarted`,
            { fieldPath },
          );
        process.kill();
        this.exited(container, false, 137, 'Error');
      };
      this.host.later((probe.initialDelaySeconds ?? 0) * this.host.msPerSecond + extraDelayMs, tick);
    };
    loop('Startup', container.startupProbe);
    loop('Liveness', container.livenessProbe);
    loop('Readiness', container.readinessProbe, this.host.readyDelayMs);
  }

  private setReady(name: string, ready: boolean): void {
    const state = this.host.sandbox()?.main.get(name);
    if (state?.kind !== 'running' || state.ready === ready) return;
    this.host.sandbox()!.main.set(name, { ...state, ready });
    this.host.publish();
  }

  /** The pod is going: every process stops. */
  stopAll(): void {
    for (const p of this.processes.values()) p.kill();
    this.processes.clear();
  }

  private exited(container: Json, init: boolean, exitCode: number, reason: string): void {
    const sandbox = this.host.sandbox();
    if (!sandbox || !this.host.current()) return;
    const name: string = container.name;
    this.processes.delete(name);
    const states = init ? sandbox.init : sandbox.main;
    const before = states.get(name);
    const state: Terminated = {
      kind: 'terminated',
      exitCode,
      reason,
      startedAt: before?.kind === 'running' ? before.startedAt : this.host.now(),
      finishedAt: this.host.now(),
      containerID: before?.kind === 'running' ? before.containerID : '',
    };
    states.set(name, state);
    this.host.publish();
    this.afterExit(container, init, state);
  }

  /** What the restart policy makes of an ended container (also a StartError from containers.ts). */
  afterExit(container: Json, init: boolean, state: Terminated): void {
    const pod = this.host.current() as Json | undefined;
    const sandbox = this.host.sandbox();
    if (!pod || !sandbox) return;
    const name: string = container.name;
    const sidecar = init && container.restartPolicy === 'Always';
    const podPolicy: string = pod.spec?.restartPolicy ?? 'Always';
    if (init && !sidecar && state.exitCode === 0) return this.host.startPending();
    // Init containers that fail are retried unless the pod never restarts anything.
    const policy = sidecar ? 'Always' : init ? (podPolicy === 'Never' ? 'Never' : 'OnFailure') : podPolicy;
    if (policy === 'Never' || (policy === 'OnFailure' && state.exitCode === 0)) return;
    const history = sandbox.history.get(name) ?? { restartCount: 0 };
    history.last = state;
    sandbox.history.set(name, history);
    const delay = backOffSeconds(history.restartCount);
    const states = init ? sandbox.init : sandbox.main;
    const fieldPath = `${init ? 'spec.initContainers' : 'spec.containers'}{${name}}`;
    if (delay > 0) {
      // Shown as the ended state for a moment (STATUS Error, OOMKilled...), then as back-off.
      this.host.later(Math.min(delay, 1) * this.host.msPerSecond, () => {
        if (states.get(name) !== state) return;
        const ref = podRef(this.host.current()!);
        states.set(name, {
          kind: 'waiting',
          reason: 'CrashLoopBackOff',
          message: `back-off ${goSeconds(delay)} restarting failed container=${name} pod=${ref}`,
        });
        this.host
          .events()
          .record(
            this.host.current()!,
            'Warning',
            'BackOff',
            `Back-off restarting failed container ${name} in pod ${ref}`,
            {
              fieldPath,
            },
          );
        this.host.publish();
      });
    }
    this.host.later(delay * this.host.msPerSecond, () => {
      const current = this.host.current();
      if (!current) return;
      history.restartCount++;
      this.host.logs.restart(current.metadata.namespace!, current.metadata.name!, name);
      states.delete(name);
      this.host.startPending();
    });
  }
}
