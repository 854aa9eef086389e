// Runs an engine over cases: each case gets its own kube-sim (in-process, real HTTP on loopback,
// with its Prometheus endpoint) loaded with the case's scenario contents. The engine answers the
// question through a kubeconfig like any cluster, then each follow-up on the same thread with the
// history `historyExchange()` builds (as the gateway and executor build it); every turn is scored by
// the contracts' scoring module. A case the engine fails on is an `error` case, not a crash.
import { performance } from 'node:perf_hooks';
import {
  type FollowUpScore,
  historyExchange,
  type HistoryTurn,
  type ObjectRef,
  type Proposal,
  type Score,
  scoreFollowUp,
  scoreReport,
} from '@foxhound/contracts';
import { applyScenario, startKubeSim } from '@foxhound/kube-sim';
import { type Engine, type EngineAnswer, promptOf, questionOf } from './engine';
import { type EvalCase, type Lane } from './lanes';
import { caseTrace, type CaseTrace, rootClassOf } from './trace';

export interface TurnResult {
  prompt: string;
  verdict: 'pass' | 'fail' | 'error';
  score?: FollowUpScore;
  latencyMs: number;
  actions: string[];
  error?: string;
}

export interface CaseResult {
  name: string;
  lane: Lane;
  verdict: 'pass' | 'fail' | 'error' | 'skipped';
  score?: Score;
  followUps: TurnResult[];
  /** Time the engine took over all turns, from kubeconfig to the last answer. */
  latencyMs: number;
  rootCause?: string;
  /** The root-cause class (the root finding's reason code) calibration counts by. */
  rootClass?: string;
  affected?: ObjectRef;
  actions?: string[];
  error?: string;
  /** With `repeat` > 1: how many attempts ran and how many passed (this result is the first). */
  attempts?: number;
  passes?: number;
  trace?: CaseTrace;
}

export interface EvalResult {
  engine: string;
  lane: Lane;
  cases: CaseResult[];
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
  /** passed / cases that ran (0 when none ran). */
  passRate: number;
  /** With `repeat` > 1: share of cases passed at least once, and every time. */
  passAtN?: number;
  passAllN?: number;
}

