// Tracks what a graceful shutdown must wait for: in-flight requests and long-lived streams. SIGTERM
// flips `draining` (readiness goes 503 so the load balancer stops sending), then the server waits
// for the count to reach zero or the deadline, whichever comes first.
import { EventEmitter } from 'node:events';

export class DrainController {
  private active = 0;
  private isDraining = false;
  private readonly events = new EventEmitter();

  get draining(): boolean {
    return this.isDraining;
  }

  get inFlight(): number {
    return this.active;
  }

  /** Counts a request, stream or upgraded socket until `release` is called (idempotent). */
  track(): () => void {
    this.active += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= 1;
      if (this.active === 0) this.events.emit('idle');
    };
  }

  /** Registers a callback run when draining starts, e.g. to tell a stream to finish soon. */
  onDrain(listener: () => void): () => void {
    this.events.on('drain', listener);
    return () => this.events.off('drain', listener);
  }

  /** Starts draining and resolves when nothing is in flight or `deadlineMs` passed; true if idle. */
  async drain(deadlineMs: number): Promise<boolean> {
    if (!this.isDraining) {
      this.isDraining = true;
      this.events.emit('drain');
    }
    if (this.active === 0) return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.events.off('idle', onIdle);
        resolve(false);
      }, deadlineMs);
      const onIdle = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.events.once('idle', onIdle);
    });
  }
}
