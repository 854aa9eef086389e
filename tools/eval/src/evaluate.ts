// One eval run: every engine over every lane's cases, a result per engine and lane. Broken scenarios
// are error cases of the plain lane (the other lanes have nothing to perturb).
import { type Engine } from './engine';
import { casesOf, type Lane } from './lanes';
import { type CaseResult, type EvalResult, runEval, type RunOptions } from './run';
import { type ReadScenarios } from './scenarios';
import { type ScenarioContent } from '@foxhound/kube-sim';

export interface EvaluateOptions extends RunOptions {
  engines: Engine[];
  lanes: Lane[];
  scenarios: ReadScenarios;
  /** The healthy scenario the noise lane copies workloads from. */
  healthy?: ScenarioContent;
  now: Date;
}

export async function evaluate(options: EvaluateOptions): Promise<EvalResult[]> {
  const results: EvalResult[] = [];
  for (const engine of options.engines) {
    for (const lane of options.lanes) {
      const cases = casesOf(lane, {
        scenarios: options.scenarios.contents,
        healthy: options.healthy,
        now: options.now,
      });
      const result = await runEval(engine, lane, cases, options);
      if (lane === 'plain' && options.scenarios.broken.length) {
        const broken: CaseResult[] = options.scenarios.broken.map((b) => ({
          name: b.name,
          lane,
          verdict: 'error',
          followUps: [],
          latencyMs: 0,
          error: b.error,
        }));
        for (const b of broken) options.onCase?.(b);
        result.cases.push(...broken);
        result.errors += broken.length;
        const ran = result.cases.length - result.skipped;
        result.passRate = ran ? result.passed / ran : 0;
      }
      results.push(result);
    }
  }
  return results;
}
