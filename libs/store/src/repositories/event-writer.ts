// Persists one investigation's stream without slowing it: `append` hands out the next seq at once (the
// SSE id the client sees) and buffers; batches are written every `maxBatch` events or `flushIntervalMs`,
// and at once for the terminal event. One write at a time, in seq order, each batch one INSERT: whatever
// is stored is always events 1..n with no gap, so replay can never show an event out of order, and a
// crash loses at most what was still buffered. While the database is away the buffer grows up to
// `maxPending` (back-pressure: `waitForRoom`), writes are retried with capped exponential backoff, and
// `close` keeps retrying up to `closeTimeoutMs`; rows are inserted idempotently by seq, so a batch whose
// commit answer was lost is not stored twice.
import { isTerminalEvent, type StoredEvent, type StreamEvent } from '@foxhound/contracts';
import { type Queryable } from '../db/database';
import { StoreInputError, StoreUnavailableError } from '../errors';
import { createEventRepository, insertEvents, MAX_EVENTS_PER_INSERT, type SerializedEvent } from './events';

export interface EventWriterOptions {
  /** Write as soon as this many events wait (1..1000). Default 100. */
  maxBatch?: number;
  /** Write buffered events at most this long after the first of them arrived. Default 50 ms. */
  flushIntervalMs?: number;
  /** Give up persisting (the live stream goes on) when this many events wait on a dead database. Default 10000. */
  maxPending?: number;
  /** Refuse a single event larger than this, serialised. Default 1 MiB. */
  maxEventBytes?: number;
  /** Wait before the first retry after the database was unavailable; doubles up to `maxRetryDelayMs`. Default 500 ms. */
  retryDelayMs?: number;
  /** The longest wait between retries. Default 5000 ms. */
  maxRetryDelayMs?: number;
  /** How long `close` keeps retrying an unavailable database before the tail is lost. Default 0: one attempt. */
  closeTimeoutMs?: number;
  /** Called for every failed write; `fatal` means nothing more will be persisted by this writer. */
  onError?: (err: Error, info: { investigationId: string; pending: number; fatal: boolean }) => void;
}

const DEFAULTS = {
  maxBatch: 100,
  flushIntervalMs: 50,
  maxPending: 10_000,
  maxEventBytes: 1024 * 1024,
  retryDelayMs: 500,
  maxRetryDelayMs: 5000,
  closeTimeoutMs: 0,
  onError: () => undefined,
} satisfies Required<EventWriterOptions>;

export class EventWriter {
  private readonly options: Required<EventWriterOptions>;
  /** Appended, not yet committed; the head may be in flight. */
  private pending: SerializedEvent[] = [];
  private last: number;
  private persisted: number;
  private chain: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private lastError: Error | undefined;
  private fatal: Error | undefined;
  private closed = false;
  /** The wait before the next retry: grows while the database stays away, resets on a write. */
  private delay: number;
  private waiters: { limit: number; resolve: () => void; reject: (err: Error) => void }[] = [];

  constructor(
    private readonly db: Queryable,
    readonly investigationId: string,
    startSeq: number,
    options: EventWriterOptions,
    private readonly onClosed: () => void = () => undefined,
  ) {
    this.options = { ...DEFAULTS, ...options };
    const { maxBatch } = this.options;
    if (!Number.isInteger(maxBatch) || maxBatch < 1 || maxBatch > MAX_EVENTS_PER_INSERT) {
      throw new StoreInputError(`maxBatch must be an integer between 1 and ${MAX_EVENTS_PER_INSERT}`);
    }
    this.last = startSeq;
    this.persisted = startSeq;
    this.delay = this.options.retryDelayMs;
  }

  /** Events appended and not yet committed. */
  get backlog(): number {
    return this.pending.length;
  }

