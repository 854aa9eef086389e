// Loads data and reloads it on an interval while the tab is visible: the console's live view of
// lists the gateway has no stream for. Errors are kept, not thrown, and cleared by the next success;
// while failing, the interval doubles (to a minute) so a tab never spends a credential's rate limit.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

const MAX_BACKOFF_MS = 60_000;

export interface Polled<T> {
  data?: T;
  error?: string;
  loading: boolean;
  reload(): void;
}

export function usePoll<T>(
  load: (signal: AbortSignal) => Promise<T>,
  intervalMs: number,
  key: string,
): Polled<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const loadRef = useRef(load);
  loadRef.current = load;
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    setState({ loading: true });
  }, [key]);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let nextDelay = intervalMs;
    const run = async () => {
      try {
        const data = await loadRef.current(controller.signal);
        if (!controller.signal.aborted) setState({ data, loading: false });
        nextDelay = intervalMs;
      } catch (err) {
        if (controller.signal.aborted) return;
        // Failing (the gateway away, or this credential over its rate limit): ask less often.
        nextDelay = Math.min(MAX_BACKOFF_MS, nextDelay * 2);
        setState((s) => ({ ...s, error: err instanceof Error ? err.message : String(err), loading: false }));
      }
      if (!controller.signal.aborted && intervalMs > 0) timer = setTimeout(schedule, nextDelay);
    };
    const schedule = () => {
      if (document.visibilityState === 'visible') void run();
      else timer = setTimeout(schedule, intervalMs);
    };
    void run();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [key, tick, intervalMs]);

  return { ...state, reload };
}
