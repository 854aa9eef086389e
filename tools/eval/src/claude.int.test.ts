// The agent-claude lane end to end through the CLI, against the agent's strict fake of the Messages
// API (a real HTTP server on loopback): the model-driven agent investigates a scenario in kube-sim,
// the case is scored with what the run did (the model wrote the report, tool calls by name, tokens,
// cost, grounding, valid proposals); a failed model call is an error case, never an offline pass;
// --ablate takes a tool away from every role; --record writes transcripts in the fake's replay form.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { callTool, type FakeAnthropic, say, startFakeAnthropic } from '@foxhound/agent';
import { runCli } from './main';
import { type EvalReport } from './report';

const SCENARIO = resolve(__dirname, '../../../scenarios/crashloop-missing-env');

/** What a careful model does on this incident, as the fake serves it turn by turn. */
const investigation = () => [
  callTool('run_diagnostics', {}, 'The analyzers first.'),
  callTool(
    'remediator',
    { task: 'Roll back identity/account-service: revision 32 dropped OIDC_ISSUER_URL.' },
    undefined,
    'toolu_rem',
  ),
  callTool('propose_action', {
    action: { type: 'RollbackDeployment', namespace: 'identity', name: 'account-service' },
    summary: 'Roll back to revision 31, which set OIDC_ISSUER_URL.',
  }),
  say('Proposed a rollback to revision 31.'),
  callTool('submit_report', {
    summary: 'account-service crash-loops: OIDC_ISSUER_URL was dropped from the pod template.',
    rootCause:
      'Revision 32 of Deployment identity/account-service removed the OIDC_ISSUER_URL environment variable, so the app exits at start.',
    healthy: false,
    affected: { kind: 'Deployment', namespace: 'identity', name: 'account-service' },
    evidence: [
      // Printed by run_diagnostics: grounded.
      {
        source: 'field',
        excerpt: 'status.containerStatuses[account-service].lastState.terminated.exitCode: 1',
      },
      // No tool printed this: a quote the model made up.
      { source: 'log', excerpt: 'FATAL: OIDC issuer unreachable at startup' },
    ],
    confidence: 0.9,
  }),
  say('Done.'),
];

describe('eval --engine agent-claude', () => {
  let fake: FakeAnthropic;
  let dir: string;
  const logs: string[] = [];
  const log = { out: (s: string) => void logs.push(s), err: (s: string) => void logs.push(s) };

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    dir = await mkdtemp(join(tmpdir(), 'eval-claude-'));
    logs.length = 0;
  });

  afterEach(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function evalClaude(...flags: string[]): Promise<{ code: number; report: EvalReport }> {
    const out = join(dir, 'report.json');
    const code = await runCli(
      ['--engine', 'agent-claude', '--scenarios', SCENARIO, '--lanes', 'plain', '--out', out, ...flags],
      { ANTHROPIC_API_KEY: fake.apiKey, ANTHROPIC_BASE_URL: fake.url },
      log,
    );
    return { code, report: JSON.parse(await readFile(out, 'utf8')) as EvalReport };
  }

  it('scores the model with what its run did', async () => {
    fake.push(...investigation());
    const { code, report } = await evalClaude();
    const [c] = report.results[0]!.cases;
    expect({ code, verdict: c!.verdict, misses: c!.score?.misses }).toEqual({
      code: 0,
      verdict: 'pass',
      misses: [],
    });
    expect(c!.trace).toMatchObject({
      modelAuthored: true,
      provider: 'anthropic',
      toolCalls: { run_diagnostics: 1, remediator: 1, propose_action: 1, submit_report: 1 },
      modelCalls: 6,
      proposals: 1,
      validProposals: 1,
    });
    expect(c!.trace!.tokens.input).toBeGreaterThan(0);
    expect(c!.trace!.tokens.output).toBeGreaterThan(0);
    expect(c!.trace!.costUsd).toBeGreaterThan(0);
    // Grounding: of the quotes the report carries, the share some tool output of the run contains.
    expect(c!.trace!.quotes).toBeGreaterThanOrEqual(2);
    expect(c!.trace!.grounded).toBeGreaterThanOrEqual(1);
    expect(c!.trace!.grounded).toBeLessThan(c!.trace!.quotes);
    expect(c!.trace!.groundingRate).toBe(c!.trace!.grounded / c!.trace!.quotes);
    expect(logs.join('\n')).toMatch(/## agent-claude · plain[\s\S]*model\s+tokens in\/out\/cache\s+cost/);
    expect(fake.refusals).toEqual([]);
  });

  it('counts a failed model call as an error, never as an offline pass', async () => {
    fake.push({
      kind: 'http_error',
      status: 400,
      type: 'invalid_request_error',
      message: 'messages: bad request',
    });
    const { code, report } = await evalClaude();
    const [c] = report.results[0]!.cases;
    expect(c).toMatchObject({ verdict: 'error' });
    expect(c!.error).toContain('bad request');
    expect(report.results[0]!.passRate).toBe(0);
    expect(code).toBe(1);
  });

  it('runs the agent without an ablated tool', async () => {
    fake.push(...investigation().slice(1));
    await evalClaude('--ablate', 'run_diagnostics');
    const offered = fake.requests.map((r) => (r.body.tools ?? []).map((t) => t.name));
    expect(offered[0]).not.toContain('run_diagnostics');
    expect(offered[0]).toContain('submit_report');
    expect(offered.flat()).not.toContain('run_diagnostics');
  });

  it('records every model call as a transcript the fake can replay, without the key', async () => {
    fake.push(...investigation());
    const { report } = await evalClaude('--record', join(dir, 'rec'), '--max-cost', '10');
    expect(report.results[0]!.cases[0]!.verdict).toBe('pass');
    const files = await readdir(join(dir, 'rec'));
    expect(files).toEqual(['plain-crashloop-missing-env-turn0.json']);
    const text = await readFile(join(dir, 'rec', files[0]!), 'utf8');
    expect(text).not.toContain(fake.apiKey);
    // The recorder rebuilt, from the streams, exactly the exchanges the fake served.
    expect(JSON.parse(text)).toEqual(fake.exchanges);
  });

  it('skips cases once --max-cost is spent', async () => {
    fake.push(...investigation());
    const { report } = await evalClaude('--max-cost', '0.000001', '--scenarios', SCENARIO);
    expect(report.results[0]!.cases.map((c) => c.verdict)).toEqual(['pass', 'skipped']);
    expect(report.results[0]!.skipped).toBe(1);
  });
});
