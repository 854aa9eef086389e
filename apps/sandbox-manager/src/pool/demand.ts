// How many warm sandboxes to keep, from demand: enough to cover the acquisitions expected while one
// sandbox starts (recent rate x observed start time) on top of the floor, never above the ceiling.
// When several acquisitions are waiting for a start (an alert storm), the pool goes to its ceiling
// and stays there until the storm has been quiet for one window, so the next wave is served warm.

export interface DemandOptions {
  /** Warm sandboxes kept even when nothing is asked for. */
  floor: number;
  /** Most warm sandboxes kept idle; 0 keeps none (every acquisition starts one). */
  ceiling: number;
  /** How far back the acquisition rate looks, and how long burst mode outlasts the last wait. */
  windowMs: number;
  /** Waiting acquisitions that switch on burst mode. */
  burstWaiting: number;
  now?: () => number;
}

/** Start time assumed before one has been observed. */
const INITIAL_START_MS = 1000;
/** Weight of the newest start time in the moving average. */
const START_WEIGHT = 0.3;
/** Acquisition times kept for the rate: beyond this the window's rate is read as saturated. */
const MAX_SAMPLES = 4096;

export type PoolMode = 'steady' | 'burst';

export class Demand {
  private readonly acquisitions: number[] = [];
  private startMs = INITIAL_START_MS;
  private burstUntil = 0;
  private readonly now: () => number;

  constructor(private readonly options: DemandOptions) {
    if (options.floor < 0 || options.ceiling < 0 || options.floor > options.ceiling) {
      throw new Error(`pool floor ${options.floor} must be between 0 and the ceiling ${options.ceiling}`);
    }
    this.now = options.now ?? Date.now;
  }

  get floor(): number {
    return this.options.floor;
  }

  get ceiling(): number {
    return this.options.ceiling;
  }

  /** One acquisition asked for a sandbox (warm or not). */
  recordAcquisition(): void {
    this.acquisitions.push(this.now());
    if (this.acquisitions.length > MAX_SAMPLES) this.acquisitions.shift();
  }

  /** One sandbox took `ms` from launch to ready. */
  recordStart(ms: number): void {
    this.startMs = this.startMs * (1 - START_WEIGHT) + ms * START_WEIGHT;
  }

  /** `waiting` acquisitions are queued for a start right now. */
  observeWaiting(waiting: number): void {
    if (waiting >= this.options.burstWaiting) this.burstUntil = this.now() + this.options.windowMs;
  }

  get mode(): PoolMode {
    return this.now() < this.burstUntil ? 'burst' : 'steady';
  }

  /** The moving average of launch-to-ready, in seconds. */
  startSeconds(): number {
    return this.startMs / 1000;
  }

  /** Acquisitions per second over the window. */
  rate(): number {
    const since = this.now() - this.options.windowMs;
    while (this.acquisitions.length > 0 && this.acquisitions[0]! < since) this.acquisitions.shift();
    return this.acquisitions.length / (this.options.windowMs / 1000);
  }

  /** Warm sandboxes to keep now. */
  desired(): number {
    const { floor, ceiling } = this.options;
    if (this.mode === 'burst') return ceiling;
    // Acquisitions expected while one sandbox starts, to the nearest whole sandbox.
    const expected = Math.round(this.rate() * (this.startMs / 1000));
    return Math.min(ceiling, floor + expected);
  }
}
