// The Claude provider end to end: the real @anthropic-ai/sdk over HTTP against the strict fake of the
// Messages API that speaks real SSE. Scripts cover subagent delegation, a refused tool, retries
// (429, 529, an error inside the stream), malformed tool input, the API failing for good (an error
// event, or the configured fallback), limits and interrupts. Thinking and stop reasons:
// anthropic-thinking.int.test.ts; the loop's concurrency and budgets: anthropic-loop.int.test.ts.
import { type StreamEvent } from '@foxhound/contracts';
import { type ClusterReader, ClusterReadError } from '../cluster/reader';
import { createEngine, TurnInterrupted, type Engine } from '../engine';
import { DEFAULT_LIMITS, type TurnLimits } from '../limits';
import { investigator } from '../roles/roles';
import { skillsToolset } from '../skills/fetch-skill';
import { loadSkillLibrary } from '../skills/library';
import { callTool, say, startFakeAnthropic, type FakeAnthropic } from '../testing/fake-anthropic';
import { ToolRegistry } from '../tools/registry';
import { reportToolset } from '../tools/report/submit-report';
import { AnthropicProvider } from './anthropic';
import { type ModelProvider } from './types';

/** No cluster behind these tests: any read fails loudly. */
const noCluster: ClusterReader = new Proxy({} as ClusterReader, {
  get: () => () =>
    Promise.reject(new ClusterReadError('read the cluster', undefined, 'no cluster in this test')),
});

