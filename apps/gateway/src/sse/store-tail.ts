// Tails an investigation that runs in another replica (or that nobody runs any more) from the store.
// The store's notices (PostgreSQL LISTEN/NOTIFY on every commit of events, from any replica) wake the
// tail, which then reads what is new; nothing polls. A slow check every `checkMs` remains for the one
// case a notice cannot announce: an investigation ended without a stored terminal event (its store
// writes gave up), which only its status shows.
import { isTerminalEvent, type StoredEvent } from '@foxhound/contracts';
import { type Logger } from '@foxhound/service-kit';
import { type EventFeedHandlers, type Listener } from '@foxhound/store';

export interface EventNoticePort {
  listenEvents(handlers: EventFeedHandlers): Promise<Listener>;
}

/** One follower's view of the notices: set when its investigation changed since it last read. */
export class TailWatch {
  private dirty = false;
  private wake: (() => void) | undefined;

  constructor(private readonly detach: () => void) {}

  notify(): void {
    this.dirty = true;
    this.wake?.();
  }

  /** Resolves at once if a notice came since the last wait, else at the next one or after `maxMs`. */
  async wait(maxMs: number): Promise<void> {
    if (!this.dirty) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        timer = setTimeout(resolve, maxMs);
      });
      clearTimeout(timer);
      this.wake = undefined;
    }
    this.dirty = false;
  }

  close(): void {
    this.detach();
    this.wake?.();
  }
}

export class StoreTail {
  private readonly watches = new Map<string, Set<TailWatch>>();
  private listener: Listener | undefined;
  private retry: NodeJS.Timeout | undefined;
  private listening = false;
  private stopped = false;

  constructor(
    private readonly source: EventNoticePort,
    private readonly logger: Logger,
    private readonly retryMs = 2_000,
  ) {}

  /**
   * Listens from the first watch on, retrying in the background until the store answers (until then,
   * and whenever the listener is away, tails fall back to their slow status check). Once it listens,
   * every tail reads again, since notices before that moment were not heard.
   */
  private listen(): void {
    if (this.listening || this.stopped) return;
    this.listening = true;
    const attempt = (): void => {
      this.source
        .listenEvents({
          onEvents: ({ investigationId }) => this.watches.get(investigationId)?.forEach((w) => w.notify()),
          onResync: () => {
            this.logger.info({ followed: this.watches.size }, 'store notices resumed; tails read again');
            this.notifyAll();
          },
        })
        .then(async (listener) => {
          if (this.stopped) {
            await listener.close();
            return;
          }
          this.listener = listener;
          this.notifyAll();
        })
        .catch((err: unknown) => {
          this.logger.error({ err }, 'cannot listen for store notices; retrying');
          if (this.stopped) return;
          this.retry = setTimeout(attempt, this.retryMs);
          this.retry.unref();
        });
    };
    attempt();
  }

  /** Stops listening for good (shutdown); tails still open fall back to their status check. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.listener?.close();
    this.listener = undefined;
    this.notifyAll();
  }

  private notifyAll(): void {
    this.watches.forEach((set) => set.forEach((w) => w.notify()));
  }

  /** Starts collecting notices for `investigationId`; take it before the first read so none is missed. */
  watch(investigationId: string): TailWatch {
    this.listen();
    const set = this.watches.get(investigationId) ?? new Set<TailWatch>();
    this.watches.set(investigationId, set);
    const watch = new TailWatch(() => {
      set.delete(watch);
      if (set.size === 0 && this.watches.get(investigationId) === set) this.watches.delete(investigationId);
    });
    set.add(watch);
    return watch;
  }
}

export interface TailSource {
  list(id: string, afterSeq: number): Promise<StoredEvent[]>;
  /** The investigation's status, or undefined when it does not exist. */
  status(id: string): Promise<string | undefined>;
  /** True once the investigation runs in this replica (it moved here): the tail ends there. */
  isLive(id: string): boolean;
}

/**
 * Sends what the store holds after `afterSeq`, then, while the investigation runs elsewhere, what
 * each notice announces, until its terminal event, its end, the client leaving, or it moving here.
 */
export async function tailFromStore(options: {
  id: string;
  afterSeq: number;
  source: TailSource;
  send: (event: StoredEvent) => void;
  closed: () => boolean;
  /** Resolves when the client leaves, to end a wait early. */
  onClose: (listener: () => void) => void;
  tail?: StoreTail;
  checkMs: number;
}): Promise<void> {
  const { id, source, send } = options;
  // Taken before the first read, so a commit between the read and the wait still wakes it.
  const watch = options.tail?.watch(id);
  options.onClose(() => watch?.notify());
  let last = options.afterSeq;
  /** Sends the events; true when one of them ended the turn. */
  const sendAll = (events: StoredEvent[]): boolean => {
    let ended = false;
    for (const event of events) {
      send(event);
      last = event.seq;
      ended ||= isTerminalEvent(event.event);
    }
    return ended;
  };
  try {
    const first = await source.list(id, last);
    const status = await source.status(id);
    // A finished investigation is replayed whole (action updates may follow its result).
    if (status !== 'running') {
      sendAll(first);
      const more = await source.list(id, last);
      sendAll(more);
      if (first.length + more.length === 0 && options.afterSeq > 0) await resendEnd(options);
      return;
    }
    if (sendAll(first)) return;
    while (!options.closed()) {
      if (source.isLive(id)) return;
      await (watch ? watch.wait(options.checkMs) : new Promise((r) => setTimeout(r, options.checkMs)));
      if (options.closed()) return;
      if (sendAll(await source.list(id, last))) return;
      if ((await source.status(id)) !== 'running') {
        sendAll(await source.list(id, last));
        return;
      }
    }
  } finally {
    watch?.close();
  }
}

/**
 * A client resuming after everything stored, from a finished investigation: the gateway that streamed
 * to it died before storing the tail it had sent, and the sweeper ended the turn after the events
 * that were stored, so the client's ids ran ahead of the store. It gets the turn's stored end again,
 * so its stream still ends with `result` or `error`.
 */
async function resendEnd(options: { id: string; source: TailSource; send: (event: StoredEvent) => void }) {
  const all = await options.source.list(options.id, 0);
  const end = all.findLast((e) => isTerminalEvent(e.event));
  if (end) options.send(end);
}
