// The kubelet (and scheduler) simulation. Pods created through the API with no status yet are
// scheduled to a node (`spec.nodeName`, PodScheduled, the scheduler's `Scheduled` event, or
// `FailedScheduling` and a retry), get a sandbox and an IP (from the pod runtime, or the node's
// range) and then their containers start: Running and Ready after configurable delays, or stuck
// in ErrImagePull → ImagePullBackOff when the image cannot be pulled. Pods loaded from a scenario
// are never touched (they keep the status they were captured with), nor are Sandbox pods, which
// the agent-sandbox controller's own kubelet runs.
import { type LogStore } from '../../logs/log-store';
import { type KubeStore, type StoreEvent } from '../../store';
import { type KubeObject, type StoredObject } from '../../types';
import { ApiWriteTracker } from '../api-writes';
import { type Controller } from '../controller';
import { EventRecorder } from '../events';
import { isTerminalPod } from '../quota/pod-resources';
import { containerConfigError, volumeMountError, type ObjectLookup } from './config-checks';
import { backOffPulls, startContainers, type StartContext } from './containers';
import { ContainerLifecycle } from './lifecycle';
import { containerProgram } from './runtime/behaviour';
import { isStartFailure } from './runtime/program';
import { catalogPullError, notFound, runsAsRoot } from './image-catalog';
import { annotatedMissing, learnMissingImages, normalizeImage } from './images';
import { defaultNode } from './node';
import { allocatePodIP, nodeInternalIP, type KubeletPodRuntime } from './pod-network';
import { sandboxStatus, schedulingStatus, type PodSandbox } from './pod-status';
import { schedule } from './scheduler';
import { CLASSES, waitsForConsumer } from '../storage/classes';
import { controllerOf } from '../owners';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface KubeletOptions {
  /** From binding to the pod's sandbox (IP), and again from there to its containers (default 250 ms each). */
  startDelayMs?: number;
  /** Further time before a container's first readiness probe, after its initialDelaySeconds (default 250 ms). */
  readyDelayMs?: number;
  /** How long a failed pull shows ErrImagePull before it turns into ImagePullBackOff (default 1 s). */
  imagePullBackOffMs?: number;
  /**
   * First retry of a failed pull (default 10 s, the kubelet's image back-off), doubling to 30 times
   * that (5 min); each retry pulls again: ErrImagePull, then ImagePullBackOff until the next.
   */
  imagePullRetryMs?: number;
  /** First retry of an unschedulable pod or a failed sandbox (default 1 s), doubling to 60 s. */
  retryMs?: number;
  /**
   * Image references the simulated registry does not have. Besides these, images a pod annotated
   * `kube-sim.foxhound.dev/fail-image` names, and any image a pod was seen stuck pulling.
   */
  missingImages?: string[] | ((image: string, pod: StoredObject) => boolean);
  /**
   * Real milliseconds per simulated second for declared-behaviour containers: their sleeps, the
   * restart back-off (10 s doubling to 5 min). Default 1000; tests shrink it.
   */
  msPerSecond?: number;
  /** Runs pods for real, e.g. as processes on loopback addresses (see KubeletPodRuntime). */
  podRuntime?: KubeletPodRuntime;
  /** The Node registered when a pod needs one and the cluster has none (default `kube-sim-worker`). */
  nodeName?: string;
  onError?: (error: unknown) => void;
}

interface PodRun {
  uid: string;
  namespace: string;
  name: string;
  timers: Set<NodeJS.Timeout>;
  /** The containers' programs and restarts, with their own timers (cleared only when the pod goes). */
  lifecycle: ContainerLifecycle;
  processTimers: Set<NodeJS.Timeout>;
  sandbox?: PodSandbox;
  /** Set once the pod runtime was asked to start the pod. */
  abort?: AbortController;
  attempts: number;
  /** Consecutive failed pulls, for the image back-off. */
  pullAttempts: number;
  unschedulable: boolean;
  /** Waiting for a ConfigMap or Secret: to mount volumes, or to create containers. */
  awaitingConfig?: 'mount' | 'containers';
}

