// Conversation state per thread, held in the sandbox's memory: the exchanges so far (so follow-ups
// in the same sandbox continue the conversation) and the running turn, if any (one at a time per
// thread). A replacement sandbox starts from the `history` the caller hands in. Bounded: old threads
// are dropped least-recently-used first, and history keeps its newest exchanges within a budget.
import { historyExchange, type HistoryTurn } from '@foxhound/contracts';
import { ConflictError } from '@foxhound/service-kit';

export interface RunningTurn {
  controller: AbortController;
  /** Resolves when the turn has ended and its result was written. */
  done: Promise<void>;
}

interface Thread {
  history: HistoryTurn[];
  running?: RunningTurn;
}

export interface ThreadStoreOptions {
  maxThreads?: number;
  /** Characters of history kept per thread; older exchanges are dropped first. */
  historyBudgetChars: number;
}

export class ThreadStore {
  // A Map iterates in insertion order; re-inserting on use makes the first key the least recent.
  private readonly threads = new Map<string, Thread>();
  private readonly maxThreads: number;

  constructor(private readonly options: ThreadStoreOptions) {
    this.maxThreads = options.maxThreads ?? 1_000;
  }

  get size(): number {
    return this.threads.size;
  }

  get running(): number {
    let n = 0;
    for (const t of this.threads.values()) if (t.running) n += 1;
    return n;
  }

  /**
   * Claims the thread for a turn and returns the history to run it with: the sandbox's own when it
   * has one (same sandbox, follow-up), otherwise what the caller handed in (a replacement sandbox).
   */
  begin(
    threadId: string,
    handedIn: HistoryTurn[] | undefined,
  ): { history: HistoryTurn[]; turn: RunningTurn; finish: () => void } {
    let thread = this.threads.get(threadId);
    if (thread?.running) {
      throw new ConflictError(
        `A turn is already running on thread ${threadId}; wait for its result or interrupt it.`,
      );
    }
    if (!thread) {
      thread = { history: this.bound(handedIn ?? []) };
      this.evictFor(1);
    }
    this.threads.delete(threadId);
    this.threads.set(threadId, thread);
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const turn: RunningTurn = { controller: new AbortController(), done };
    thread.running = turn;
    const claimed = thread;
    return {
      history: [...thread.history],
      turn,
      finish: () => {
        if (claimed.running === turn) delete claimed.running;
        finish();
      },
    };
  }

  /** Records a finished exchange. */
  record(threadId: string, prompt: string, answer: string): void {
    const thread = this.threads.get(threadId);
    if (!thread) return;
    thread.history = this.bound([...thread.history, ...historyExchange(prompt, answer)]);
  }

  runningTurn(threadId: string): RunningTurn | undefined {
    return this.threads.get(threadId)?.running;
  }

  /** Aborts every running turn (shutdown). */
  abortAll(reason: Error): void {
    for (const t of this.threads.values()) t.running?.controller.abort(reason);
  }

  private bound(history: HistoryTurn[]): HistoryTurn[] {
    let total = 0;
    let start = history.length;
    while (start > 0 && total + history[start - 1]!.text.length <= this.options.historyBudgetChars) {
      total += history[start - 1]!.text.length;
      start -= 1;
    }
    // Start on a user turn so the conversation replays in order.
    while (start < history.length && history[start]!.role !== 'user') start += 1;
    return history.slice(start);
  }

  /** Drops least-recently-used idle threads until `incoming` more fit. */
  private evictFor(incoming: number): void {
    for (const [id, thread] of this.threads) {
      if (this.threads.size + incoming <= this.maxThreads) return;
      if (!thread.running) this.threads.delete(id);
    }
  }
}
