// The Claude loop through the real SDK against the strict fake: concurrent tool calls and
// specialists with results in the model's order, per-role step budgets with one request to
// conclude and partial specialist answers, repeated calls answered from memory, a tool that never
// answers, rolling cache breakpoints within the API's limit, and a follow-up whose answer is the result.
import { z } from 'zod';
import { claudeEngine, draftReport, runTurn, thoughts, toolEnds } from '../__fixtures__/claude-engine';
import {
  callTool,
  type FakeAnthropic,
  type FakeStep,
  say,
  startFakeAnthropic,
} from '../testing/fake-anthropic';
import { defineTool } from '../tools/define';
import { type Toolset } from '../tools/registry';

let fake: FakeAnthropic;
beforeEach(async () => {
  fake = await startFakeAnthropic();
});
afterEach(() => fake.close());

const calls = (...uses: { name: string; input: unknown; id?: string }[]): FakeStep => ({
  kind: 'message',
  content: uses.map((u) => ({ type: 'tool_use' as const, ...u })),
});
type Block = { type: string; tool_use_id?: string; content?: string; text?: string; cache_control?: unknown };
const lastUserBlocks = (i: number) => fake.requests[i]!.body.messages.at(-1)!.content as Block[];

/** A tool the commander may call that never answers. */
const hanging: Toolset = {
  name: 'test/hanging',
  description: 'A cluster read that never answers.',
  tools: [
    defineTool({
      name: 'kubectl_get',
      description: 'Never answers.',
      params: z.object({}),
      summary: () => 'Listing (never answers)',
      run: () => new Promise(() => undefined),
    }),
  ],
};

