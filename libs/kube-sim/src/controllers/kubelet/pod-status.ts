// Pod status as the kubelet reports it, built from what the simulated kubelet knows about each
// container: containerStatuses (waiting ContainerCreating / ErrImagePull / ImagePullBackOff /
// InvalidImageName, running, init containers terminated Completed), conditions in the kubelet's
// order (PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled) keeping
// their transition times while unchanged, phase, IPs and startTime. Pure.
import { formatTime } from '../../store/meta';
import { type KubeObject } from '../../types';
import { imageID, normalizeImage } from './images';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type ContainerState =
  | { kind: 'waiting'; reason: string; message?: string }
  | { kind: 'running'; startedAt: Date; ready: boolean; containerID: string }
  | { kind: 'completed'; startedAt: Date; finishedAt: Date; containerID: string };

/** What the node knows of a pod once it is admitted: addresses and each container's state. */
export interface PodSandbox {
  hostIP: string;
  /** Unset while the pod's volumes cannot be mounted: no sandbox, no address yet. */
  podIP?: string;
  startTime: Date;
  init: Map<string, ContainerState>;
  main: Map<string, ContainerState>;
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

function containerStatus(container: Json, state: ContainerState | undefined): Json {
  const image = String(container.image ?? '');
  const base = { name: container.name, lastState: {}, restartCount: 0 };
  if (!state || state.kind === 'waiting') {
    const waiting: { reason: string; message?: string } = state ?? { reason: 'ContainerCreating' };
    return {
      ...base,
      image,
      imageID: '',
      ready: false,
      started: false,
      state: {
        waiting: { reason: waiting.reason, ...(waiting.message ? { message: waiting.message } : {}) },
      },
    };
  }
  const running = {
    ...base,
    containerID: state.containerID,
    image: normalizeImage(image),
    imageID: imageID(image),
    ...(mounts(container) ? { volumeMounts: mounts(container) } : {}),
  };
  if (state.kind === 'running') {
    return {
      ...running,
      ready: state.ready,
      started: true,
      state: { running: { startedAt: formatTime(state.startedAt) } },
    };
  }
  return {
    ...running,
    ready: true,
    started: false,
    state: {
      terminated: {
        containerID: state.containerID,
        exitCode: 0,
        finishedAt: formatTime(state.finishedAt),
        reason: 'Completed',
        startedAt: formatTime(state.startedAt),
      },
    },
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
  const initialized = inits.every((c) => sandbox.init.get(c.name)?.kind === 'completed');
  const unready = mains
    .filter((c) => {
      const s = sandbox.main.get(c.name);
      return !(s?.kind === 'running' && s.ready);
    })
    .map((c) => c.name);
  const incomplete = inits.filter((c) => sandbox.init.get(c.name)?.kind !== 'completed').map((c) => c.name);
  const allStarted = mains.every((c) => sandbox.main.get(c.name)?.kind === 'running');
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
      ),
    ),
    hostIP: sandbox.hostIP,
    hostIPs: [{ ip: sandbox.hostIP }],
    ...(inits.length
      ? { initContainerStatuses: inits.map((c) => containerStatus(c, sandbox.init.get(c.name))) }
      : {}),
    phase: allStarted && initialized ? 'Running' : 'Pending',
    ...(sandbox.podIP ? { podIP: sandbox.podIP, podIPs: [{ ip: sandbox.podIP }] } : {}),
    qosClass: previous.qosClass,
    startTime: formatTime(sandbox.startTime),
  };
  if (status.qosClass === undefined) delete status.qosClass;
  return status;
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
