// The controller's work queue, as controller-runtime's: keys are deduplicated while waiting,
// processed one at a time on a later tick (so a reconcile's own writes never recurse into it),
// and can be requeued after a delay (expiry times, grace periods, retries after an error).

export type ReconcileKind = 'Sandbox' | 'SandboxClaim' | 'SandboxWarmPool';

export interface ReconcileKey {
  kind: ReconcileKind;
  namespace: string;
  name: string;
}

const keyId = (key: ReconcileKey) => `${key.kind}/${key.namespace}/${key.name}`;

export class WorkQueue {
  private readonly pending = new Map<string, ReconcileKey>();
  private readonly delayed = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private immediate: NodeJS.Immediate | undefined;
  private stopped = false;

  constructor(private readonly process: (key: ReconcileKey) => void) {}

  add(key: ReconcileKey): void {
    if (this.stopped) return;
    this.pending.set(keyId(key), key);
    this.immediate ??= setImmediate(() => this.drain());
  }

  /** Adds `key` after `ms`; an earlier pending requeue of the same key wins. */
  addAfter(key: ReconcileKey, ms: number): void {
    if (this.stopped) return;
    const id = keyId(key);
    const at = Date.now() + Math.max(0, ms);
    const existing = this.delayed.get(id);
    if (existing !== undefined && existing.at <= at) return;
    if (existing !== undefined) clearTimeout(existing.timer);
    // setTimeout's 32-bit limit (~24.8 days): far-away deadlines are re-armed when they come due.
    const timer = setTimeout(
      () => {
        this.delayed.delete(id);
        this.add(key);
      },
      Math.min(at - Date.now(), 2 ** 31 - 1),
    );
    this.delayed.set(id, { at, timer });
  }

  stop(): void {
    this.stopped = true;
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    this.pending.clear();
  }

  private drain(): void {
    this.immediate = undefined;
    const batch = [...this.pending.values()];
    this.pending.clear();
    for (const key of batch) {
      if (this.stopped) return;
      this.process(key);
    }
  }
}
