// The strict fake through the real @anthropic-ai/sdk: it refuses what the Messages API refuses,
// with the API's status, type and message, and its replay mode serves a recording only to the
// request it was recorded for.
import Anthropic, { APIError } from '@anthropic-ai/sdk';
import { type MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { callTool, type FakeAnthropic, say, startFakeAnthropic } from './fake-anthropic';

let fake: FakeAnthropic;
let client: Anthropic;
beforeEach(async () => {
  fake = await startFakeAnthropic();
  client = new Anthropic({ apiKey: fake.apiKey, baseURL: fake.url, maxRetries: 0 });
});
afterEach(() => fake.close());

const tool = {
  name: 'get_logs',
  description: 'Reads logs.',
  input_schema: { type: 'object' as const, properties: {} },
};
const ephemeral = { type: 'ephemeral' as const };

/** The first turn: thinking (the text before the call comes back as thinking on Sonnet 5.5) and one call. */
async function firstTurn(model = 'claude-sonnet-5-5') {
  fake.push(callTool('get_logs', {}, 'Reading the logs first.'));
  const message = await client.messages.create({
    model,
    max_tokens: 1000,
    tools: [tool],
    thinking: { type: 'adaptive', display: 'summarized' },
    messages: [{ role: 'user', content: 'why?' }],
  });
  return message;
}

async function refusal(
  request: Parameters<Anthropic['messages']['create']>[0],
): Promise<{ status?: number; type?: string; message: string }> {
  try {
    await client.messages.create(request);
  } catch (err) {
    if (!(err instanceof APIError)) throw err;
    const body = err.error as { error: { type: string; message: string } };
    return { status: err.status, type: body.error.type, message: body.error.message };
  }
  throw new Error('the fake accepted the request');
}

describe('the strict fake refuses what the API refuses', () => {
  it('returns the text before a tool call inside a signed thinking block', async () => {
    const message = await firstTurn();
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Reading the logs first.', signature: expect.any(String) },
      { type: 'tool_use', id: expect.stringMatching(/^toolu_/), name: 'get_logs', input: {} },
    ]);
  });

  it.each([
    [
      'a tool turn sent back without its thinking',
      (content: MessageParam['content'] & unknown[]) =>
        content.filter((b) => (b as { type: string }).type !== 'thinking'),
      /^messages\.1\.content\.0\.type: Expected `thinking` or `redacted_thinking`, but found `tool_use`\. When `thinking` is enabled/,
    ],
    [
      'a thinking block whose text was altered',
      (content: MessageParam['content'] & unknown[]) =>
        content.map((b) =>
          (b as { type: string }).type === 'thinking' ? { ...(b as object), thinking: 'edited' } : b,
        ),
      /^messages\.1\.content\.0: Invalid `signature` in `thinking` block$/,
    ],
  ])('refuses %s', async (_name, edit, message) => {
    const first = await firstTurn();
    const use = first.content.find((b) => b.type === 'tool_use')!;
    const content = edit(
      first.content as unknown as MessageParam['content'] & unknown[],
    ) as MessageParam['content'];
    const got = await refusal({
      model: 'claude-sonnet-5-5',
      max_tokens: 1000,
      tools: [tool],
      messages: [
        { role: 'user', content: 'why?' },
        { role: 'assistant', content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'log line' }] },
      ],
    });
    expect(got).toMatchObject({
      status: 400,
      type: 'invalid_request_error',
      message: expect.stringMatching(message),
    });
  });

  it('refuses thinking carried into a conversation whose earlier messages changed', async () => {
    const first = await firstTurn();
    const use = first.content.find((b) => b.type === 'tool_use')!;
    const got = await refusal({
      model: 'claude-sonnet-5-5',
      max_tokens: 1000,
      tools: [tool],
      messages: [
        { role: 'user', content: 'why? (edited)' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'log line' }] },
      ],
    });
    expect(got.message).toMatch(/^messages\.1\.content\.0: The block is bound to a different conversation/);
  });

  it.each([
    [
      'a forced tool choice with thinking',
      { tool_choice: { type: 'any' } },
      'claude-sonnet-4-6',
      'Thinking may not be enabled when tool_choice forces tool use.',
    ],
    [
      'a forced tool choice on Sonnet 5.5',
      { tool_choice: { type: 'tool', name: 'get_logs' }, thinking: { type: 'between_tools' } },
      'claude-sonnet-5-5',
      'tool_choice: forcing tool use is not supported for this model. Use "auto".',
    ],
    [
      'temperature on Sonnet 5.5',
      { temperature: 0.2 },
      'claude-sonnet-5-5',
      '`temperature` is deprecated for this model.',
    ],
    ['top_k on Opus 5.5', { top_k: 5 }, 'claude-opus-5-5', '`top_k` is deprecated for this model.'],
    [
      'thinking disabled on Sonnet 5.5',
      { thinking: { type: 'disabled' } },
      'claude-sonnet-5-5',
      '"thinking.type.disabled" is not supported for this model. Use "thinking.type.between_tools" to turn off up-front thinking.',
    ],
    [
      'manual thinking on Sonnet 5.5',
      { thinking: { type: 'enabled', budget_tokens: 2000 } },
      'claude-sonnet-5-5',
      '"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.',
    ],
  ])('refuses %s', async (_name, extra, model, message) => {
    const request = {
      model,
      max_tokens: 4000,
      tools: [tool],
      messages: [{ role: 'user' as const, content: 'why?' }],
      ...(model === 'claude-sonnet-4-6' ? { thinking: { type: 'adaptive' as const } } : {}),
      ...extra,
    } as Parameters<Anthropic['messages']['create']>[0];
    expect(await refusal(request)).toEqual({ status: 400, type: 'invalid_request_error', message });
  });

  it('refuses a tool_result without its tool_use, and a tool_use without its result', async () => {
    const first = await firstTurn();
    const use = first.content.find((b) => b.type === 'tool_use')!;
    const base = { model: 'claude-sonnet-5-5', max_tokens: 1000, tools: [tool] };
    expect(
      (
        await refusal({
          ...base,
          messages: [
            { role: 'user', content: 'why?' },
            { role: 'assistant', content: first.content },
            { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_nope', content: 'x' }] },
          ],
        })
      ).message,
    ).toBe(
      'messages.2.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_nope. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.',
    );
    expect(
      (
        await refusal({
          ...base,
          messages: [
            { role: 'user', content: 'why?' },
            { role: 'assistant', content: first.content },
            { role: 'user', content: 'carry on' },
          ],
        })
      ).message,
    ).toBe(
      `messages.1: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${use.id}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
    );
  });

  it('refuses a fifth cache breakpoint', async () => {
    const got = await refusal({
      model: 'claude-sonnet-5-5',
      max_tokens: 1000,
      system: [
        { type: 'text', text: 'a', cache_control: ephemeral },
        { type: 'text', text: 'b', cache_control: ephemeral },
      ],
      tools: [{ ...tool, cache_control: ephemeral }],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'c', cache_control: ephemeral },
            { type: 'text', text: 'd', cache_control: ephemeral },
          ],
        },
      ],
    });
    expect(got.message).toBe('A maximum of 4 blocks with cache_control may be provided. Found 5.');
  });
});

describe('replay mode', () => {
  it('serves a recorded answer to the same request (time masked) and names the first divergence otherwise', async () => {
    fake.push(say('Recorded answer.'));
    const ask = (content: string) =>
      client.messages.create({
        model: 'claude-sonnet-5-5',
        max_tokens: 100,
        messages: [{ role: 'user', content }],
      });
    await ask('why?\n\nCurrent time: 2026-12-07T10:00:00.000Z (UTC).');
    const recording = fake.exchanges;
    await fake.close();

    fake = await startFakeAnthropic({ replay: recording });
    client = new Anthropic({ apiKey: fake.apiKey, baseURL: fake.url, maxRetries: 0 });
    const again = await ask('why?\n\nCurrent time: 2027-01-01T00:00:00.000Z (UTC).');
    expect(again.content).toEqual([{ type: 'text', text: 'Recorded answer.' }]);

    fake = await restart(recording);
    const diverged = await refusal({
      model: 'claude-sonnet-5-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'why not?' }],
    });
    expect(diverged.message).toBe(
      'Replay divergence: at .messages.0.content: the request has "why not?" where the recording has "why?\\n\\nCurrent time: <volatile> (UTC)."',
    );
    expect(fake.divergences).toHaveLength(1);
  });
});

async function restart(replay: FakeAnthropic['exchanges']): Promise<FakeAnthropic> {
  await fake.close();
  const next = await startFakeAnthropic({ replay });
  client = new Anthropic({ apiKey: next.apiKey, baseURL: next.url, maxRetries: 0 });
  return next;
}
