import { ConflictError } from '@foxhound/service-kit';
import { ThreadStore } from './threads';

describe('ThreadStore', () => {
  it('allows one turn per thread and frees the thread when the turn finishes', () => {
    const store = new ThreadStore({ historyBudgetChars: 1000 });
    const first = store.begin('t1', undefined);
    expect(() => store.begin('t1', undefined)).toThrow(ConflictError);
    expect(store.begin('t2', undefined)).toBeDefined();
    expect(store.running).toBe(2);
    first.finish();
    expect(() => store.begin('t1', undefined)).not.toThrow();
  });

  it('keeps its own history for follow-ups and ignores a handed-in one', () => {
    const store = new ThreadStore({ historyBudgetChars: 1000 });
    store.begin('t1', undefined).finish();
    store.record('t1', 'what is wrong?', 'the quota');
    const next = store.begin('t1', [{ role: 'user', text: 'something else' }]);
    expect(next.history).toEqual([
      { role: 'user', text: 'what is wrong?' },
      { role: 'assistant', text: 'the quota' },
    ]);
  });

  it('resumes a new thread from the handed-in history', () => {
    const store = new ThreadStore({ historyBudgetChars: 1000 });
    const handed = [
      { role: 'user' as const, text: 'a' },
      { role: 'assistant' as const, text: 'b' },
    ];
    expect(store.begin('t1', handed).history).toEqual(handed);
  });

  it('drops the oldest exchanges beyond the budget and starts on a user turn', () => {
    const store = new ThreadStore({ historyBudgetChars: 10 });
    store.begin('t1', undefined).finish();
    store.record('t1', 'aaaa', 'bbbb');
    store.record('t1', 'cccc', 'dddd');
    expect(store.begin('t1', undefined).history).toEqual([
      { role: 'user', text: 'cccc' },
      { role: 'assistant', text: 'dddd' },
    ]);
  });

  it('evicts the least recently used idle thread, never a running one', () => {
    const store = new ThreadStore({ historyBudgetChars: 100, maxThreads: 2 });
    store.begin('busy', undefined);
    store.begin('idle', undefined).finish();
    store.begin('new', undefined).finish();
    expect(store.size).toBe(2);
    expect(store.runningTurn('busy')).toBeDefined();
    store.record('idle', 'x', 'y');
    expect(store.begin('idle', undefined).history).toEqual([]);
  });
});
