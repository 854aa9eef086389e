// The executor end to end: HTTP → SSE on a real server, the agent reading kube-sim through a
// kubeconfig, Claude through the local fake Messages API. Streams, errors, one turn per thread,
// interrupts, limits, conversation state and metrics.
import path from 'node:path';
import { callTool, say, startFakeAnthropic, type FakeAnthropic } from '@foxhound/agent';
import { type KubeSim, startKubeSim } from '@foxhound/kube-sim';
import { metric, open, post, SCENARIOS, startTestExecutor } from './__fixtures__/executor';

let sim: KubeSim;
beforeAll(async () => {
  sim = await startKubeSim({ scenarios: [path.join(SCENARIOS, 'crashloop-missing-env')] });
});
afterAll(() => sim.close());

const investigate = {
  prompt: 'account-service deploy to 5.12.0 is stuck and the new pod is crash looping',
  context: { namespaces: ['identity'] },
};

describe('executor with the offline engine', () => {
  let executor: Awaited<ReturnType<typeof startTestExecutor>>;
  beforeAll(async () => {
    executor = await startTestExecutor(sim);
  });
  afterAll(() => executor.cleanup());

  it('streams an investigation as numbered SSE events ending with one result', async () => {
    const stream = await post(executor.url, '/execute', { ...investigate, thread_id: 't-offline' });
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers['x-thread-id']).toBe('t-offline');
    expect(stream.frames.map((f) => f.id)).toEqual(stream.frames.map((_, i) => String(i + 1)));
    expect(stream.events.every((e) => e.thread_id === 't-offline')).toBe(true);
    expect(stream.events.filter((e) => e.type === 'result' || e.type === 'error')).toHaveLength(1);
    const result = stream.events.at(-1)!;
    expect(result).toMatchObject({
      type: 'result',
      data: { success: true, subtype: 'success', provider: 'offline' },
    });
    if (result.type !== 'result') throw new Error('no result');
    expect(result.data.report?.rootCause).toContain('OIDC_ISSUER_URL');
    expect(result.data.text).toMatch(/^## Root cause/);
    expect(stream.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['thought', 'tool_start', 'tool_end', 'finding', 'proposal']),
    );
  });

  it.each([
    [
      'an empty prompt',
      { prompt: '', thread_id: 't1' },
      'Invalid body.prompt: Too small: expected string to have >=1 characters.',
    ],
    [
      'a thread id with a slash',
      { prompt: 'x', thread_id: '../etc' },
      'Invalid body.thread_id: thread id must be 1-128 characters of letters, digits, ".", "_" or "-".',
    ],
    [
      'a namespace list that is not a list',
      { prompt: 'x', thread_id: 't1', context: { namespaces: 'shop' } },
      'Invalid body.context.namespaces: Invalid input: expected array, received string.',
    ],
  ])('400 on %s', async (_name, body, detail) => {
    const res = await post(executor.url, '/execute', body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ detail, code: 'bad_request' });
  });

  it('400 on a body that is not JSON', async () => {
    const res = await fetch(`${executor.url}/execute`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"prompt":',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ detail: 'Request body is not valid JSON.', code: 'bad_request' });
  });

  it('413 on a body over the bound', async () => {
    const res = await fetch(`${executor.url}/execute`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'x', thread_id: 't1', context: { notes: 'n'.repeat(5 * 1024 * 1024) } }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ detail: 'Request body is too large.', code: 'payload_too_large' });
  });

  it('answers /interrupt with one error event when nothing runs on the thread', async () => {
    const res = await post(executor.url, '/interrupt', { thread_id: 'idle-thread' });
    expect(res.events).toEqual([
      expect.objectContaining({
        type: 'error',
        data: {
          message: 'No turn is running on thread idle-thread.',
          recoverable: true,
          code: 'not_running',
        },
      }),
    ]);
  });

  it('serves probes and counts turns, tools and events in /metrics', async () => {
    expect(await (await fetch(`${executor.url}/healthz`)).json()).toEqual({
      status: 'ok',
      service: 'executor',
    });
    expect(
      await metric(executor.url, 'foxhound_executor_turns_total{provider="offline",subtype="success"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await metric(
        executor.url,
        'foxhound_executor_tool_calls_total{tool="run_diagnostics",status="success"}',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await metric(executor.url, 'foxhound_executor_events_total{type="result"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(await metric(executor.url, 'foxhound_executor_running_turns')).toBe(0);
  });
});

describe('executor limits', () => {
  it.each([
    [
      'the prompt size',
      { EXECUTOR_MAX_PROMPT_CHARS: '100' },
      {
        type: 'error',
        data: {
          code: 'prompt_too_large',
          recoverable: false,
          message: expect.stringContaining('EXECUTOR_MAX_PROMPT_CHARS'),
        },
      },
    ],
    [
      'the turns per request',
      { EXECUTOR_MAX_TURNS: '2' },
      {
        type: 'result',
        data: {
          subtype: 'error_max_turns',
          success: false,
          text: expect.stringContaining('EXECUTOR_MAX_TURNS'),
        },
      },
    ],
  ])('ends with a clear event at %s', async (_name, env, terminal) => {
    const executor = await startTestExecutor(sim, env);
    try {
      const stream = await post(executor.url, '/execute', {
        ...investigate,
        prompt: `${investigate.prompt} ${'!'.repeat(100)}`,
        thread_id: 't-limit',
      });
      expect(stream.status).toBe(200);
      expect(stream.events.at(-1)).toMatchObject(terminal);
      expect(stream.events.filter((e) => e.type === 'result' || e.type === 'error')).toHaveLength(1);
    } finally {
      await executor.cleanup();
    }
  });
});

describe('executor with Claude', () => {
  let fake: FakeAnthropic;
  let executor: Awaited<ReturnType<typeof startTestExecutor>>;
  beforeEach(async () => {
    fake = await startFakeAnthropic();
    executor = await startTestExecutor(
      sim,
      { EXECUTOR_TURN_TIMEOUT_SECONDS: '30' },
      { fake, heartbeatMs: 10 },
    );
  });
  afterEach(async () => {
    await executor.cleanup();
    await fake.close();
  });

  it('interrupts a running turn: 409 for a second turn meanwhile, then a clean interrupted result', async () => {
    fake.push({ kind: 'hang', content: [{ type: 'text', text: 'Looking at identity first.' }] });
    const first = await open(executor.url, { ...investigate, thread_id: 't-busy' });
    await fake.waitForRequests(1);

    const second = await post(executor.url, '/execute', { ...investigate, thread_id: 't-busy' });
    expect(second.status).toBe(409);
    expect(second.body).toEqual({
      detail: 'A turn is already running on thread t-busy; wait for its result or interrupt it.',
      code: 'conflict',
    });

    const interrupt = await post(executor.url, '/interrupt', { thread_id: 't-busy' });
    expect(interrupt.events.map((e) => [e.type, e.data])).toEqual([
      ['thought', { text: 'Interrupting the running turn.' }],
      [
        'result',
        { text: 'Task interrupted. Send a new message to continue.', success: true, subtype: 'interrupted' },
      ],
    ]);
    const events = await first.done;
    expect(events.at(-1)).toMatchObject({ type: 'result', data: { subtype: 'interrupted', success: true } });
    // Heartbeats kept the quiet stream alive while the model hung.
    expect(first.frames.some((f) => f.comments.includes('heartbeat'))).toBe(true);
    // The thread is free again.
    fake.push(say('Back again.'));
    expect((await post(executor.url, '/execute', { prompt: 'and now?', thread_id: 't-busy' })).status).toBe(
      200,
    );
  });

  it('keeps the conversation for follow-ups in the same sandbox', async () => {
    fake.push(say('The quota is exhausted.'), say('It still is.'));
    await post(executor.url, '/execute', { prompt: 'why is orders stuck?', thread_id: 't-chat' });
    await post(executor.url, '/execute', { prompt: 'and now?', thread_id: 't-chat' });
    const messages = fake.requests[1]!.body.messages;
    expect(messages.slice(0, 2)).toEqual([
      { role: 'user', content: 'why is orders stuck?' },
      { role: 'assistant', content: expect.stringContaining('The quota is exhausted.') },
    ]);
    expect(messages[2]).toMatchObject({ role: 'user', content: expect.stringContaining('and now?') });
  });

  it('resumes a thread from the history a replacement sandbox is handed', async () => {
    fake.push(say('Continuing.'));
    const history = [
      { role: 'user', text: 'why is orders stuck?' },
      { role: 'assistant', text: 'The quota is exhausted.' },
    ];
    await post(executor.url, '/execute', { prompt: 'and now?', thread_id: 't-moved', history });
    expect(fake.requests[0]!.body.messages.slice(0, 2)).toEqual([
      { role: 'user', content: 'why is orders stuck?' },
      { role: 'assistant', content: 'The quota is exhausted.' },
    ]);
  });

  it('interrupts the turn of a client that goes away, freeing the thread', async () => {
    fake.push({ kind: 'hang' });
    const controller = new AbortController();
    const gone = post(
      executor.url,
      '/execute',
      { ...investigate, thread_id: 't-gone' },
      controller.signal,
    ).catch(() => undefined);
    await fake.waitForRequests(1);
    controller.abort();
    await gone;
    for (let i = 0; i < 200 && (await metric(executor.url, 'foxhound_executor_running_turns')) > 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(
      await metric(executor.url, 'foxhound_executor_turns_total{provider="anthropic",subtype="interrupted"}'),
    ).toBe(1);
  });

  it('accounts tokens and cost in the result and in /metrics', async () => {
    fake.push(
      callTool('fetch_skill', { id: 'investigate' }),
      say('Nothing wrong.', { input_tokens: 1000, output_tokens: 200, cache_read_input_tokens: 500 }),
    );
    const stream = await post(executor.url, '/execute', { prompt: 'check identity', thread_id: 't-cost' });
    expect(stream.events.at(-1)).toMatchObject({
      type: 'result',
      data: {
        provider: 'anthropic',
        model: 'claude-sonnet-5-5',
        usage: { inputTokens: 1120, outputTokens: 240, cacheReadInputTokens: 500, modelCalls: 2 },
      },
    });
    expect(
      await metric(executor.url, 'foxhound_executor_model_tokens_total{provider="anthropic",kind="input"}'),
    ).toBe(1120);
    expect(
      await metric(executor.url, 'foxhound_executor_model_cost_usd_total{provider="anthropic"}'),
    ).toBeGreaterThan(0);
  });
});

describe('executor wall-clock limit', () => {
  it('ends a turn that runs past EXECUTOR_TURN_TIMEOUT_SECONDS with error_timeout', async () => {
    const fake = await startFakeAnthropic({ script: [{ kind: 'hang' }] });
    const executor = await startTestExecutor(sim, { EXECUTOR_TURN_TIMEOUT_SECONDS: '1' }, { fake });
    try {
      const stream = await post(executor.url, '/execute', { prompt: 'slow', thread_id: 't-slow' });
      expect(stream.events.at(-1)).toMatchObject({
        type: 'result',
        data: {
          subtype: 'error_timeout',
          success: false,
          text: expect.stringContaining('EXECUTOR_TURN_TIMEOUT_SECONDS'),
        },
      });
    } finally {
      await executor.cleanup();
      await fake.close();
    }
  });
});
