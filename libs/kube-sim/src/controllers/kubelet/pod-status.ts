// Pod status as the kubelet reports it, built from what the simulated kubelet knows about each
// container: containerStatuses (waiting ContainerCreating / ErrImagePull / ImagePullBackOff /
// InvalidImageName / CreateContainerConfigError / CrashLoopBackOff, running, terminated with its
// exit code and reason) with restartCount and lastState, conditions in the kubelet's order
// (PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled) keeping their
// transition times while unchanged, phase (Pending, Running, Succeeded, Failed), IPs and
// startTime. Pure.
import { formatTime } from '../../store/meta';
import { type KubeObject } from '../../types';
import { imageID, normalizeImage } from './images';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Terminated {
  kind: 'terminated';
  exitCode: number;
  /** Completed, Error, OOMKilled, StartError. */
  reason: string;
  message?: string;
  startedAt: Date;
  finishedAt: Date;
  containerID: string;
}

export type ContainerState =
  | { kind: 'waiting'; reason: string; message?: string }
  | { kind: 'running'; startedAt: Date; ready: boolean; containerID: string }
  | Terminated;

/** A container's earlier runs: how often it was restarted and how the last run ended. */
export interface ContainerHistory {
  restartCount: number;
  last?: Terminated;
}

export const isCompleted = (s: ContainerState | undefined): boolean =>
  s?.kind === 'terminated' && s.exitCode === 0;

/** What the node knows of a pod once it is admitted: addresses and each container's state. */
export interface PodSandbox {
  hostIP: string;
  /** Unset while the pod's volumes cannot be mounted: no sandbox, no address yet. */
  podIP?: string;
  startTime: Date;
  init: Map<string, ContainerState>;
  main: Map<string, ContainerState>;
  /** Per container name (init and app containers have distinct names). */
  history: Map<string, ContainerHistory>;
}

function mounts(container: Json): Json[] | undefined {
  const list: Json[] = container.volumeMounts ?? [];
  if (!list.length) return undefined;
  return list.map((m) => ({
    mountPath: m.mountPath,
    name: m.name,
    ...(m.readOnly ? { readOnly: true, recursiveReadOnly: 'Disabled' } : {}),
  }));
}

function terminated(t: Terminated): Json {
  return {
    containerID: t.containerID,
    exitCode: t.exitCode,
    finishedAt: formatTime(t.finishedAt),
    ...(t.message ? { message: t.message } : {}),
    reason: t.reason,
    startedAt: formatTime(t.startedAt),
  };
}

function containerStatus(
  container: Json,
  state: ContainerState | undefined,
  history: ContainerHistory | undefined,
  init: boolean,
): Json {
  const image = String(container.image ?? '');
  const base = {
    name: container.name,
    lastState: history?.last ? { terminated: terminated(history.last) } : {},
    restartCount: history?.restartCount ?? 0,
  };
  const pulled = {
    image: normalizeImage(image),
    imageID: imageID(image),
    ...(mounts(container) ? { volumeMounts: mounts(container) } : {}),
  };
  if (!state || state.kind === 'waiting') {
    const waiting: { reason: string; message?: string } = state ?? { reason: 'ContainerCreating' };
    return {
      ...base,
      // A container that ran before keeps the identity of its last run while it waits.
      ...(history?.last ? { containerID: history.last.containerID, ...pulled } : { image, imageID: '' }),
      ready: false,
      started: false,
      state: {
        waiting: { reason: waiting.reason, ...(waiting.message ? { message: waiting.message } : {}) },
      },
    };
  }
  if (state.kind === 'running') {
    return {
      ...base,
      containerID: state.containerID,
      ...pulled,
      ready: state.ready,
      started: true,
      state: { running: { startedAt: formatTime(state.startedAt) } },
    };
  }
  return {
    ...base,
    containerID: state.containerID,
    ...pulled,
    // An init container that completed counts as ready; an app container that ended does not.
    ready: init && state.exitCode === 0,
    started: false,
    state: { terminated: terminated(state) },
  };
}

interface ConditionInput {
  type: string;
  ok: boolean;
  reason?: string;
  message?: string;
}

/** Conditions with lastTransitionTime kept from `previous` while the status is unchanged. */
function conditions(previous: Json[], inputs: ConditionInput[], now: Date): Json[] {
  return inputs.map(({ type, ok, reason, message }) => {
    const status = ok ? 'True' : 'False';
    const before = previous.find((c) => c.type === type);
    const lastTransitionTime = before?.status === status ? before.lastTransitionTime : formatTime(now);
    return {
      lastProbeTime: null,
      lastTransitionTime,
      ...(!ok && message ? { message } : {}),
      ...(!ok && reason ? { reason } : {}),
      status,
      type,
    };
  });
}