  /**
   * Back-pressure for the producer: resolves once fewer than `limit` events wait to be stored, rejects
   * with the writer's failure if it gives up first.
   */
  waitForRoom(limit: number): Promise<void> {
    if (this.fatal) return Promise.reject(this.fatal);
    if (this.pending.length < limit) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ limit, resolve, reject }));
  }

  /** The seq handed to the most recent append. */
  get lastSeq(): number {
    return this.last;
  }

  /** Every event up to this seq is committed. */
  get persistedSeq(): number {
    return this.persisted;
  }

  /** Set once the writer gave up; appends still get seqs but are no longer stored. */
  get failure(): Error | undefined {
    return this.fatal;
  }

  /** Buffers the event and returns its seq: the SSE `id:` to send with it. Never waits. */
  append(event: StreamEvent): number {
    if (this.closed) throw new StoreInputError(`event writer for ${this.investigationId} is closed`);
    const json = JSON.stringify(event);
    const bytes = Buffer.byteLength(json);
    if (bytes > this.options.maxEventBytes) {
      throw new StoreInputError(
        `${event.type} event of ${bytes} bytes exceeds the ${this.options.maxEventBytes}-byte limit; summarise it first`,
      );
    }
    const seq = ++this.last;
    if (this.fatal) return seq;
    this.pending.push({ seq, type: event.type, json });
    if (this.pending.length > this.options.maxPending) {
      this.giveUp(
        new StoreUnavailableError(
          `event writer for ${this.investigationId} gave up: ${this.pending.length} events could not be stored (the bound is ${this.options.maxPending}) while the database was unavailable`,
          { cause: this.lastError },
        ),
      );
    } else if (this.retryTimer) {
      // Backing off from a failed write: the retry timer writes everything, including this event.
    } else if (isTerminalEvent(event) || this.pending.length >= this.options.maxBatch) {
      this.background();
    } else {
      this.flushTimer ??= setTimeout(() => this.background(), this.options.flushIntervalMs).unref();
    }
    return seq;
  }

  /** Resolves once every event appended before the call is committed; rejects if that failed. */
  async flush(): Promise<void> {
    const target = this.last;
    if (this.persisted >= target) return;
    await this.schedule();
    if (this.persisted < target) {
      throw this.fatal ?? this.lastError ?? new StoreUnavailableError('events were not persisted');
    }
  }

  /**
   * Flushes what is buffered and stops, retrying an unavailable database for up to `closeTimeoutMs`.
   * Rejects if the tail could not be stored (it is then lost).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const deadline = Date.now() + this.options.closeTimeoutMs;
    try {
      for (;;) {
        try {
          await this.flush();
          return;
        } catch (err) {
          const left = deadline - Date.now();
          if (this.fatal || !(err instanceof StoreUnavailableError)) throw err;
          if (left <= 0) {
            if (this.options.closeTimeoutMs === 0) throw err;
            throw new StoreUnavailableError(
              `${this.pending.length} events of ${this.investigationId} could not be stored within ${this.options.closeTimeoutMs} ms`,
              { cause: err },
            );
          }
          await new Promise((resolve) => setTimeout(resolve, Math.min(this.nextDelay(), left)));
        }
      }
    } finally {
      this.stopTimers();
      this.pending = [];
      this.wake();
      this.onClosed();
    }
  }

  /**
   * Events after `afterSeq` for a client that reconnects while the stream is live: what is stored plus
   * what is still buffered, in order. The buffer is copied before the database is read, so an event
   * committed in between is found in one or the other.
   */
  async replay(afterSeq: number): Promise<StoredEvent[]> {
    const buffered = this.pending.filter((e) => e.seq > afterSeq);
    const events = createEventRepository(this.db);
    const stored: StoredEvent[] = [];
    const stopAt = buffered[0]?.seq ?? Number.POSITIVE_INFINITY;
    for (let after = afterSeq; after + 1 < stopAt;) {
      const page = await events.list(this.investigationId, { afterSeq: after, limit: 1000 });
      stored.push(...page.filter((e) => e.seq < stopAt));
      if (page.length < 1000) break;
      after = page[page.length - 1]?.seq ?? after;
    }
    return [...stored, ...buffered.map((e) => ({ seq: e.seq, event: JSON.parse(e.json) as StreamEvent }))];
  }

  /** A write started by a timer or a full batch: failures are reported through onError. */
  private background(): void {
    this.schedule().catch(() => undefined);
  }

  /** Queues one write after the current one; while it has not started, later calls share it. */
  private schedule(): Promise<void> {
    if (this.queued) return this.queued;
    const step = this.chain.then(() => {
      this.queued = undefined;
      return this.writePending();
    });
    this.queued = step;
    this.chain = step.catch(() => undefined);
    return step;
  }

  private async writePending(): Promise<void> {
    this.stopTimers();
    if (this.fatal) throw this.fatal;
    const target = this.last;
    try {
      while (this.pending.length > 0 && (this.pending[0]?.seq ?? Infinity) <= target) {
        const batch = this.pending.slice(0, this.options.maxBatch);
        await insertEvents(this.db, this.investigationId, batch);
        this.pending.splice(0, batch.length);
        this.persisted = batch[batch.length - 1]?.seq ?? this.persisted;
        this.delay = this.options.retryDelayMs;
        this.wake();
      }
      this.lastError = undefined;
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      if (error instanceof StoreUnavailableError) {
        this.lastError = error;
        this.options.onError(error, {
          investigationId: this.investigationId,
          pending: this.pending.length,
          fatal: false,
        });
        if (!this.closed) this.retryTimer = setTimeout(() => this.background(), this.nextDelay()).unref();
      } else {
        // Not transient (another writer took these seqs, the investigation is gone): retrying cannot help.
        this.giveUp(error);
      }
      throw error;
    }
    // Events appended while this write ran: a full batch goes now, a partial one when its timer fires.
    if (this.pending.length >= this.options.maxBatch) this.background();
    else if (this.pending.length > 0 && !this.closed) {
      this.flushTimer = setTimeout(() => this.background(), this.options.flushIntervalMs).unref();
    }
  }

  /** The current backoff, doubling the next one up to the cap. */
  private nextDelay(): number {
    const delay = this.delay;
    this.delay = Math.min(this.delay * 2, this.options.maxRetryDelayMs);
    return delay;
  }

  /** Settles the producers waiting for room: room made, or the writer gave up. */
  private wake(): void {
    this.waiters = this.waiters.filter((w) => {
      if (this.fatal) w.reject(this.fatal);
      else if (this.pending.length < w.limit) w.resolve();
      else return true;
      return false;
    });
  }

  private giveUp(error: Error): void {
    this.fatal = error;
    const pending = this.pending.length;
    this.pending = [];
    this.stopTimers();
    this.wake();
    this.options.onError(error, { investigationId: this.investigationId, pending, fatal: true });
  }

  private stopTimers(): void {
    clearTimeout(this.flushTimer);
    clearTimeout(this.retryTimer);
    this.flushTimer = undefined;
    this.retryTimer = undefined;
  }
}
