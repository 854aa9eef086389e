// Coalesces concurrent calls with the same key: while one acquisition for a thread runs, every
// other request for that thread waits for the same result instead of starting a second sandbox.
// Across replicas the deterministic object name does the same job (see backends/kubernetes).

export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  get size(): number {
    return this.inFlight.size;
  }

  /** Runs `work` unless a call for `key` is already running; returns `shared: true` to joiners. */
  async run(key: string, work: () => Promise<T>): Promise<{ value: T; shared: boolean }> {
    const running = this.inFlight.get(key);
    if (running !== undefined) return { value: await running, shared: true };
    const started = (async () => work())();
    this.inFlight.set(key, started);
    try {
      return { value: await started, shared: false };
    } finally {
      this.inFlight.delete(key);
    }
  }
}