/** Status of a pod bound to a node: its sandbox (IP, unless volumes are pending) and containers per `sandbox`. */
export function sandboxStatus(pod: KubeObject, sandbox: PodSandbox, now: Date): Json {
  const spec: Json = (pod as Json).spec ?? {};
  const previous: Json = (pod as Json).status ?? {};
  const inits: Json[] = spec.initContainers ?? [];
  const mains: Json[] = spec.containers ?? [];
  const initialized = inits.every((c) => isCompleted(sandbox.init.get(c.name)));
  const unready = mains
    .filter((c) => {
      const s = sandbox.main.get(c.name);
      return !(s?.kind === 'running' && s.ready);
    })
    .map((c) => c.name);
  const incomplete = inits.filter((c) => !isCompleted(sandbox.init.get(c.name))).map((c) => c.name);
  // Running once every app container has started at least once (a crash-looping one included).
  const allStarted = mains.every((c) => {
    const s = sandbox.main.get(c.name);
    return (
      s?.kind === 'running' || s?.kind === 'terminated' || sandbox.history.get(c.name)?.last !== undefined
    );
  });
  const readyInput = (type: string): ConditionInput => ({
    type,
    ok: unready.length === 0,
    reason: initialized ? 'ContainersNotReady' : 'ContainersNotInitialized',
    message: initialized
      ? `containers with unready status: [${unready.join(' ')}]`
      : `containers with incomplete status: [${incomplete.join(' ')}]`,
  });
  const status: Json = {
    conditions: conditions(
      previous.conditions ?? [],
      [
        { type: 'PodReadyToStartContainers', ok: sandbox.podIP !== undefined },
        {
          type: 'Initialized',
          ok: initialized,
          reason: 'ContainersNotInitialized',
          message: `containers with incomplete status: [${incomplete.join(' ')}]`,
        },
        readyInput('Ready'),
        readyInput('ContainersReady'),
        { type: 'PodScheduled', ok: true },
      ],
      now,
    ),
    containerStatuses: mains.map((c) =>
      containerStatus(
        c,
        sandbox.main.get(c.name) ??
          (inits.length && !initialized ? { kind: 'waiting', reason: 'PodInitializing' } : undefined),
        sandbox.history.get(c.name),
        false,
      ),
    ),
    hostIP: sandbox.hostIP,
    hostIPs: [{ ip: sandbox.hostIP }],
    ...(inits.length
      ? {
          initContainerStatuses: inits.map((c) =>
            containerStatus(c, sandbox.init.get(c.name), sandbox.history.get(c.name), true),
          ),
        }
      : {}),
    phase: phaseOf(spec, sandbox, allStarted && initialized),
    ...(sandbox.podIP ? { podIP: sandbox.podIP, podIPs: [{ ip: sandbox.podIP }] } : {}),
    qosClass: previous.qosClass,
    startTime: formatTime(sandbox.startTime),
  };
  if (status.qosClass === undefined) delete status.qosClass;
  return status;
}

/**
 * Pending until every app container has started; Succeeded or Failed once every app container (or
 * an init container, under restartPolicy Never) has ended for good; Running otherwise.
 */
function phaseOf(spec: Json, sandbox: PodSandbox, started: boolean): string {
  const ended = (s: ContainerState | undefined) => s?.kind === 'terminated';
  const failedInit = ((spec.initContainers ?? []) as Json[]).some((c) => {
    const s = sandbox.init.get(c.name);
    return s?.kind === 'terminated' && s.exitCode !== 0 && spec.restartPolicy === 'Never';
  });
  if (failedInit) return 'Failed';
  // A container that will be restarted has not ended for good, even between its exit and the
  // restart (getPhase: Always restarts every exit, OnFailure every non-zero one).
  const policy: string = spec.restartPolicy ?? 'Always';
  const final = (s: ContainerState | undefined) =>
    ended(s) && (policy === 'Never' || (policy === 'OnFailure' && (s as Terminated).exitCode === 0));
  const mains: Json[] = spec.containers ?? [];
  if (started && mains.length && mains.every((c) => final(sandbox.main.get(c.name)))) {
    const codes = mains.map((c) => (sandbox.main.get(c.name) as Terminated).exitCode);
    return codes.every((code) => code === 0) ? 'Succeeded' : 'Failed';
  }
  return started ? 'Running' : 'Pending';
}

/** Status of a pod the scheduler has just bound, or failed to. */
export function schedulingStatus(pod: KubeObject, message: string | undefined, now: Date): Json {
  const previous: Json = (pod as Json).status ?? {};
  const [condition] = conditions(
    previous.conditions ?? [],
    [{ type: 'PodScheduled', ok: message === undefined, reason: 'Unschedulable', message }],
    now,
  );
  return { ...previous, phase: 'Pending', conditions: [condition] };
}
