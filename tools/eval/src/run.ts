// Runs an engine over scenario directories: each scenario gets its own kube-sim (in-process, real
// HTTP on loopback, with its Prometheus endpoint), the engine investigates it through a kubeconfig
// like any cluster, and the report is scored. A scenario the engine fails on is an `error` case, not
// a crash of the run.
import { stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';

import { findScenarioDirs, startKubeSim } from '@foxhound/kube-sim';
import { type Engine } from './engine';
import { type ObjectRef, scoreReport, type Score } from '@foxhound/contracts';

export interface CaseResult {
  name: string;
  title: string;
  verdict: 'pass' | 'fail' | 'error';
  score?: Score;
  /** Time the engine took, from kubeconfig to report. */
  latencyMs: number;
  rootCause?: string;
  affected?: ObjectRef;
  actions?: string[];
  error?: string;
}

export interface EvalResult {
  engine: string;
  cases: CaseResult[];
  passed: number;
  failed: number;
  errors: number;
  /** passed / cases (0 when there are no cases). */
  passRate: number;
}

/** Scenario directories under each path; a path that is itself a scenario counts as one. */
export async function resolveScenarioDirs(paths: string[]): Promise<string[]> {
  const dirs: string[] = [];
  for (const path of paths) {
    const own = await stat(`${path}/scenario.yaml`).then(
      (s) => s.isFile(),
      () => false,
    );
    dirs.push(...(own ? [path] : await findScenarioDirs(path)));
  }
  return dirs;
}

async function runCase(engine: Engine, dir: string): Promise<CaseResult> {
  const sim = await startKubeSim();
  const name = dir.split('/').filter(Boolean).pop() ?? dir;
  try {
    const loaded = await sim.loadScenario(dir);
    const { expect, ...manifest } = loaded.manifest;
    const started = performance.now();
    try {
      const report = await engine.investigate({
        kubeconfig: sim.kubeconfig(),
        prometheusUrl: sim.prometheusUrl,
        manifest,
      });
      const latencyMs = performance.now() - started;
      const score = scoreReport(expect, report);
      return {
        name,
        title: manifest.title,
        verdict: score.passed ? 'pass' : 'fail',
        score,
        latencyMs,
        rootCause: report.rootCause,
        affected: report.affected,
        actions: report.proposals.map((p) => p.action.type),
      };
    } catch (err) {
      return {
        name,
        title: manifest.title,
        verdict: 'error',
        latencyMs: performance.now() - started,
        error: err instanceof Error ? err.message : String(err),
      };
    }
  } catch (err) {
    return {
      name,
      title: name,
      verdict: 'error',
      latencyMs: 0,
      error: `loading the scenario: ${err instanceof Error ? err.message : String(err)}`,
    };
  } finally {
    await sim.close();
  }
}

export async function runEval(
  engine: Engine,
  dirs: string[],
  onCase?: (c: CaseResult) => void,
): Promise<EvalResult> {
  const cases: CaseResult[] = [];
  for (const dir of dirs) {
    const result = await runCase(engine, dir);
    cases.push(result);
    onCase?.(result);
  }
  const passed = cases.filter((c) => c.verdict === 'pass').length;
  return {
    engine: engine.name,
    cases,
    passed,
    failed: cases.filter((c) => c.verdict === 'fail').length,
    errors: cases.filter((c) => c.verdict === 'error').length,
    passRate: cases.length ? passed / cases.length : 0,
  };
}
