import { modelTraits, thinkingParam } from './models';

describe('model traits', () => {
  it.each([
    ['claude-sonnet-5-5', 'adaptive', true, true],
    ['claude-opus-5-5', 'adaptive', true, true],
    ['claude-haiku-5-5', 'adaptive', true, true],
    ['claude-fable-5-1', 'adaptive', true, true],
    ['claude-opus-4-7', 'adaptive', true, true],
    ['claude-sonnet-4-6', 'adaptive', true, false],
    ['claude-opus-4-5-20251101', 'manual', true, false],
    ['claude-sonnet-4-5-20250929', 'manual', false, false],
    ['claude-haiku-4-5', 'manual', false, false],
    ['claude-sonnet-4-20250514', 'manual', false, false],
    ['claude-3-7-sonnet-20250219', 'manual', false, false],
  ] as const)('%s thinks %s, effort %s, rejects sampling %s', (model, thinking, effort, rejectsSampling) => {
    expect(modelTraits(model)).toMatchObject({ thinking, effort, rejectsSampling });
  });

  it('knows which models think unasked, hide their thinking by default and refuse forced tools', () => {
    expect(modelTraits('claude-sonnet-5-5')).toMatchObject({
      thinkingByDefault: true,
      defaultDisplay: 'omitted',
      rejectsDisabledThinking: true,
      rejectsForcedToolChoice: true,
      rejectsPrefill: true,
    });
    expect(modelTraits('claude-sonnet-4-6')).toMatchObject({
      thinkingByDefault: false,
      defaultDisplay: 'summarized',
      rejectsDisabledThinking: false,
      rejectsForcedToolChoice: false,
    });
  });

  it('asks adaptive models for summaries and gives manual ones a budget below max_tokens', () => {
    expect(thinkingParam(modelTraits('claude-sonnet-5-5'), 8192)).toEqual({
      type: 'adaptive',
      display: 'summarized',
    });
    expect(thinkingParam(modelTraits('claude-haiku-4-5'), 8192)).toEqual({
      type: 'enabled',
      budget_tokens: 4096,
    });
  });
});
