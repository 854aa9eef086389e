// Runs analyzers over one snapshot. A failing analyzer never sinks the analysis: its error lands in
// `errors[]` (named, with the message) and the others still run. Finding ids are made unique.
import { type Finding } from '@foxhound/contracts';
import { coreAnalyzers, type Analyzer } from './analyzers';
import { type ClusterSnapshot } from './snapshot';

export interface AnalyzerError {
  analyzer: string;
  message: string;
}

export interface AnalysisResult {
  status: 'ok' | 'problems';
  /** Findings of medium severity or worse: what makes the status `problems`. */
  problems: number;
  findings: Finding[];
  errors: AnalyzerError[];
}

const PROBLEM_SEVERITIES = new Set(['critical', 'high', 'medium']);

export function isProblem(f: Finding): boolean {
  return PROBLEM_SEVERITIES.has(f.severity);
}

export function runAnalyzers(
  snapshot: ClusterSnapshot,
  analyzers: readonly Analyzer[] = coreAnalyzers,
): AnalysisResult {
  const findings: Finding[] = [];
  const errors: AnalyzerError[] = [];
  const ids = new Map<string, number>();
  for (const analyzer of analyzers) {
    let produced: Finding[];
    try {
      produced = analyzer.analyze(snapshot);
    } catch (err) {
      errors.push({ analyzer: analyzer.name, message: err instanceof Error ? err.message : String(err) });
      continue;
    }
    for (const f of produced) {
      const seen = ids.get(f.id) ?? 0;
      ids.set(f.id, seen + 1);
      findings.push(seen ? { ...f, id: `${f.id}#${seen + 1}` } : f);
    }
  }
  const problems = findings.filter(isProblem).length;
  return { status: problems ? 'problems' : 'ok', problems, findings, errors };
}
