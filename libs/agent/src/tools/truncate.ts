// Bounds tool output in whole lines with a marker saying what was cut, so a model (or a human) knows
// the view is partial and how to narrow it. Logs keep their tail (the newest lines, where a crash
// is); everything else keeps its head (the most relevant rows come first).
export interface Truncated {
  text: string;
  /** What was removed, e.g. "1,204 earlier lines (96 KB)"; undefined when nothing was cut. */
  cut?: string;
}

const fmt = (n: number): string => n.toLocaleString('en-US');
const kb = (chars: number): string => `${Math.max(1, Math.round(chars / 1024))} KB`;

export function truncateOutput(text: string, budget: number, keep: 'head' | 'tail' = 'head'): Truncated {
  if (text.length <= budget) return { text };
  const lines = text.split('\n');
  const kept: string[] = [];
  let used = 0;
  const ordered = keep === 'head' ? lines : [...lines].reverse();
  for (const line of ordered) {
    // A single line longer than the whole budget is cut inside the line rather than dropped.
    const piece = kept.length === 0 && line.length > budget ? clip(line, budget, keep) : line;
    if (used + piece.length + 1 > budget && kept.length > 0) break;
    kept.push(piece);
    used += piece.length + 1;
  }
  const droppedLines = lines.length - kept.length;
  const droppedChars = text.length - used;
  if (keep === 'head') {
    const cut = `${fmt(droppedLines)} later lines (${kb(droppedChars)})`;
    return {
      text: `${kept.join('\n')}\n[... ${cut} cut to fit the output budget; narrow the query to see them ...]`,
      cut,
    };
  }
  kept.reverse();
  const cut = `${fmt(droppedLines)} earlier lines (${kb(droppedChars)})`;
  return {
    text: `[... ${cut} cut to fit the output budget; the newest lines follow ...]\n${kept.join('\n')}`,
    cut,
  };
}

function clip(line: string, budget: number, keep: 'head' | 'tail'): string {
  const room = Math.max(0, budget - 20);
  return keep === 'head'
    ? `${line.slice(0, room)} [line cut]`
    : `[line cut] ${line.slice(line.length - room)}`;
}
