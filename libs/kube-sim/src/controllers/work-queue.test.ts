import { errors } from '../api/status';
import { WorkQueue, type ReconcileResult } from './work-queue';

describe('WorkQueue', () => {
  let queue: WorkQueue | undefined;
  afterEach(() => {
    queue?.stop();
    jest.useRealTimers();
  });

  function queueOf(reconcile: (key: string) => ReconcileResult, onError = jest.fn()) {
    queue = new WorkQueue({ name: 'test', reconcile, onError, baseBackoffMs: 100, maxBackoffMs: 400 });
    return { queue, onError };
  }

  it('runs each waiting key once, off the caller’s stack', async () => {
    const seen: string[] = [];
    const { queue: q } = queueOf((key) => void seen.push(key));
    q.add('a');
    q.add('b');
    q.add('a');
    expect(seen).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(['a', 'b']);
  });

  it('retries with doubling backoff up to the cap, quietly for conflicts, and reports other errors', () => {
    jest.useFakeTimers();
    const results: (() => ReconcileResult)[] = [
      () => 'backoff',
      () => {
        throw errors.conflict({ group: '', plural: 'pods' }, 'p', 'stale');
      },
      () => {
        throw new Error('boom');
      },
      () => 'backoff',
      () => undefined,
    ];
    const calls: number[] = [];
    const { queue: q, onError } = queueOf(() => {
      calls.push(Date.now());
      return results[calls.length - 1]();
    });
    q.add('k');
    for (let i = 0; i < 50 && calls.length < results.length; i++) jest.advanceTimersToNextTimer();
    // Fake time: each gap is the backoff plus the hop through setImmediate.
    const gaps = calls.slice(1).map((t, i) => Math.round((t - calls[i]) / 100) * 100);
    expect(gaps).toEqual([100, 200, 400, 400]);
    expect(onError).toHaveBeenCalledTimes(1);
    expect((onError.mock.calls[0][0] as Error).message).toBe('boom');
  });

  it('looks again after the delay a reconcile asks for, and stop() cancels everything', () => {
    jest.useFakeTimers();
    let n = 0;
    const { queue: q } = queueOf(() => (++n < 3 ? { afterMs: 1000 } : undefined));
    q.add('k');
    jest.advanceTimersToNextTimer(); // the first run, off the stack
    expect(n).toBe(1);
    jest.advanceTimersByTime(1000);
    jest.advanceTimersToNextTimer();
    expect(n).toBe(2);
    q.stop();
    jest.runAllTimers();
    expect(n).toBe(2);
  });
});
