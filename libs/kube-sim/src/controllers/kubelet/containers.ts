// Starting a pod's containers on the simulated node, with the kubelet's events: init containers
// run to completion in order, then each container's image is pulled (`Pulling`, `Pulled`, or
// `Container image ... already present on machine`), created and started; an image that cannot be
// pulled leaves its container in ErrImagePull (`Failed`), one that does not parse in
// InvalidImageName. Records what happened in the pod's sandbox; the kubelet writes the status.
import { type StoredObject } from '../../types';
import { type EventRecorder } from '../events';
import {
  containerID,
  goDuration,
  imageSize,
  invalidNameMessage,
  invalidReference,
  pullError,
} from './images';
import { type ContainerState, type PodSandbox } from './pod-status';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface StartContext {
  events: EventRecorder;
  now: () => Date;
  /** Whether the simulated registry lacks `image`. */
  isMissing(image: string, pod: StoredObject): boolean;
  /** Images already on each node (`node|image`), for IfNotPresent. */
  pulled: Set<string>;
}

export interface StartOutcome {
  /** Containers running but waiting for their readiness probe. */
  awaitingReady: string[];
  /** Containers whose pull failed: they go to ImagePullBackOff next. */
  pullFailed: string[];
}

/** Pulls, creates and starts one container; returns its new state. */
function startOne(
  ctx: StartContext,
  pod: StoredObject,
  node: string,
  c: Json,
  init: boolean,
): ContainerState {
  const image = String(c.image ?? '');
  const fieldPath = `${init ? 'spec.initContainers' : 'spec.containers'}{${c.name}}`;
  const record = (type: 'Normal' | 'Warning', reason: string, message: string) =>
    ctx.events.record(pod, type, reason, message, { fieldPath });
  const invalid = invalidReference(image);
  if (invalid) {
    const message = invalidNameMessage(image, invalid);
    record('Warning', 'InspectFailed', message);
    record('Warning', 'Failed', 'Error: InvalidImageName');
    return { kind: 'waiting', reason: 'InvalidImageName', message };
  }
  const key = `${node}|${image}`;
  const policy = c.imagePullPolicy ?? 'IfNotPresent';
  if (policy !== 'Always' && ctx.pulled.has(key)) {
    record('Normal', 'Pulled', `Container image "${image}" already present on machine`);
  } else {
    record('Normal', 'Pulling', `Pulling image "${image}"`);
    if (ctx.isMissing(image, pod)) {
      // The event says which image; the container's waiting message is the runtime's error alone.
      const message = pullError(image);
      record('Warning', 'Failed', `Failed to pull image "${image}": ${message}`);
      record('Warning', 'Failed', 'Error: ErrImagePull');
      return { kind: 'waiting', reason: 'ErrImagePull', message };
    }
    const took = goDuration(400 + (imageSize(image) % 3000));
    record(
      'Normal',
      'Pulled',
      `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${imageSize(image)} bytes.`,
    );
    ctx.pulled.add(key);
  }
  record('Normal', 'Created', `Created container ${c.name}`);
  record('Normal', 'Started', `Started container ${c.name}`);
  const now = ctx.now();
  const id = containerID(pod.metadata.uid, String(c.name), 0);
  if (init && c.restartPolicy !== 'Always')
    return { kind: 'completed', startedAt: now, finishedAt: now, containerID: id };
  return { kind: 'running', startedAt: now, ready: !c.readinessProbe, containerID: id };
}

export function startContainers(ctx: StartContext, pod: StoredObject, sandbox: PodSandbox): StartOutcome {
  const spec: Json = (pod as Json).spec ?? {};
  const node: string = spec.nodeName;
  const outcome: StartOutcome = { awaitingReady: [], pullFailed: [] };
  for (const c of (spec.initContainers ?? []) as Json[]) {
    const state = startOne(ctx, pod, node, c, true);
    sandbox.init.set(c.name, state);
    if (state.kind === 'waiting') {
      if (state.reason === 'ErrImagePull') outcome.pullFailed.push(c.name);
      return outcome; // later init containers and the app containers wait for this one
    }
  }
  for (const c of (spec.containers ?? []) as Json[]) {
    const state = startOne(ctx, pod, node, c, false);
    sandbox.main.set(c.name, state);
    if (state.kind === 'waiting' && state.reason === 'ErrImagePull') outcome.pullFailed.push(c.name);
    if (state.kind === 'running' && !state.ready) outcome.awaitingReady.push(c.name);
  }
  return outcome;
}

/** ErrImagePull → ImagePullBackOff, with the kubelet's BackOff and Failed events. */
export function backOffPulls(
  ctx: StartContext,
  pod: StoredObject,
  sandbox: PodSandbox,
  names: string[],
): void {
  const spec: Json = (pod as Json).spec ?? {};
  for (const name of names) {
    const init = sandbox.init.has(name);
    const c = ((init ? spec.initContainers : spec.containers) ?? []).find((x: Json) => x.name === name);
    if (!c) continue;
    const fieldPath = `${init ? 'spec.initContainers' : 'spec.containers'}{${name}}`;
    const message = `Back-off pulling image "${c.image}"`;
    ctx.events.record(pod, 'Normal', 'BackOff', message, { fieldPath });
    ctx.events.record(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff', { fieldPath });
    (init ? sandbox.init : sandbox.main).set(name, { kind: 'waiting', reason: 'ImagePullBackOff', message });
  }
}