export interface RunOptions {
  onCase?: (c: CaseResult) => void;
  /** Runs per case (pass@N, pass^N). */
  repeat?: number;
  /** Stop starting cases once the engine's summed cost reaches this (USD). */
  maxCostUsd?: number;
  /** Called before each turn (recording transcripts per case and turn). */
  onTurn?: (c: EvalCase, turn: number) => void;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function runCase(
  engine: Engine,
  c: EvalCase,
  options: RunOptions,
  attempt: number,
): Promise<CaseResult> {
  const sim = await startKubeSim();
  const base = { name: c.name, lane: c.lane, followUps: [] as TurnResult[] };
  try {
    try {
      for (const content of c.contents) applyScenario(content, sim);
    } catch (err) {
      return { ...base, verdict: 'error', latencyMs: 0, error: `loading the scenario: ${message(err)}` };
    }
    const question = questionOf(c.manifest);
    const input = {
      kubeconfig: sim.kubeconfig(),
      prometheusUrl: sim.prometheusUrl,
      threadId: `eval-${c.lane}-${c.name}-${attempt}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 120),
      question,
    };
    const started = performance.now();
    const answers: EngineAnswer[] = [];
    let first: EngineAnswer;
    try {
      options.onTurn?.(c, 0);
      first = await engine.investigate(input);
      answers.push(first);
      if (!first.report) throw new Error('the first turn ended without a report');
    } catch (err) {
      return { ...base, verdict: 'error', latencyMs: performance.now() - started, error: message(err) };
    }
    const report = first.report;
    const score = scoreReport(c.manifest.expect, report);
    const history: HistoryTurn[] = historyExchange(promptOf(question), first.text);
    const thread: Proposal[] = [...first.proposals];
    const followUps: TurnResult[] = [];
    for (const [i, followUp] of c.manifest.followUps.entries()) {
      const turnStarted = performance.now();
      try {
        options.onTurn?.(c, i + 1);
        const answer = await engine.followUp({ ...input, prompt: followUp.prompt, history: [...history] });
        answers.push(answer);
        const s = scoreFollowUp(followUp.expect, answer, thread);
        followUps.push({
          prompt: followUp.prompt,
          verdict: s.passed ? 'pass' : 'fail',
          score: s,
          latencyMs: performance.now() - turnStarted,
          actions: answer.proposals.map((p) => p.action.type),
        });
        thread.push(...answer.proposals);
        history.push(...historyExchange(followUp.prompt, answer.text));
      } catch (err) {
        followUps.push({
          prompt: followUp.prompt,
          verdict: 'error',
          latencyMs: performance.now() - turnStarted,
          actions: [],
          error: message(err),
        });
        break; // the thread is broken: later turns would answer a conversation that did not happen
      }
    }
    const latencyMs = performance.now() - started;
    const turnsPass =
      followUps.length === c.manifest.followUps.length && followUps.every((t) => t.verdict === 'pass');
    const trace = answers.some((a) => a.trace) ? caseTrace(answers, sim.store) : undefined;
    return {
      ...base,
      verdict: followUps.some((t) => t.verdict === 'error')
        ? 'error'
        : score.passed && turnsPass
          ? 'pass'
          : 'fail',
      score,
      followUps,
      latencyMs,
      rootCause: report.rootCause,
      rootClass: rootClassOf(report),
      affected: report.affected,
      actions: report.proposals.map((p) => p.action.type),
      ...(trace ? { trace } : {}),
    };
  } finally {
    await sim.close();
  }
}

export async function runEval(
  engine: Engine,
  lane: Lane,
  cases: EvalCase[],
  options: RunOptions = {},
): Promise<EvalResult> {
  const repeat = Math.max(1, options.repeat ?? 1);
  const results: CaseResult[] = [];
  let spent = 0;
  for (const c of cases) {
    if (options.maxCostUsd !== undefined && spent >= options.maxCostUsd) {
      const skipped: CaseResult = {
        name: c.name,
        lane: c.lane,
        verdict: 'skipped',
        followUps: [],
        latencyMs: 0,
        error: `skipped: --max-cost ${options.maxCostUsd} USD reached (${spent.toFixed(4)} spent)`,
      };
      results.push(skipped);
      options.onCase?.(skipped);
      continue;
    }
    const attempts: CaseResult[] = [];
    for (let i = 0; i < repeat; i += 1) {
      const r = await runCase(engine, c, options, i);
      attempts.push(r);
      spent += r.trace?.costUsd ?? 0;
    }
    const result: CaseResult =
      repeat > 1
        ? { ...attempts[0]!, attempts: repeat, passes: attempts.filter((a) => a.verdict === 'pass').length }
        : attempts[0]!;
    results.push(result);
    options.onCase?.(result);
  }
  return summarize(engine.name, lane, results, repeat);
}

function summarize(engine: string, lane: Lane, cases: CaseResult[], repeat: number): EvalResult {
  const ran = cases.filter((c) => c.verdict !== 'skipped');
  const passed = cases.filter((c) => c.verdict === 'pass').length;
  const result: EvalResult = {
    engine,
    lane,
    cases,
    passed,
    failed: cases.filter((c) => c.verdict === 'fail').length,
    errors: cases.filter((c) => c.verdict === 'error').length,
    skipped: cases.length - ran.length,
    passRate: ran.length ? passed / ran.length : 0,
  };
  if (repeat > 1 && ran.length) {
    result.passAtN = ran.filter((c) => (c.passes ?? 0) > 0).length / ran.length;
    result.passAllN = ran.filter((c) => c.passes === repeat).length / ran.length;
  }
  return result;
}
