// Fits a log answer into a tool's output budget without losing what matters: the header (counts,
// error patterns, the decisive line) is always kept whole, and each section keeps its newest lines,
// behind one marker that says how many earlier lines were cut and how to narrow the read. Doing it
// here, not in the registry's generic truncation, is what keeps the header of a long log.
export interface LogSection {
  /** One line naming the section (a pod and container), shown even when all its lines are cut. */
  title?: string;
  lines: string[];
}

/** A single log line longer than this is cut inside the line: one line must not fill the budget. */
export const MAX_LINE_CHARS = 2_000;

function clipLine(line: string): string {
  return line.length > MAX_LINE_CHARS
    ? `${line.slice(0, MAX_LINE_CHARS)} [line cut: ${line.length} chars]`
    : line;
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/** The newest lines of `lines` that fit in `room` characters (one newline each). */
function newest(lines: string[], room: number): string[] {
  const kept: string[] = [];
  let used = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const size = lines[i]!.length + 1;
    if (used + size > room) break;
    kept.push(lines[i]!);
    used += size;
  }
  return kept.reverse();
}

/**
 * `header`, then every section's title and newest lines, in at most `budget` characters. Sections
 * share the room left after the header equally; a share one section leaves unused goes to the rest.
 */
export function fitLog(header: string[], sections: LogSection[], budget: number, narrow: string): string {
  const head = header.join('\n');
  const bodies = sections.map((s) => s.lines.map(clipLine));
  const titles = sections.map((s) => (s.title === undefined ? [] : [s.title]));
  const fixed = head.length + 1 + titles.flat().reduce((n, t) => n + t.length + 1, 0);
  // Room for the markers, one per section at most.
  const markerRoom = sections.length * 120;
  let room = Math.max(0, budget - fixed - markerRoom);
  const kept: string[][] = bodies.map(() => []);
  // Smallest sections first, so an unused share flows to the larger ones.
  const order = bodies.map((b, i) => i).sort((a, b) => size(bodies[a]!) - size(bodies[b]!));
  order.forEach((i, n) => {
    const share = Math.floor(room / (order.length - n));
    kept[i] = newest(bodies[i]!, share);
    room -= size(kept[i]!);
  });
  const out = [head];
  sections.forEach((_, i) => {
    out.push(...titles[i]!);
    const cut = bodies[i]!.length - kept[i]!.length;
    if (cut > 0) out.push(`[... ${fmt(cut)} earlier line(s) cut to fit the output budget; ${narrow} ...]`);
    out.push(...kept[i]!);
  });
  return out.join('\n');
}

function size(lines: string[]): number {
  return lines.reduce((n, l) => n + l.length + 1, 0);
}
