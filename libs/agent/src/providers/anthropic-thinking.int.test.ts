// Thinking and stop reasons through the real SDK against the strict fake: thinking blocks (and
// redacted ones) go back verbatim with the tool results, their summaries stream as thoughts between
// tool calls, and every stop_reason ends the turn with its own subtype or is carried on from.
import { claudeEngine, draftReport, runTurn, thoughts } from '../__fixtures__/claude-engine';
import { callTool, type FakeAnthropic, say, startFakeAnthropic } from '../testing/fake-anthropic';

let fake: FakeAnthropic;
beforeEach(async () => {
  fake = await startFakeAnthropic();
});
afterEach(() => fake.close());

type Sent = {
  role: string;
  content: string | { type: string; thinking?: string; signature?: string; data?: string }[];
};

describe('thinking with Claude 5.5 models', () => {
  it('sends every thinking block back unchanged and streams the summaries between tool calls', async () => {
    fake.push(
      {
        kind: 'message',
        content: [
          { type: 'thinking', thinking: 'Scope first: checkout in shop.' },
          { type: 'text', text: 'Reading the method.' },
          { type: 'tool_use', name: 'fetch_skill', input: { id: 'investigate' } },
        ],
      },
      {
        kind: 'message',
        content: [
          { type: 'redacted_thinking' },
          { type: 'thinking', thinking: 'The skill says: analyzers are hypotheses.' },
          { type: 'tool_use', name: 'submit_report', input: draftReport },
        ],
      },
      say('Root cause found; see the report.'),
    );
    const { events, result } = await runTurn(await claudeEngine(fake));

    expect(fake.refusals).toEqual([]);
    expect(result).toMatchObject({ subtype: 'success', success: true });
    expect(thoughts(events)).toEqual([
      'Scope first: checkout in shop.',
      'Reading the method.',
      'The skill says: analyzers are hypotheses.',
      'Root cause found; see the report.',
    ]);
    // The third request carries both earlier assistant turns exactly as they were streamed.
    const sent = fake.requests[2]!.body.messages as Sent[];
    expect(sent[1]!.content).toEqual([
      { type: 'thinking', thinking: 'Scope first: checkout in shop.', signature: expect.any(String) },
      { type: 'thinking', thinking: 'Reading the method.', signature: expect.any(String) },
      expect.objectContaining({ type: 'tool_use', name: 'fetch_skill' }),
    ]);
    expect((sent[3]!.content as { type: string }[]).map((b) => b.type)).toEqual([
      'redacted_thinking',
      'thinking',
      'tool_use',
    ]);
  });

  it('asks for summaries on a model whose default display omits them, so thoughts are visible', async () => {
    fake.push(callTool('fetch_skill', { id: 'investigate' }, 'hidden words'), say('Done.'));
    const { events, result } = await runTurn(
      await claudeEngine(fake, { provider: { model: 'claude-opus-5-5' } }),
    );
    expect(result?.subtype).toBe('success');
    expect(fake.requests[0]!.body.thinking).toEqual({ type: 'adaptive', display: 'summarized' });
    expect(thoughts(events)).toContain('hidden words');
    const sent = fake.requests[1]!.body.messages as Sent[];
    expect((sent[1]!.content as { type: string; thinking?: string }[])[0]).toMatchObject({
      type: 'thinking',
      thinking: 'hidden words',
    });
  });

  it('asks for the configured effort', async () => {
    fake.push(say('Nothing to do.'));
    await runTurn(await claudeEngine(fake, { provider: { effort: 'low' } }));
    expect(fake.requests[0]!.body.output_config).toEqual({ effort: 'low' });
  });

  it('uses manual thinking with a budget and the interleaved beta on Claude 4.5 models', async () => {
    fake.push(callTool('fetch_skill', { id: 'investigate' }, 'Looking.'), say('Done.'));
    const { result } = await runTurn(
      await claudeEngine(fake, { provider: { model: 'claude-sonnet-4-5', maxTokensPerCall: 8192 } }),
    );
    expect(result?.subtype).toBe('success');
    expect(fake.requests[0]!.body.thinking).toEqual({ type: 'enabled', budget_tokens: 4096 });
    expect(fake.requests[0]!.headers['anthropic-beta']).toContain('interleaved-thinking-2025-05-14');
    expect(fake.refusals).toEqual([]);
  });
});

