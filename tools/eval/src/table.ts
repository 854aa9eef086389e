// The human-readable result: per engine and lane, one row per case (verdict per criterion, follow-up
// turns passed, latency, and for traced runs tokens, cost, tool calls, grounding and proposal
// validity), the misses under it, its total line; then one summary of every lane beside the plain
// one, with the lane rule (no lane more than 5 points below plain).
import { type EvalResult } from './run';

const MARK: Record<string, string> = {
  pass: 'ok',
  fail: 'FAIL',
  'n/a': '-',
  error: 'ERROR',
  skipped: 'skip',
};

/** A lane may fall at most this many percentage points below the plain lane. */
export const LANE_TOLERANCE_POINTS = 5;

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function grid(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => pad(cell, widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

const pct = (rate: number) => `${Math.round(rate * 100)}%`;

export function formatTable(result: EvalResult): string {
  const traced = result.cases.some((c) => c.trace);
  const header = [
    'case',
    'verdict',
    'healthy',
    'root cause',
    'object',
    'action',
    'harm',
    'concurrent',
    'follow-ups',
    'latency',
  ];
  if (traced) header.push('model', 'tokens in/out/cache', 'cost', 'tools', 'grounded', 'valid');
  const rows = result.cases.map((c) => {
    const row = [
      c.name,
      MARK[c.verdict]! + (c.attempts ? ` ${c.passes}/${c.attempts}` : ''),
      MARK[c.score?.healthy ?? 'n/a']!,
      MARK[c.score?.rootCause ?? 'n/a']!,
      MARK[c.score?.object ?? 'n/a']!,
      MARK[c.score?.action ?? 'n/a']!,
      MARK[c.score?.harm ?? 'n/a']!,
      MARK[c.score?.concurrent ?? 'n/a']!,
      c.followUps.length
        ? `${c.followUps.filter((t) => t.verdict === 'pass').length}/${c.followUps.length}`
        : '-',
      `${Math.round(c.latencyMs)} ms`,
    ];
    if (traced) {
      const t = c.trace;
      row.push(
        // The offline agent has no model to author anything: its column stays empty.
        t && t.provider !== 'offline' ? (t.modelAuthored ? 'yes' : 'NO') : '-',
        t ? `${t.tokens.input}/${t.tokens.output}/${t.tokens.cacheRead + t.tokens.cacheWrite}` : '-',
        t ? `$${t.costUsd.toFixed(4)}` : '-',
        t ? String(Object.values(t.toolCalls).reduce((n, k) => n + k, 0)) : '-',
        t?.groundingRate !== undefined ? pct(t.groundingRate) : '-',
        t ? `${t.validProposals}/${t.proposals}` : '-',
      );
    }
    return row;
  });
  const out = [`## ${result.engine} · ${result.lane}`, '', ...grid(header, rows)];
  const notes = result.cases.flatMap((c) => [
    ...(c.error ? [`${c.name}: ${c.error}`] : []),
    ...(c.score?.misses ?? []).map((m) => `${c.name}: ${m}`),
    ...c.followUps.flatMap((t, i) =>
      t.error
        ? [`${c.name} follow-up ${i + 1}: ${t.error}`]
        : (t.score?.misses ?? []).map((m) => `${c.name} follow-up ${i + 1}: ${m}`),
    ),
  ]);
  if (notes.length) out.push('', ...notes);
  const total = result.cases.reduce((ms, c) => ms + c.latencyMs, 0);
  const ran = result.cases.length - result.skipped;
  const repeat =
    result.passAtN !== undefined
      ? `; pass@N ${pct(result.passAtN)}, pass^N ${pct(result.passAllN ?? 0)}`
      : '';
  const cost = traced
    ? `; cost $${result.cases.reduce((n, c) => n + (c.trace?.costUsd ?? 0), 0).toFixed(4)}`
    : '';
  out.push(
    '',
    `engine ${result.engine} lane ${result.lane}: ${result.passed}/${ran} passed (${pct(result.passRate)}), ${result.failed} failed, ${result.errors} errors${result.skipped ? `, ${result.skipped} skipped` : ''}${repeat}${cost}; latency total ${Math.round(total)} ms, mean ${Math.round(total / Math.max(1, ran))} ms`,
  );
  return out.join('\n');
}

export interface LaneVerdict {
  engine: string;
  lane: string;
  passRate: number;
  plainRate: number;
  /** Percentage points below plain (negative: above). */
  dropPoints: number;
  ok: boolean;
}

/** Every lane against its engine's plain lane. */
export function laneVerdicts(results: EvalResult[]): LaneVerdict[] {
  return results.flatMap((r) => {
    const plain = results.find((p) => p.engine === r.engine && p.lane === 'plain');
    if (!plain || r.lane === 'plain') return [];
    const dropPoints = Math.round((plain.passRate - r.passRate) * 1000) / 10;
    return [
      {
        engine: r.engine,
        lane: r.lane,
        passRate: r.passRate,
        plainRate: plain.passRate,
        dropPoints,
        ok: dropPoints <= LANE_TOLERANCE_POINTS,
      },
    ];
  });
}

export function formatSummary(results: EvalResult[]): string {
  const verdicts = laneVerdicts(results);
  const rows = results.map((r) => {
    const v = verdicts.find((x) => x.engine === r.engine && x.lane === r.lane);
    return [
      r.engine,
      r.lane,
      `${r.passed}/${r.cases.length - r.skipped}`,
      pct(r.passRate),
      v ? `${v.dropPoints > 0 ? '-' : '+'}${Math.abs(v.dropPoints)} pts` : '-',
      v ? (v.ok ? 'ok' : `FAIL (more than ${LANE_TOLERANCE_POINTS} pts below plain)`) : '-',
    ];
  });
  return ['## lanes', '', ...grid(['engine', 'lane', 'passed', 'rate', 'vs plain', 'lane rule'], rows)].join(
    '\n',
  );
}
