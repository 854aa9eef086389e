// Starting a pod's containers on the simulated node, with the kubelet's events: init containers
// run to completion in order, then each container's image is pulled (`Pulling`, `Pulled`, or
// `Container image ... already present on machine`), its configuration generated (env from
// ConfigMaps and Secrets, runAsNonRoot: see config-checks.ts), created and started; an image that
// cannot be pulled leaves its container in ErrImagePull (`Failed`), one that does not parse in
// InvalidImageName, a configuration error in CreateContainerConfigError (`Error: <why>`).
// Containers already running or ended are left alone, so a retry starts only the rest; a command
// the image lacks fails to start (StartError, exit code 128). What a running container does is
// lifecycle.ts.
// Records what happened in the pod's sandbox; the kubelet writes the status.
import { type StoredObject } from '../../types';
import { type EventRecorder } from '../events';
import { containerID, goDuration, imageSize, invalidNameMessage, invalidReference } from './images';
import { isCompleted, type ContainerState, type PodSandbox, type Terminated } from './pod-status';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface StartContext {
  events: EventRecorder;
  now: () => Date;
  /** containerd's error when the simulated registry cannot give `image`; undefined when it can. */
  pullFailure(image: string, pod: StoredObject): string | undefined;
  /** Images already on each node (`node|image`), for IfNotPresent. */
  pulled: Set<string>;
  /** Why the container's configuration cannot be generated (CreateContainerConfigError), if so. */
  configError(pod: StoredObject, container: Json): string | undefined;
  /** The runtime's error when the container's process cannot start (StartError), if so. */
  startError(container: Json): string | undefined;
  /** How many times the container was restarted: its container ID changes with each run. */
  attempt(name: string): number;
}

export interface StartOutcome {
  /** Containers whose pull failed: they go to ImagePullBackOff next. */
  pullFailed: string[];
  /** Containers in CreateContainerConfigError: retried until their configuration is complete. */
  configFailed: string[];
  /** Containers now running: their programs start. */
  started: { name: string; init: boolean }[];
  /** Containers whose process could not start (StartError): the restart policy decides. */
  startFailed: { name: string; init: boolean; state: Terminated }[];
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
    const message = ctx.pullFailure(image, pod);
    if (message) {
      // The event says which image; the container's waiting message is the runtime's error alone.
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
  const configError = ctx.configError(pod, c);
  if (configError) {
    record('Warning', 'Failed', `Error: ${configError}`);
    return { kind: 'waiting', reason: 'CreateContainerConfigError', message: configError };
  }
  record('Normal', 'Created', `Created container ${c.name}`);
  const now = ctx.now();
  const id = containerID(pod.metadata.uid, String(c.name), ctx.attempt(String(c.name)));
  const startError = ctx.startError(c);
  if (startError) {
    record('Warning', 'Failed', `Error: ${startError}`);
    // The process never started: containerd reports the epoch as its start.
    return {
      kind: 'terminated',
      exitCode: 128,
      reason: 'StartError',
      message: startError,
      startedAt: new Date(0),
      finishedAt: now,
      containerID: id,
    };
  }
  record('Normal', 'Started', `Started container ${c.name}`);
  return { kind: 'running', startedAt: now, ready: init || !c.readinessProbe, containerID: id };
}

export function startContainers(ctx: StartContext, pod: StoredObject, sandbox: PodSandbox): StartOutcome {
  const spec: Json = (pod as Json).spec ?? {};
  const node: string = spec.nodeName;
  const outcome: StartOutcome = {
    pullFailed: [],
    configFailed: [],
    started: [],
    startFailed: [],
  };
  const note = (name: string, state: ContainerState, init: boolean) => {
    if (state.kind === 'running') outcome.started.push({ name, init });
    if (state.kind === 'terminated') outcome.startFailed.push({ name, init, state });
    if (state.kind !== 'waiting') return;
    if (state.reason === 'ErrImagePull') outcome.pullFailed.push(name);
    if (state.reason === 'CreateContainerConfigError') outcome.configFailed.push(name);
  };
  for (const c of (spec.initContainers ?? []) as Json[]) {
    const before = sandbox.init.get(c.name);
    const sidecar = c.restartPolicy === 'Always';
    if (isCompleted(before) || (sidecar && before?.kind === 'running')) continue;
    // Init containers run one at a time: a running or failed one holds the rest back.
    if (before && before.kind !== 'waiting') return outcome;
    const state = startOne(ctx, pod, node, c, true);
    sandbox.init.set(c.name, state);
    note(c.name, state, true);
    if (!(sidecar && state.kind === 'running')) return outcome;
  }
  for (const c of (spec.containers ?? []) as Json[]) {
    const before = sandbox.main.get(c.name);
    if (before && before.kind !== 'waiting') continue;
    const state = startOne(ctx, pod, node, c, false);
    sandbox.main.set(c.name, state);
    note(c.name, state, false);
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
