// The eval over the public scenarios, as CI runs it: every scenario through kube-sim in every lane
// (plain, renamed, neutral prompt, noise, merged), scored for both offline engines (the LLM-free
// diagnostics and the offline agent the executor runs). The whole table is printed. Every case that
// passed when the lanes were introduced must still pass on the plain lane, every lane must stay
// within 5 points of plain (the lanes known to be below it are listed, and must match exactly), and
// the shipped calibration table must be what `make calibrate` produces now.
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { offlineAgentEngine } from '@foxhound/agent';
import { CALIBRATION_FILE, CALIBRATION_LANES, calibrationOf } from './calibrate';
import { diagnosticsEngine } from './engines/diagnostics';
import { evaluate } from './evaluate';
import { LANES } from './lanes';
import { type EvalResult } from './run';
import { readScenarios, resolveScenarioDirs } from './scenarios';
import { formatSummary, formatTable, laneVerdicts } from './table';

const ROOT = resolve(__dirname, '../../..');
const SCENARIOS = join(ROOT, 'scenarios');
/** Cases the diagnostics work added where the public set had gaps (webhooks, scale to zero, ingress policies, noise). */
const OWN = resolve(__dirname, '../scenarios');

/** The cases both offline engines must keep passing (scenarios/baseline.txt says how the list grows). */
const MUST_PASS = readFileSync(join(SCENARIOS, 'baseline.txt'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));

/**
 * Lanes measured more than 5 points below plain: two incidents at once (issue 13, "several
 * incidents at once"). Last measured: agent-offline merged 47/63 (75%) against plain 59/71 (83%),
 * -8.5 points; every failing pair holds a scenario the engine also fails alone, which the pairing
 * counts twice. Diagnostics merged (47/63 against 55/71, -2.9) left the list. Listed so CI stays
 * honest both ways: a new lane below plain fails, and so does a listed one that recovered.
 */
const KNOWN_LANE_GAPS = ['agent-offline merged'];

describe('eval over scenarios/', () => {
  let results: EvalResult[];

  beforeAll(async () => {
    const now = new Date();
    const scenarios = await readScenarios(await resolveScenarioDirs([SCENARIOS, OWN]), now);
    results = await evaluate({
      engines: [diagnosticsEngine, offlineAgentEngine],
      lanes: [...LANES],
      scenarios,
      healthy: scenarios.contents.find((c) => c.name === 'healthy-namespace'),
      now,
    });
    // The whole table, failing new cases included: nothing is hidden behind the assertions.
    console.log([...results.map(formatTable), formatSummary(results)].join('\n\n'));
  }, 600_000);

  it.each([diagnosticsEngine.name, offlineAgentEngine.name])(
    'passes every case that passed before on the plain lane with %s',
    (engine) => {
      const plain = results.find((r) => r.engine === engine && r.lane === 'plain')!;
      expect(plain.cases.length).toBeGreaterThanOrEqual(MUST_PASS.length);
      const failures = plain.cases
        .filter((c) => MUST_PASS.includes(c.name) && c.verdict !== 'pass')
        .map((c) => `${c.name}: ${c.error ?? c.score?.misses.join('; ')}`);
      expect(failures).toEqual([]);
      expect(plain.cases.filter((c) => MUST_PASS.includes(c.name))).toHaveLength(MUST_PASS.length);
    },
  );

  it('keeps every perturbation lane within 5 points of the plain lane, but the known gaps', () => {
    const below = laneVerdicts(results)
      .filter((v) => !v.ok)
      .map((v) => `${v.engine} ${v.lane}`);
    expect(below.sort()).toEqual([...KNOWN_LANE_GAPS].sort());
  });

  it('ships the calibration table that make calibrate produces for this corpus', () => {
    const measured = calibrationOf(
      results.filter((r) => r.engine === diagnosticsEngine.name && CALIBRATION_LANES.includes(r.lane)),
    );
    const shipped: unknown = JSON.parse(readFileSync(join(ROOT, CALIBRATION_FILE), 'utf8'));
    // On a mismatch: run `make calibrate` and commit libs/diagnostics/src/confidence/calibration.json.
    expect(shipped).toEqual(measured);
  });

  it('reports a scenario that does not load as an error case, not a crash', async () => {
    const root = await mkdtemp(join(tmpdir(), 'eval-'));
    try {
      await mkdir(join(root, 'broken'));
      await writeFile(join(root, 'broken', 'scenario.yaml'), 'title: broken\n');
      const now = new Date();
      const [result] = await evaluate({
        engines: [diagnosticsEngine],
        lanes: ['plain'],
        scenarios: await readScenarios(await resolveScenarioDirs([root]), now),
        now,
      });
      expect(result!.cases).toEqual([
        {
          name: 'broken',
          lane: 'plain',
          verdict: 'error',
          followUps: [],
          latencyMs: 0,
          error: expect.stringContaining('loading the scenario:'),
        },
      ]);
      expect(result!.errors).toBe(1);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
