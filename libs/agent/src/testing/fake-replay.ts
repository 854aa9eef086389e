// Where a replayed request parts from its recording: the recorded request it shares the longest
// path with, and the first path where they differ, with both values clipped (around the first
// differing character, for long text) for a one-line message.
import { type RecordedExchange } from './fake-anthropic';

/** Where a request first differs from the closest recorded one, as a path and both values. */
export function describeDivergence(key: RecordedExchange['request'], replay: RecordedExchange[]): string {
  if (replay.length === 0) return 'a request arrived after every recorded exchange was served';
  let best = '';
  let bestDepth = -1;
  for (const exchange of replay) {
    const [path, depth, ours, theirs] = firstDifference(key, exchange.request, '', 0);
    if (depth > bestDepth) {
      bestDepth = depth;
      const from =
        typeof ours === 'string' && typeof theirs === 'string' ? firstDifferingChar(ours, theirs) : 0;
      best = `at ${path || '(root)'}: the request has ${clip(ours, from)} where the recording has ${clip(theirs, from)}`;
    }
  }
  return best;
}

function firstDifference(
  a: unknown,
  b: unknown,
  path: string,
  depth: number,
): [string, number, unknown, unknown] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [path, Number.MAX_SAFE_INTEGER, a, b];
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const x = (a as Record<string, unknown>)[k];
      const y = (b as Record<string, unknown>)[k];
      if (JSON.stringify(x) !== JSON.stringify(y)) return firstDifference(x, y, `${path}.${k}`, depth + 1);
    }
  }
  return [path, depth, a, b];
}

function firstDifferingChar(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** The value as JSON; a long string shows the window where it starts to differ. */
const clip = (value: unknown, from = 0): string => {
  if (typeof value === 'string' && value.length > 160) {
    const start = Math.max(0, from - 40);
    return `${start > 0 ? '…' : ''}${JSON.stringify(value.slice(start, start + 160))}${start + 160 < value.length ? '…' : ''}`;
  }
  const text = JSON.stringify(value) ?? 'nothing';
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
};
