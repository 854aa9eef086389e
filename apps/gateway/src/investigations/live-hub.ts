// Fan-out of running investigations' events to the clients following them. While an investigation
// runs, the hub keeps its events in memory (bounded), so a client that joins late or reconnects with
// Last-Event-ID gets everything after its id in order, with no gap between replay and live tail, even
// for events the batching store writer has not flushed yet.
import { type StoredEvent } from '@foxhound/contracts';

export interface LiveSubscriber {
  onEvent(event: StoredEvent): void;
  /** The investigation ended (its last event was delivered) or was evicted from memory. */
  onEnd(): void;
}

interface LiveRun {
  events: StoredEvent[];
  /** Seq of the oldest event dropped from memory to respect the bound; replay before it needs the store. */
  droppedThrough: number;
  subscribers: Set<LiveSubscriber>;
}

export class LiveHub {
  private readonly runs = new Map<string, LiveRun>();

  constructor(private readonly maxEventsPerRun = 20_000) {}

  open(investigationId: string): void {
    this.runs.set(investigationId, { events: [], droppedThrough: 0, subscribers: new Set() });
  }

  isLive(investigationId: string): boolean {
    return this.runs.has(investigationId);
  }

  publish(investigationId: string, event: StoredEvent): void {
    const run = this.runs.get(investigationId);
    if (!run) return;
    run.events.push(event);
    if (run.events.length > this.maxEventsPerRun) {
      const dropped = run.events.shift();
      if (dropped) run.droppedThrough = dropped.seq;
    }
    for (const subscriber of run.subscribers) subscriber.onEvent(event);
  }

  close(investigationId: string): void {
    const run = this.runs.get(investigationId);
    if (!run) return;
    this.runs.delete(investigationId);
    for (const subscriber of run.subscribers) subscriber.onEnd();
  }

  /**
   * Delivers every held event after `afterSeq`, then live events, synchronously in order. Returns
   * undefined when the investigation is not running here, or when the replay would need events the
   * hub no longer holds (the caller replays from the store instead).
   */
  subscribe(investigationId: string, afterSeq: number, subscriber: LiveSubscriber): (() => void) | undefined {
    const run = this.runs.get(investigationId);
    if (!run || afterSeq < run.droppedThrough) return undefined;
    for (const event of run.events) if (event.seq > afterSeq) subscriber.onEvent(event);
    run.subscribers.add(subscriber);
    return () => run.subscribers.delete(subscriber);
  }
}
