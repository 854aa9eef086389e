// The human-readable result: one row per case (verdict per criterion, latency), the misses of
// failing cases under the table, and the total.
import { type EvalResult } from './run';

const MARK: Record<string, string> = { pass: 'ok', fail: 'FAIL', 'n/a': '-', error: 'ERROR' };

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

export function formatTable(result: EvalResult): string {
  const header = ['case', 'verdict', 'healthy', 'root cause', 'object', 'action', 'latency'];
  const rows = result.cases.map((c) => [
    c.name,
    MARK[c.verdict],
    MARK[c.score?.healthy ?? 'n/a'],
    MARK[c.score?.rootCause ?? 'n/a'],
    MARK[c.score?.object ?? 'n/a'],
    MARK[c.score?.action ?? 'n/a'],
    `${Math.round(c.latencyMs)} ms`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => pad(cell, widths[i]))
      .join('  ')
      .trimEnd();
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  const notes = result.cases.flatMap((c) =>
    c.verdict === 'error' ? [`${c.name}: ${c.error}`] : (c.score?.misses ?? []).map((m) => `${c.name}: ${m}`),
  );
  if (notes.length) out.push('', ...notes);
  const total = result.cases.reduce((ms, c) => ms + c.latencyMs, 0);
  out.push(
    '',
    `engine ${result.engine}: ${result.passed}/${result.cases.length} passed (${Math.round(result.passRate * 100)}%), ${result.failed} failed, ${result.errors} errors; latency total ${Math.round(total)} ms, mean ${Math.round(total / Math.max(1, result.cases.length))} ms`,
  );
  return out.join('\n');
}
