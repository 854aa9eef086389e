// The per-resource event history that watches resume from. A bounded ring: once an event falls
// out of it, a watch asking for a resourceVersion before it gets 410 Gone (reason Expired), as a
// compacted etcd makes a real server answer.
import { errors } from '../api/status';
import { type StoredObject } from '../types';

export interface HistoryEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: StoredObject;
  /** The object before a MODIFIED (selector-filtered watches turn it into ADDED/DELETED). */
  oldObject?: StoredObject;
  resourceVersion: number;
}

export class History {
  private events: HistoryEvent[] = [];
  private start = 0;
  /** Events at or below this version are gone. */
  private compactedThrough = 0;

  constructor(private readonly limit: number) {}

  push(event: HistoryEvent): void {
    this.events.push(event);
    if (this.events.length - this.start > this.limit) {
      this.compactedThrough = this.events[this.start].resourceVersion;
      this.start++;
      // Reclaim the array now and then instead of shifting on every push.
      if (this.start > 1024 && this.start * 2 > this.events.length) {
        this.events = this.events.slice(this.start);
        this.start = 0;
      }
    }
  }

  /** Drops the whole history: every earlier resourceVersion now answers 410 (tests use this). */
  compact(throughVersion: number): void {
    this.events = [];
    this.start = 0;
    this.compactedThrough = Math.max(this.compactedThrough, throughVersion);
  }

  /** Events after `version`, oldest first; 410 if the window no longer reaches back that far. */
  since(version: number): HistoryEvent[] {
    if (version < this.compactedThrough) {
      throw errors.gone(`too old resource version: ${version} (${this.compactedThrough + 1})`);
    }
    const out: HistoryEvent[] = [];
    for (let i = this.events.length - 1; i >= this.start && this.events[i].resourceVersion > version; i--) {
      out.push(this.events[i]);
    }
    return out.reverse();
  }
}