const report = {
  summary: 'checkout crashes at start-up because CHECKOUT_DB_URL is missing.',
  rootCause: 'Deployment shop/checkout revision 7 dropped CHECKOUT_DB_URL, so the app exits at start.',
  healthy: false,
  affected: { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
  evidence: [{ source: 'previous-log', excerpt: 'KeyError: CHECKOUT_DB_URL' }],
  confidence: 0.85,
};

let fake: FakeAnthropic;
const skills = loadSkillLibrary();

beforeEach(async () => {
  fake = await startFakeAnthropic();
});
afterEach(async () => {
  await fake.close();
});

async function engineWith(limits: Partial<TurnLimits> = {}, fallback?: ModelProvider): Promise<Engine> {
  const registry = await ToolRegistry.create([skillsToolset(skills), reportToolset]);
  const provider = new AnthropicProvider({
    apiKey: fake.apiKey,
    baseURL: fake.url,
    maxRetries: 2,
    retryBaseMs: 1,
  });
  return createEngine({
    provider,
    fallback,
    registry,
    cluster: noCluster,
    skills,
    limits: { ...DEFAULT_LIMITS, ...limits },
  });
}

async function run(
  engine: Engine,
  prompt = 'checkout is returning 500s',
  signal = new AbortController().signal,
) {
  const events: StreamEvent[] = [];
  const output = await engine.runTurn(
    { threadId: 't-1', prompt, history: [], context: { namespaces: ['shop'] } },
    { emit: (e) => void events.push(e) },
    signal,
  );
  return { events, output, result: events.find((e) => e.type === 'result') };
}

const toolEnds = (events: StreamEvent[]) => events.flatMap((e) => (e.type === 'tool_end' ? [e.data] : []));

describe('AnthropicProvider against the fake Messages API', () => {
  it('runs a subagent as a tool, stamps its events, refuses a tool outside its list, and reports', async () => {
    fake.push(
      callTool('fetch_skill', { id: 'investigate' }, 'Phase 1, scope: checkout in shop.'),
      callTool(
        'investigator',
        { task: 'Why do checkout pods in shop restart?' },
        undefined,
        'toolu_delegate',
      ),
      callTool('fetch_skill', { id: 'kubernetes-debugging' }),
      callTool('propose_action', { action: { type: 'DeletePod', namespace: 'shop', name: 'checkout-1' } }),
      say('The previous container log ends with KeyError: CHECKOUT_DB_URL.'),
      callTool('submit_report', report),
      say('Root cause found; see the report.'),
    );
    const { events, result } = await run(await engineWith());

    expect(events.at(-1)?.type).toBe('result');
    expect(result?.data).toMatchObject({
      success: true,
      subtype: 'success',
      provider: 'anthropic',
      model: 'claude-sonnet-5-5',
    });
    if (result?.type !== 'result') throw new Error('no result');
    expect(result.data.report).toMatchObject({
      rootCause: report.rootCause,
      healthy: false,
      confidence: 0.85,
    });
    expect(result.data.text).toContain('## Root cause');
    expect(result.data.usage).toMatchObject({ modelCalls: 7, inputTokens: 7 * 120, outputTokens: 7 * 40 });
    expect(result.data.usage!.costUsd).toBeCloseTo((7 * 120 * 2 + 7 * 40 * 10) / 1e6, 10);

    // Everything the investigator emitted carries the commander's tool_use id and its role.
    const inside = events.filter((e) => 'parent_tool_use_id' in e.data);
    expect(inside.length).toBeGreaterThanOrEqual(5);
    for (const e of inside)
      expect(e.data).toMatchObject({ parent_tool_use_id: 'toolu_delegate', role: 'investigator' });
    expect(toolEnds(events).find((t) => t.name === 'propose_action')).toMatchObject({
      status: 'refused',
      success: false,
      role: 'investigator',
      error: expect.stringContaining('may not call propose_action'),
    });
    expect(toolEnds(events).find((t) => t.name === 'investigator')).toMatchObject({
      status: 'success',
      output: 'The previous container log ends with KeyError: CHECKOUT_DB_URL.',
      role: 'commander',
    });
  });

  it('sends the key as a bearer token, caches the system prompt and tools, and gives each role its allow-list', async () => {
    fake.push(
      callTool('investigator', { task: 'Look at shop.' }),
      say('Nothing wrong in shop.'),
      callTool('submit_report', { ...report, healthy: true }),
      say('Done.'),
    );
    await run(await engineWith());
    const [first, sub] = fake.requests;
    expect(first!.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(first!.body).toMatchObject({ model: 'claude-sonnet-5-5', stream: true });
    expect(first!.body.system).toEqual([expect.objectContaining({ cache_control: { type: 'ephemeral' } })]);
    const commanderTools = first!.body.tools!.map((t) => t.name);
    expect(commanderTools).toEqual([
      'fetch_skill',
      'investigator',
      'log_analyst',
      'remediator',
      'submit_report',
    ]);
    expect(first!.body.tools!.at(-1)!.cache_control).toEqual({ type: 'ephemeral' });
    expect(first!.body.tools!.slice(0, -1).every((t) => t.cache_control === undefined)).toBe(true);
    // The subagent: its own prompt, only enabled tools from its allow-list, no delegation, no report.
    const subTools = sub!.body.tools!.map((t) => t.name);
    expect(subTools.every((name) => investigator.tools.includes(name))).toBe(true);
    expect(subTools).not.toContain('submit_report');
    expect((sub!.body.system as { text: string }[])[0]!.text).toContain("Foxhound's investigator");
    expect(sub!.body.messages).toEqual([
      {
        role: 'user',
        content: expect.stringMatching(
          /^Look at shop\.\n\nNamespaces in scope: shop\.\n\nCurrent time: \S+Z \(UTC\)\.$/,
        ),
      },
    ]);
    // Adaptive thinking with summaries, no sampling parameters, no forced tool choice.
    expect(first!.body).toMatchObject({ thinking: { type: 'adaptive', display: 'summarized' } });
    for (const key of ['temperature', 'top_p', 'top_k', 'tool_choice'])
      expect(first!.body).not.toHaveProperty(key);
    expect(fake.refusals).toEqual([]);
  });

  it.each([
    [
      'a 429 rate limit',
      { kind: 'http_error', status: 429, type: 'rate_limit_error', headers: { 'retry-after-ms': '1' } },
    ],
    [
      'a 529 overload',
      { kind: 'http_error', status: 529, type: 'overloaded_error', headers: { 'retry-after-ms': '1' } },
    ],
    ['a 500', { kind: 'http_error', status: 500, type: 'api_error', headers: { 'retry-after-ms': '1' } }],
    ['an overloaded error inside the stream', { kind: 'stream_error', type: 'overloaded_error' }],
  ] as const)('retries %s and then succeeds', async (_name, failure) => {
    fake.push(failure, callTool('submit_report', report), say('Done.'));
    const { result } = await run(await engineWith());
    expect(result?.data).toMatchObject({ subtype: 'success', success: true });
    expect(fake.requests).toHaveLength(3);
  });

  it('returns malformed tool input to the model as an error and carries on', async () => {
    fake.push(
      {
        kind: 'message',
        content: [{ type: 'tool_use', name: 'fetch_skill', rawInput: '{"id": "investigate"' }],
      },
      callTool('fetch_skill', { id: 'no-such-skill' }),
      callTool('submit_report', report),
      say('Done.'),
    );
    const { events, result } = await run(await engineWith());
    const [broken, invalid] = toolEnds(events);
    expect(broken).toMatchObject({
      name: 'fetch_skill',
      status: 'error',
      error: expect.stringContaining('could not be read (invalid JSON'),
    });
    expect(invalid).toMatchObject({
      status: 'error',
      error: expect.stringContaining('Invalid input for fetch_skill: id:'),
    });
    expect(invalid!.error).toContain('investigate');
    const answer = fake.requests[1]!.body.messages.at(-1) as {
      content: { type: string; is_error?: boolean }[];
    };
    expect(answer.content[0]).toMatchObject({ type: 'tool_result', is_error: true });
    expect(result?.data).toMatchObject({ subtype: 'success' });
  });

  it('ends with an error event, not a silent fallback, when the API refuses the request', async () => {
    fake.push({
      kind: 'http_error',
      status: 400,
      type: 'invalid_request_error',
      message: 'max_tokens: too large',
    });
    const { events, output } = await run(await engineWith());
    expect(events).toEqual([
      expect.objectContaining({
        type: 'error',
        data: {
          message: 'The Claude API failed: 400 invalid_request_error: max_tokens: too large',
          recoverable: false,
          code: 'provider_400',
        },
      }),
    ]);
    expect(output.subtype).toBe('error_provider');
    expect(fake.requests).toHaveLength(1);
  });

  it('falls back when configured to, and announces it', async () => {
    fake.push({ kind: 'http_error', status: 401, type: 'authentication_error' });
    const fallback: ModelProvider = {
      name: 'offline',
      model: 'offline',
      runTurn: async (_request, ctx) => {
        await ctx.tools.emitter.thought('Offline engine taking over.');
        return { text: 'offline answer' };
      },
    };
    const { events, result } = await run(await engineWith({}, fallback));
    expect(events.filter((e) => e.type === 'thought').map((e) => (e.data as { text: string }).text)).toEqual([
      expect.stringContaining('The Claude API failed: 401'),
      'Offline engine taking over.',
    ]);
    expect(result?.data).toMatchObject({ subtype: 'success', provider: 'offline' });
  });

  it.each([
    ['turns', { maxTurns: 2 }, 'error_max_turns', 'EXECUTOR_MAX_TURNS'],
    ['tokens', { maxTokens: 300 }, 'error_max_tokens', 'EXECUTOR_MAX_TOKENS'],
  ] as const)('stops at the %s limit with a result naming it', async (_name, limits, subtype, variable) => {
    fake.push(...Array.from({ length: 5 }, () => callTool('fetch_skill', { id: 'investigate' })));
    const { events, result } = await run(await engineWith(limits));
    expect(result?.data).toMatchObject({ subtype, success: false, text: expect.stringContaining(variable) });
    expect(events.filter((e) => e.type === 'result' || e.type === 'error')).toHaveLength(1);
  });

  it('stops at the wall-clock limit while the model is still answering', async () => {
    fake.push({ kind: 'hang', content: [{ type: 'text', text: 'Thinking about' }] });
    const { result } = await run(await engineWith({ timeoutMs: 50 }));
    expect(result?.data).toMatchObject({
      subtype: 'error_timeout',
      text: expect.stringContaining('EXECUTOR_TURN_TIMEOUT_SECONDS'),
    });
  });

  it('stops cleanly when interrupted mid-response', async () => {
    fake.push({ kind: 'hang' });
    const controller = new AbortController();
    const running = run(await engineWith(), 'investigate', controller.signal);
    await fake.waitForRequests(1);
    controller.abort(new TurnInterrupted('interrupted'));
    const { result, events } = await running;
    expect(result?.data).toMatchObject({
      subtype: 'interrupted',
      success: true,
      text: expect.stringContaining('Task interrupted'),
    });
    expect(events.at(-1)?.type).toBe('result');
  });

  it('sends earlier turns of the thread as conversation history', async () => {
    fake.push(say('It is still the missing variable.'));
    const engine = await engineWith();
    await engine.runTurn(
      {
        threadId: 't-1',
        prompt: 'Is it fixed now?',
        history: [
          { role: 'user', text: 'checkout is returning 500s' },
          { role: 'assistant', text: 'CHECKOUT_DB_URL is missing.' },
        ],
      },
      { emit: () => undefined },
      new AbortController().signal,
    );
    expect(fake.requests[0]!.body.messages).toEqual([
      { role: 'user', content: 'checkout is returning 500s' },
      { role: 'assistant', content: 'CHECKOUT_DB_URL is missing.' },
      { role: 'user', content: expect.stringContaining('Is it fixed now?') },
    ]);
    expect(fake.requests[0]!.body.messages[2]!.content).toContain('This is a follow-up');
  });
});