export function kubelet(options: KubeletOptions = {}): Controller {
  const startDelay = options.startDelayMs ?? 250;
  const readyDelay = options.readyDelayMs ?? 250;
  const backOffDelay = options.imagePullBackOffMs ?? 1000;
  const pullRetryBase = options.imagePullRetryMs ?? 10_000;
  const retryBase = options.retryMs ?? 1000;
  const runtime = options.podRuntime;
  const onError =
    options.onError ??
    ((error: unknown) =>
      process.emitWarning(
        `kube-sim kubelet: ${(error as Error)?.message ?? String(error)}`,
        'KubeSimWarning',
      ));
  const msPerSecond = options.msPerSecond ?? 1000;
  const tracker = new ApiWriteTracker();
  const runs = new Map<string, PodRun>();
  let logs: LogStore;
  const pulled = new Set<string>();
  /** Images some pod was seen stuck pulling: the simulated registry does not have them. */
  const knownMissing = new Set<string>();
  /** Pod runtime starts in flight: stop() waits for them, so nothing they start outlives the sim. */
  const starting = new Set<Promise<unknown>>();
  const recorders = new Map<string, EventRecorder>();
  let store: KubeStore;
  let scheduler: EventRecorder;
  let unsubscribe: (() => void) | undefined;
  let stopped = false;

  const eventsOn = (node: string) => {
    let r = recorders.get(node);
    if (!r)
      recorders.set(node, (r = new EventRecorder(store, { component: 'kubelet', host: node }, onError)));
    return r;
  };
  const later = (run: PodRun, ms: number, step: (run: PodRun) => void | Promise<void>) => {
    const timer = setTimeout(() => {
      run.timers.delete(timer);
      if (stopped || runs.get(run.uid) !== run) return;
      Promise.resolve()
        .then(() => step(run))
        .catch(onError);
    }, ms);
    run.timers.add(timer);
  };
  const backoff = (run: PodRun) => Math.min(60_000, retryBase * 2 ** run.attempts++);
  const current = (run: PodRun): StoredObject | undefined => {
    const pod = store.find('pods', run.namespace, run.name);
    return pod?.metadata.uid === run.uid && !pod.metadata.deletionTimestamp ? pod : undefined;
  };
  const writeStatus = (pod: StoredObject, status: Json) =>
    store.update('pods', { ...pod, status } as KubeObject, { subresource: 'status' });
  const pullFailure = (image: string, pod: StoredObject): string | undefined => {
    const m = options.missingImages;
    const missing = typeof m === 'function' ? m(image, pod) : (m ?? []).includes(image);
    if (missing || annotatedMissing(pod, image) || knownMissing.has(normalizeImage(image)))
      return notFound(normalizeImage(image));
    return catalogPullError(image);
  };
  const lookupIn =
    (namespace: string): ObjectLookup =>
    (kind, name) =>
      store.find(kind, namespace, name);
  const startContext = (node: string, run: PodRun): StartContext => ({
    events: eventsOn(node),
    now: () => store.now(),
    pullFailure,
    pulled,
    startError: (c) => {
      const program = containerProgram(c);
      return isStartFailure(program) ? program.startError : undefined;
    },
    attempt: (name) => run.sandbox?.history.get(name)?.restartCount ?? 0,
    configError: (pod, c) =>
      containerConfigError(pod, c, lookupIn(pod.metadata.namespace ?? ''), (image) => runsAsRoot(image)),
  });

  /** The container runtime of one pod: programs on the run's own timers, status written back. */
  const lifecycleOf = (run: PodRun) =>
    new ContainerLifecycle({
      logs,
      msPerSecond,
      readyDelayMs: readyDelay,
      now: () => store.now(),
      later: (ms, fn) => {
        const timer = setTimeout(() => {
          run.processTimers.delete(timer);
          if (!stopped && runs.get(run.uid) === run) fn();
        }, ms);
        run.processTimers.add(timer);
      },
      current: () => current(run),
      sandbox: () => run.sandbox,
      events: () => eventsOn((current(run) as Json).spec.nodeName),
      lookup: lookupIn(run.namespace),
      publish: () => {
        const pod = current(run);
        if (pod && run.sandbox) writeStatus(pod, sandboxStatus(pod, run.sandbox, store.now()));
      },
      startPending: () => runContainers(run),
    });

  /** The scheduler's part: pick a node and bind, or say why none fits and try again later. */
  const bind = (run: PodRun) => {
    const pod = current(run);
    if (!pod) return;
    if ((pod as Json).spec?.nodeName) return later(run, startDelay, createSandbox);
    if (store.list('nodes', { limit: 1 }).items.length === 0)
      store.create('nodes', defaultNode(options.nodeName ?? 'kube-sim-worker'));
    const podsOn = (node: string) =>
      store
        .list('pods', { fieldSelector: `spec.nodeName=${node}` })
        .items.filter((p) => !isTerminalPod(p) && p.metadata.uid !== run.uid);
    const claim = (name: string) => store.find('persistentvolumeclaims', run.namespace, name);
    const namespaceLabels = (ns: string) => store.find('namespaces', undefined, ns)?.metadata.labels;
    const delayed = (c: KubeObject) =>
      waitsForConsumer(store.find(CLASSES, undefined, (c as Json).spec?.storageClassName ?? ''));
    const result = schedule(pod, store.list('nodes').items, podsOn, claim, namespaceLabels, delayed);
    if ('message' in result) {
      writeStatus(pod, schedulingStatus(pod, result.message, store.now()));
      scheduler.record(pod, 'Warning', 'FailedScheduling', result.message, { action: 'Scheduling' });
      run.unschedulable = true;
      return later(run, backoff(run), bind);
    }
    run.unschedulable = false;
    run.attempts = 0;
    const node = result.node.metadata.name;
    const bound = store.update('pods', {
      ...pod,
      spec: { ...(pod as Json).spec, nodeName: node },
    } as KubeObject);
    writeStatus(bound, schedulingStatus(bound, undefined, store.now()));
    scheduler.record(
      bound,
      'Normal',
      'Scheduled',
      `Successfully assigned ${run.namespace}/${run.name} to ${node}`,
      {
        action: 'Binding',
      },
    );
    later(run, startDelay, createSandbox);
    // A pod placed may be what another pod's affinity waits for (the scheduler requeues on pod adds).
    retryUnschedulable();
  };

  /** The pod's volumes, then its sandbox: its IP from the pod runtime or the node's range. */
  const createSandbox = async (run: PodRun) => {
    const pod = current(run);
    const node = pod && store.find('nodes', undefined, (pod as Json).spec.nodeName);
    if (!pod || !node) return;
    const mountError = volumeMountError(pod, lookupIn(run.namespace));
    if (mountError) {
      // Volumes are set up before the sandbox: no IP, every container ContainerCreating.
      eventsOn(node.metadata.name).record(pod, 'Warning', 'FailedMount', mountError);
      run.sandbox ??= {
        hostIP: nodeInternalIP(node) ?? '',
        startTime: store.now(),
        init: new Map(),
        main: new Map(),
        history: new Map(),
      };
      writeStatus(pod, sandboxStatus(pod, run.sandbox, store.now()));
      run.awaitingConfig = 'mount';
      return later(run, backoff(run), createSandbox);
    }
    run.awaitingConfig = undefined;
    let podIP: string | undefined;
    try {
      if (runtime) {
        const abort = (run.abort = new AbortController());
        const pending = runtime.start(pod, abort.signal);
        starting.add(pending);
        podIP = (await pending.finally(() => starting.delete(pending))).podIP;
        if (abort.signal.aborted || !current(run)) return;
      }
      const inUse = new Set(
        store
          .list('pods')
          .items.map((p) => (p as Json).status?.podIP)
          .filter(Boolean),
      );
      for (const n of store.list('nodes').items) inUse.add(nodeInternalIP(n));
      podIP ??= allocatePodIP(node, inUse);
      if (!podIP)
        throw new Error(
          `failed to assign an IP address to container: no free address on ${node.metadata.name}`,
        );
    } catch (err) {
      if (run.abort?.signal.aborted || !current(run)) return;
      const message = `Failed to create pod sandbox: ${(err as Error).message}`;
      eventsOn(node.metadata.name).record(pod, 'Warning', 'FailedCreatePodSandBox', message);
      return later(run, backoff(run), createSandbox);
    }
    const now = store.now();
    run.attempts = 0;
    run.sandbox = {
      hostIP: nodeInternalIP(node) ?? podIP,
      podIP,
      startTime: run.sandbox?.startTime ?? now,
      init: new Map(),
      main: new Map(),
      history: new Map(),
    };
    writeStatus(current(run)!, sandboxStatus(current(run)!, run.sandbox, now));
    later(run, startDelay, runContainers);
  };

  const runContainers = (run: PodRun) => {
    const pod = current(run);
    if (!pod || !run.sandbox) return;
    const outcome = startContainers(startContext((pod as Json).spec.nodeName, run), pod, run.sandbox);
    writeStatus(pod, sandboxStatus(pod, run.sandbox, store.now()));
    const spec: Json = (pod as Json).spec;
    const container = (name: string, init: boolean): Json =>
      ((init ? spec.initContainers : spec.containers) as Json[]).find((c) => c.name === name)!;
    for (const { name, init } of outcome.started) run.lifecycle.spawn(container(name, init), init);
    for (const { name, init, state } of outcome.startFailed)
      run.lifecycle.afterExit(container(name, init), init, state);
    if (outcome.pullFailed.length) later(run, backOffDelay, (r) => backOff(r, outcome.pullFailed));
    run.awaitingConfig = outcome.configFailed.length ? 'containers' : undefined;
    if (run.awaitingConfig) later(run, backoff(run), runContainers);
    else run.attempts = 0;
  };

  const backOff = (run: PodRun, names: string[]) => {
    const pod = current(run);
    if (!pod || !run.sandbox) return;
    backOffPulls(startContext((pod as Json).spec.nodeName, run), pod, run.sandbox, names);
    writeStatus(pod, sandboxStatus(pod, run.sandbox, store.now()));
    later(run, Math.min(pullRetryBase * 30, pullRetryBase * 2 ** run.pullAttempts++), runContainers);
  };

  /** A container's image changed in the spec while it waits: the kubelet pulls the new one now. */
  const imagesChanged = (run: PodRun, pod: Json, old: Json) => {
    if (!run.sandbox) return;
    const before = new Map<string, string>(
      [...(old.spec?.initContainers ?? []), ...(old.spec?.containers ?? [])].map((c: Json) => [
        c.name,
        c.image,
      ]),
    );
    let changed = false;
    for (const [list, states] of [
      [pod.spec?.initContainers ?? [], run.sandbox.init],
      [pod.spec?.containers ?? [], run.sandbox.main],
    ] as const) {
      for (const c of list as Json[]) {
        if (before.get(c.name) === c.image || states.get(c.name)?.kind !== 'waiting') continue;
        states.delete(c.name);
        changed = true;
      }
    }
    if (!changed) return;
    for (const t of run.timers) clearTimeout(t);
    run.timers.clear();
    run.pullAttempts = 0;
    later(run, 0, runContainers);
  };

  /** The pod is gone (or the kubelet stops): timers, `Killing` events, and the runtime's stop. */
  const forget = async (run: PodRun, pod?: StoredObject) => {
    for (const t of [...run.timers, ...run.processTimers]) clearTimeout(t);
    run.timers.clear();
    run.processTimers.clear();
    run.lifecycle.stopAll();
    runs.delete(run.uid);
    const node = (pod as Json | undefined)?.spec?.nodeName;
    for (const [name, s] of run.sandbox?.main ?? []) {
      if (pod && node && s.kind === 'running') {
        eventsOn(node).record(pod, 'Normal', 'Killing', `Stopping container ${name}`, {
          fieldPath: `spec.containers{${name}}`,
        });
      }
    }
    if (!run.abort) return;
    run.abort.abort();
    const stub = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { uid: run.uid, name: run.name, namespace: run.namespace },
    };
    await runtime?.stop?.(pod ?? (stub as StoredObject));
  };

  /** A ConfigMap or Secret changed: pods waiting for one in its namespace try again now. */
  const retryAwaitingConfig = (namespace: string) => {
    for (const run of runs.values()) {
      if (!run.awaitingConfig || run.namespace !== namespace) continue;
      for (const t of run.timers) clearTimeout(t);
      run.timers.clear();
      later(run, 0, run.awaitingConfig === 'mount' ? createSandbox : runContainers);
    }
  };

  const retryUnschedulable = () => {
    for (const run of runs.values()) {
      if (!run.unschedulable) continue;
      run.unschedulable = false;
      for (const t of run.timers) clearTimeout(t);
      run.timers.clear();
      later(run, 0, bind);
    }
  };

  const onChange = (e: StoreEvent) => {
    if (e.resource.group !== '') return;
    if (e.resource.plural === 'nodes' && e.type !== 'DELETED') return retryUnschedulable();
    // A claim just bound may be what an unschedulable pod waits for.
    if (e.resource.plural === 'persistentvolumeclaims') {
      const bound = (o?: Json) => o?.status?.phase === 'Bound';
      if (bound(e.object as Json) && !bound(e.oldObject as Json | undefined)) retryUnschedulable();
      return;
    }
    if (e.resource.plural === 'configmaps' || e.resource.plural === 'secrets') {
      if (e.type !== 'DELETED' && tracker.isApiChange(e)) retryAwaitingConfig(e.object.metadata.namespace!);
      return;
    }
    if (e.resource.plural !== 'pods') return;
    const pod = e.object as Json;
    learnMissingImages(e.object, knownMissing);
    if (e.type === 'DELETED') {
      const run = runs.get(pod.metadata.uid);
      if (run) forget(run, e.object).catch(onError);
      if (tracker.isApiChange(e)) retryUnschedulable();
      return;
    }
    if (e.type === 'MODIFIED' && e.oldObject && tracker.isApiChange(e)) {
      const run = runs.get(pod.metadata.uid);
      if (run) imagesChanged(run, pod, e.oldObject as Json);
      return;
    }
    if (e.type !== 'ADDED' || !tracker.isApiChange(e) || pod.status?.containerStatuses) return;
    if (isTerminalPod(e.object) || controllerOf(e.object)?.kind === 'Sandbox') return;
    const run: PodRun = {
      uid: pod.metadata.uid,
      namespace: pod.metadata.namespace,
      name: pod.metadata.name,
      timers: new Set(),
      processTimers: new Set(),
      lifecycle: undefined as unknown as ContainerLifecycle,
      attempts: 0,
      pullAttempts: 0,
      unschedulable: false,
    };
    run.lifecycle = lifecycleOf(run);
    runs.set(run.uid, run);
    later(run, 0, bind);
  };

  return {
    name: 'kubelet',
    start(host) {
      store = host.store;
      logs = host.logs;
      stopped = false;
      tracker.attach(store);
      scheduler = new EventRecorder(
        store,
        { component: 'default-scheduler', style: 'events.k8s.io', instance: 'default-scheduler-kube-sim' },
        onError,
      );
      for (const pod of store.list('pods').items) learnMissingImages(pod, knownMissing);
      unsubscribe = store.subscribe(onChange);
    },
    async stop() {
      stopped = true;
      unsubscribe?.();
      tracker.stop();
      await Promise.all([...runs.values()].map((run) => forget(run)));
      await Promise.allSettled([...starting]);
      await runtime?.close?.();
    },
  };
}