describe('the Claude loop', () => {
  it('runs the tool calls of one answer concurrently and returns the results in the order asked', async () => {
    fake.push(
      calls(
        { name: 'fetch_skill', input: { id: 'investigate' }, id: 'toolu_a' },
        { name: 'fetch_skill', input: { id: 'no-such-skill' }, id: 'toolu_b' },
      ),
      say('Done.'),
    );
    await runTurn(await claudeEngine(fake));
    expect(lastUserBlocks(1).map((b) => b.tool_use_id)).toEqual(['toolu_a', 'toolu_b']);
    expect(lastUserBlocks(1)[0]!.content).toMatch(/^<tool_output tool="fetch_skill">/);
    expect(fake.refusals).toEqual([]);
  });

  it('runs two specialists at once, each routed to its own script', async () => {
    fake.push(
      calls(
        { name: 'investigator', input: { task: 'TASK-A: read the deployment' }, id: 'toolu_inv' },
        { name: 'log_analyst', input: { task: 'TASK-B: read the logs' }, id: 'toolu_logs' },
      ),
      { kind: 'message', content: [{ type: 'text', text: 'A: image tag is wrong.' }], match: 'TASK-A' },
      { kind: 'message', content: [{ type: 'text', text: 'B: ErrImagePull in events.' }], match: 'TASK-B' },
      say('Both agree.'),
    );
    const { events, result } = await runTurn(await claudeEngine(fake));
    expect(result?.subtype).toBe('success');
    const answers = lastUserBlocks(3);
    expect(answers.map((b) => b.tool_use_id)).toEqual(['toolu_inv', 'toolu_logs']);
    expect(answers[0]!.content).toContain('A: image tag is wrong.');
    expect(answers[1]!.content).toContain('B: ErrImagePull in events.');
    expect(
      toolEnds(events)
        .filter((t) => t.role === 'commander')
        .map((t) => t.name),
    ).toEqual(expect.arrayContaining(['investigator', 'log_analyst']));
  });

  it('ends with the error of a failed specialist, and nothing of its sibling follows it', async () => {
    fake.push(
      calls(
        { name: 'investigator', input: { task: 'TASK-OK: read' }, id: 'toolu_ok' },
        { name: 'log_analyst', input: { task: 'TASK-BAD: read' }, id: 'toolu_bad' },
      ),
      { kind: 'http_error', status: 400, type: 'invalid_request_error', message: 'bad', match: 'TASK-BAD' },
      { kind: 'hang', content: [{ type: 'text', text: 'Still reading' }], match: 'TASK-OK' },
    );
    const { events } = await runTurn(await claudeEngine(fake));
    expect(events.at(-1)).toMatchObject({ type: 'error', data: { code: 'provider_400' } });
    expect(events.filter((e) => e.type === 'error' || e.type === 'result')).toHaveLength(1);
  });

  it('a specialist out of steps returns its partial findings, and the report is marked partial', async () => {
    fake.push(
      callTool('investigator', { task: 'TASK-C: dig' }, undefined, 'toolu_dig'),
      ...Array.from({ length: 3 }, (_, i) => ({
        ...callTool('fetch_skill', { id: i % 2 ? 'investigate' : 'kubernetes-debugging' }, `Reading ${i}.`),
        match: 'TASK-C',
      })),
      callTool('submit_report', draftReport),
      say('Reported.'),
    );
    const { events, result } = await runTurn(
      await claudeEngine(fake, {
        limits: { maxStepsPerRole: { commander: 20, investigator: 3, log_analyst: 3, remediator: 3 } },
      }),
    );
    expect(result).toMatchObject({ subtype: 'success', report: { partial: true } });
    const answer = lastUserBlocks(4)[0]!.content!;
    expect(answer).toContain('PARTIAL: the investigator stopped at its 3 steps before concluding.');
    expect(answer).toContain('Reading 2.');
    // Asked once, one step before the end, to conclude.
    expect(thoughts(events).filter((t) => t.startsWith('Asking the investigator to conclude'))).toHaveLength(
      1,
    );
    expect(JSON.stringify(fake.requests[3]!.body.messages.at(-1))).toContain(
      'Stop calling tools and answer now',
    );
  });

  it('asks the commander once to conclude near the turn limit, and ends with a partial report when it does not', async () => {
    fake.push(
      ...Array.from({ length: 6 }, (_, i) =>
        callTool('fetch_skill', { id: i % 2 ? 'investigate' : 'log-analysis' }),
      ),
    );
    const { events, result } = await runTurn(await claudeEngine(fake, { limits: { maxTurns: 5 } }));
    expect(result).toMatchObject({ subtype: 'error_max_turns', success: false, report: { partial: true } });
    expect(thoughts(events).filter((t) => t.startsWith('Asking the commander to conclude'))).toEqual([
      'Asking the commander to conclude: 3 of 5 model calls left.',
    ]);
    expect(JSON.stringify(fake.requests[2]!.body.messages.at(-1))).toContain('call `submit_report` now');
  });

  it('answers a repeated identical call from the earlier result, and says so once it keeps repeating', async () => {
    fake.push(
      ...Array.from({ length: 4 }, () => callTool('fetch_skill', { id: 'investigate' })),
      say('Enough.'),
    );
    const { events } = await runTurn(await claudeEngine(fake));
    const ends = toolEnds(events);
    expect(ends.map((t) => t.summary)).toEqual([
      expect.not.stringContaining('earlier'),
      'Answered from the earlier identical fetch_skill call',
      'Answered from the earlier identical fetch_skill call',
      'Answered from the earlier identical fetch_skill call',
    ]);
    expect(lastUserBlocks(4)[0]!.content).toContain(
      'You have made this exact call 4 times; the answer will not change.',
    );
  });

  it('abandons a tool that does not answer in time, with one tool_end, and the turn still ends', async () => {
    fake.push(callTool('kubectl_get', {}), say('The cluster read timed out; concluding without it.'));
    const { events, result } = await runTurn(
      await claudeEngine(fake, { toolsets: [hanging], limits: { toolTimeoutMs: 50 } }),
    );
    expect(result?.subtype).toBe('success');
    expect(toolEnds(events)).toEqual([
      expect.objectContaining({ name: 'kubectl_get', status: 'error', summary: 'kubectl_get timed out' }),
    ]);
    expect(lastUserBlocks(1)[0]).toMatchObject({
      is_error: true,
      content: expect.stringContaining('did not answer within 0 s'),
    });
  });

  it('keeps two rolling cache breakpoints on the newest tool results, four in all', async () => {
    fake.push(
      callTool('fetch_skill', { id: 'investigate' }),
      callTool('fetch_skill', { id: 'log-analysis' }),
      callTool('fetch_skill', { id: 'kubernetes-debugging' }),
      say('Done.'),
    );
    await runTurn(await claudeEngine(fake));
    const last = fake.requests[3]!.body;
    const marked = last.messages.flatMap((m, i) =>
      Array.isArray(m.content)
        ? m.content.flatMap((b, j) => ((b as Block).cache_control ? [`${i}.${j}`] : []))
        : [],
    );
    expect(marked).toEqual(['4.0', '6.0']);
    expect(last.tools!.at(-1)!.cache_control).toEqual({ type: 'ephemeral' });
    // The conversation the provider keeps never carried the markers: earlier turns went back unmarked.
    expect((fake.requests[3]!.body.messages[2]!.content as Block[])[0]!.cache_control).toBeUndefined();
    expect(fake.refusals).toEqual([]);
  });

  it('makes a follow-up answer the result, not a report without a cause', async () => {
    fake.push(say('Yes: the new pods are Ready and the error rate is back to zero.'));
    const { result } = await runTurn(await claudeEngine(fake), 'is it fixed now?', [
      { role: 'user', text: 'checkout is returning 500s' },
      { role: 'assistant', text: 'CHECKOUT_DB_URL is missing.' },
    ]);
    expect(result).toMatchObject({
      subtype: 'success',
      text: 'Yes: the new pods are Ready and the error rate is back to zero.',
    });
    expect(result).not.toHaveProperty('report');
  });
});
