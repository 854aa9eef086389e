// A kubelet for sandbox pods only (pods controlled by a Sandbox): on creation it asks the
// PodRuntime to start the pod, then writes the status a real kubelet would (Running, Ready, pod
// IP, container statuses) or Failed with the runtime's reason. Deletion stops the runtime.
import { formatTime } from '../../store/meta';
import { type KubeStore, type StoreEvent } from '../../store';
import { type StoredObject } from '../../types';
import { PODS, clone } from './meta';
import { type PodRuntime } from './pod-runtime';
import { controllerOf } from '../owners';

export class SandboxKubelet {
  private readonly running = new Map<string, { pod: StoredObject; abort: AbortController }>();

  constructor(
    private readonly store: KubeStore,
    private readonly runtime: PodRuntime,
    private readonly now: () => Date,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Store listener: reacts to pod creations and deletions. */
  observe(event: StoreEvent): void {
    if (event.resource.group !== '' || event.resource.plural !== 'pods') return;
    const pod = event.object;
    if (controllerOf(pod)?.kind !== 'Sandbox') return;
    if (event.type === 'ADDED') this.start(pod);
    else if (event.type === 'DELETED') void this.stop(pod.metadata.uid);
  }

  async close(): Promise<void> {
    await Promise.all([...this.running.keys()].map((uid) => this.stop(uid)));
    await this.runtime.close?.();
  }

  private start(pod: StoredObject): void {
    const abort = new AbortController();
    this.running.set(pod.metadata.uid, { pod, abort });
    this.runtime.start(pod, abort.signal).then(
      ({ podIP }) => this.writeStatus(pod, running(pod, podIP, formatTime(this.now()))),
      (err: unknown) => {
        if (abort.signal.aborted) return;
        const message = err instanceof Error ? err.message : String(err);
        this.writeStatus(pod, { phase: 'Failed', reason: 'StartError', message });
      },
    );
  }

  private async stop(uid: string): Promise<void> {
    const entry = this.running.get(uid);
    if (entry === undefined) return;
    this.running.delete(uid);
    entry.abort.abort();
    try {
      await this.runtime.stop?.(entry.pod);
    } catch (err) {
      this.onError(err);
    }
  }

  private writeStatus(pod: StoredObject, status: Record<string, unknown>): void {
    const current = this.store.find(PODS, pod.metadata.namespace, pod.metadata.name);
    if (current === undefined || current.metadata.uid !== pod.metadata.uid) return;
    const next = clone(current);
    next.status = { ...(current.status as object | undefined), ...status };
    try {
      this.store.update(PODS, next, { subresource: 'status' });
    } catch (err) {
      this.onError(err);
    }
  }
}

function running(pod: StoredObject, podIP: string, now: string): Record<string, unknown> {
  const containers =
    (pod.spec as { containers?: { name: string; image?: string }[] } | undefined)?.containers ?? [];
  const ready = (type: string) => ({ type, status: 'True', lastTransitionTime: now });
  return {
    phase: 'Running',
    podIP,
    podIPs: [{ ip: podIP }],
    hostIP: '10.0.0.10',
    startTime: now,
    conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map(ready),
    containerStatuses: containers.map((c) => ({
      name: c.name,
      image: c.image ?? '',
      imageID: '',
      containerID: `containerd://${pod.metadata.uid.replace(/-/g, '')}`,
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: now } },
    })),
  };
}
