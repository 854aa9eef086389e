// The harness's promises to engines and to scores, through a recording engine over a real scenario
// in kube-sim: an engine sees the question and the cluster, never the scenario's title, description,
// expectations or sources; follow-ups run in order on one thread with the history the services
// build; and each turn is scored on its own (keywords, objects, nothing re-proposed, harm).
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type InvestigationReport } from '@foxhound/contracts';
import { parse, stringify } from 'yaml';
import { type Engine, type EngineInput, type FollowUpInput } from './engine';
import { diagnosticsEngine } from './engines/diagnostics';
import { evaluate } from './evaluate';
import { readScenarios, resolveScenarioDirs } from './scenarios';

const QUOTA = resolve(__dirname, '../../../scenarios/quota-blocks-admission');
const SECRET_TITLE = 'title-only-marker-7f3a quota';
const SECRET_DESCRIPTION = 'description-only-marker-91c2 the answer is the ResourceQuota';

describe('the harness', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'eval-harness-'));
    const dir = join(root, 'quota-followups');
    await cp(QUOTA, dir, { recursive: true });
    const manifest = parse(await readFile(join(dir, 'scenario.yaml'), 'utf8')) as Record<string, unknown>;
    await writeFile(
      join(dir, 'scenario.yaml'),
      stringify({
        ...manifest,
        title: SECRET_TITLE,
        description: SECRET_DESCRIPTION,
        sources: ['https://kubernetes.io/docs/concepts/policy/resource-quotas/'],
        followUps: [
          {
            prompt: 'what would deleting the quota do?',
            expect: {
              answer: ['orders-compute'],
              objects: [{ kind: 'ResourceQuota', name: 'orders-compute' }],
            },
          },
          { prompt: 'ok, and is it safe?', expect: { proposesNothingNew: true } },
        ],
      }),
    );
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function run(engine: Engine) {
    const now = new Date();
    const scenarios = await readScenarios(await resolveScenarioDirs([root]), now);
    const [result] = await evaluate({ engines: [engine], lanes: ['plain'], scenarios, now });
    return result!.cases[0]!;
  }

  it('hands engines the question and the cluster only, and runs follow-ups on one thread with its history', async () => {
    const seen: unknown[] = [];
    let first: InvestigationReport | undefined;
    const recording: Engine = {
      name: 'recording',
      async investigate(input: EngineInput) {
        seen.push(structuredClone(input));
        const answer = await diagnosticsEngine.investigate(input);
        first = answer.report;
        return answer;
      },
      async followUp(input: FollowUpInput) {
        seen.push(structuredClone(input));
        return diagnosticsEngine.followUp(input);
      },
    };
    const result = await run(recording);

    const text = JSON.stringify(seen);
    for (const hidden of [
      SECRET_TITLE,
      SECRET_DESCRIPTION,
      'kubernetes.io/docs',
      'orders-compute|requests.memory',
    ])
      expect(text).not.toContain(hidden);
    const [turn1, turn2, turn3] = seen as FollowUpInput[];
    expect(Object.keys(turn1!.question).sort()).toEqual(['namespaces', 'prompt']);
    expect(turn1).not.toHaveProperty('manifest');
    // One thread: the same id every turn, the history growing by one exchange per turn.
    expect(new Set([turn1!.threadId, turn2!.threadId, turn3!.threadId]).size).toBe(1);
    expect(turn2!.history).toEqual([
      { role: 'user', text: turn1!.question.prompt },
      { role: 'assistant', text: expect.stringContaining('orders-compute') },
    ]);
    expect(turn3!.history).toHaveLength(4);
    expect(turn3!.history[2]).toEqual({ role: 'user', text: 'what would deleting the quota do?' });
    expect(first?.proposals.map((p) => p.action.type)).toEqual(['PatchResourceQuota']);

    // The diagnostics engine keeps no thread: it investigates again, says so, and so re-proposes
    // the quota raise the thread already has, which each follow-up's score catches.
    expect(result.score?.passed).toBe(true);
    expect(result.followUps.map((t) => [t.prompt, t.verdict, t.score?.misses])).toEqual([
      [
        'what would deleting the quota do?',
        'fail',
        ['re-proposed PatchResourceQuota orders/orders-compute, already proposed on the thread'],
      ],
      [
        'ok, and is it safe?',
        'fail',
        ['re-proposed PatchResourceQuota orders/orders-compute, already proposed on the thread'],
      ],
    ]);
    expect(result.verdict).toBe('fail');
  });

  it('says in its answer that the diagnostics engine investigated again', async () => {
    const answers: string[] = [];
    await run({
      ...diagnosticsEngine,
      followUp: async (input) => {
        const answer = await diagnosticsEngine.followUp(input);
        answers.push(answer.text);
        return answer;
      },
    });
    expect(answers[0]).toMatch(
      /^The diagnostics engine keeps no thread, so it investigated orders again to answer "what would deleting the quota do\?"/,
    );
  });

  it('ends the thread at a follow-up the engine fails, as an error case', async () => {
    const result = await run({
      ...diagnosticsEngine,
      followUp: () => Promise.reject(new Error('sandbox gone')),
    });
    expect(result.verdict).toBe('error');
    expect(result.followUps).toEqual([
      {
        prompt: 'what would deleting the quota do?',
        verdict: 'error',
        latencyMs: expect.any(Number),
        actions: [],
        error: 'sandbox gone',
      },
    ]);
  });
});