describe('every stop reason', () => {
  it('a refusal ends the turn as error_refusal with what was found, marked partial', async () => {
    fake.push(callTool('fetch_skill', { id: 'investigate' }), {
      kind: 'message',
      content: [{ type: 'text', text: 'I cannot help with that.' }],
      stopReason: 'refusal',
    });
    const { result } = await runTurn(await claudeEngine(fake));
    expect(result).toMatchObject({
      subtype: 'error_refusal',
      success: false,
      text: expect.stringContaining('The model declined to continue the commander'),
    });
  });

  it('a max_tokens cut is asked again once with twice the room, then carries on', async () => {
    fake.push(
      { kind: 'message', content: [{ type: 'text', text: 'The cause is' }], stopReason: 'max_tokens' },
      say('The cause is the missing variable.'),
    );
    const { events, result } = await runTurn(
      await claudeEngine(fake, { provider: { maxTokensPerCall: 4000 } }),
    );
    expect(result?.subtype).toBe('success');
    expect(fake.requests.map((r) => r.body.max_tokens)).toEqual([4000, 8000]);
    // The cut answer was not kept: the retry is the same conversation.
    expect(fake.requests[1]!.body.messages).toEqual(fake.requests[0]!.body.messages);
    expect(thoughts(events)).toContain(
      "The commander's answer was cut at 4000 tokens; asking again with more room.",
    );
  });

  it('a second cut in a row ends as error_truncated', async () => {
    const cut = {
      kind: 'message' as const,
      content: [{ type: 'text' as const, text: 'The' }],
      stopReason: 'max_tokens',
    };
    fake.push(cut, cut);
    const { result } = await runTurn(await claudeEngine(fake));
    expect(result).toMatchObject({
      subtype: 'error_truncated',
      text: expect.stringContaining('cut at max_tokens'),
    });
  });

  it('a full context window ends as error_context_window, whether stop reason or 400', async () => {
    fake.push({
      kind: 'message',
      content: [{ type: 'text', text: 'x' }],
      stopReason: 'model_context_window_exceeded',
    });
    expect((await runTurn(await claudeEngine(fake))).result?.subtype).toBe('error_context_window');
    fake.push({
      kind: 'http_error',
      status: 400,
      type: 'invalid_request_error',
      message: 'prompt is too long: 1000123 tokens > 1000000 maximum',
    });
    const second = await runTurn(await claudeEngine(fake));
    expect(second.result).toMatchObject({
      subtype: 'error_context_window',
      text: expect.stringContaining('prompt is too long'),
    });
  });

  it('a paused turn is sent back as it is and continued', async () => {
    fake.push(
      { kind: 'message', content: [{ type: 'text', text: 'Still searching.' }], stopReason: 'pause_turn' },
      say('Found it.'),
    );
    const { result } = await runTurn(await claudeEngine(fake));
    expect(result?.subtype).toBe('success');
    expect(fake.requests[1]!.body.messages.at(-1)).toEqual({
      role: 'assistant',
      content: [{ type: 'text', text: 'Still searching.' }],
    });
    expect(fake.refusals).toEqual([]);
  });

  it('a second pause extends the same trailing assistant turn', async () => {
    const pause = (text: string) => ({
      kind: 'message' as const,
      content: [{ type: 'text' as const, text }],
      stopReason: 'pause_turn',
    });
    fake.push(pause('One.'), pause('Two.'), say('Three.'));
    const { events } = await runTurn(await claudeEngine(fake));
    expect(events.at(-1)).toMatchObject({ type: 'result', data: { subtype: 'success' } });
    expect(fake.requests[2]!.body.messages.at(-1)).toEqual({
      role: 'assistant',
      content: [
        { type: 'text', text: 'One.' },
        { type: 'text', text: 'Two.' },
      ],
    });
    expect(fake.refusals).toEqual([]);
  });

  it('endless pauses end as error_paused', async () => {
    const pause = {
      kind: 'message' as const,
      content: [{ type: 'text' as const, text: 'More.' }],
      stopReason: 'pause_turn',
    };
    fake.push(pause, pause, pause, pause);
    expect((await runTurn(await claudeEngine(fake))).result?.subtype).toBe('error_paused');
  });
});
