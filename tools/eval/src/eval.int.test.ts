// The eval over the public scenarios, as CI runs it: every scenario through kube-sim, scored against
// its scenario.yaml, for both offline engines (the LLM-free diagnostics and the offline agent the
// executor runs). The threshold is every scenario.
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { offlineAgentEngine } from '@foxhound/agent';
import { type Engine } from './engine';
import { diagnosticsEngine } from './engines/diagnostics';
import { resolveScenarioDirs, runEval } from './run';
import { formatTable } from './table';

const SCENARIOS = resolve(__dirname, '../../../scenarios');
/** Cases the diagnostics work added where the public set had gaps (webhooks, scale to zero, ingress policies, noise). */
const OWN = resolve(__dirname, '../scenarios');

describe('eval over scenarios/', () => {
  it.each<[string, Engine]>([
    ['the diagnostics engine', diagnosticsEngine],
    ['the offline agent', offlineAgentEngine],
  ])(
    'passes every public scenario and our own with %s',
    async (_name, engine) => {
      const dirs = await resolveScenarioDirs([SCENARIOS, OWN]);
      expect(dirs.length).toBeGreaterThanOrEqual(21);
      const result = await runEval(engine, dirs);
      const failures = result.cases.filter((c) => c.verdict !== 'pass');
      expect({
        failures: failures.map((c) => `${c.name}: ${c.error ?? c.score?.misses.join('; ')}`),
      }).toEqual({
        failures: [],
      });
      expect(result.passRate).toBe(1);
      expect(formatTable(result)).toContain(
        `engine ${engine.name}: ${dirs.length}/${dirs.length} passed (100%)`,
      );
    },
    120_000,
  );

  it('reports a scenario that does not load as an error case, not a crash', async () => {
    const root = await mkdtemp(join(tmpdir(), 'eval-'));
    try {
      await mkdir(join(root, 'broken'));
      await writeFile(join(root, 'broken', 'scenario.yaml'), 'title: broken\n');
      const result = await runEval(diagnosticsEngine, await resolveScenarioDirs([root]));
      expect(result.cases).toEqual([
        {
          name: 'broken',
          title: 'broken',
          verdict: 'error',
          latencyMs: 0,
          error: expect.stringContaining('loading the scenario:'),
        },
      ]);
      expect(result.errors).toBe(1);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
