import { formatSseComment, formatSseFrame } from './format';
import { parseSse } from './parse';

async function collect(chunks: string[]) {
  async function* source() {
    yield* chunks;
  }
  const frames = [];
  for await (const frame of parseSse(source())) frames.push(frame);
  return frames;
}

describe('SSE format and parse', () => {
  it('round-trips frames, multi-line data and comments', async () => {
    const wire =
      formatSseFrame({ id: '1', data: '{"a":1}' }) +
      formatSseComment('heartbeat') +
      formatSseFrame({ id: '2', event: 'x', data: 'line one\nline two' });
    expect(await collect([wire])).toStrictEqual([
      { id: '1', event: undefined, data: '{"a":1}', comments: [] },
      { id: '2', event: 'x', data: 'line one\nline two', comments: ['heartbeat'] },
    ]);
  });

  it('handles frames split at every byte, including between CR and LF', async () => {
    const wire = 'id: 7\r\ndata: {"b":2}\r\n\r\n';
    const frames = await collect(wire.split(''));
    expect(frames).toStrictEqual([{ id: '7', event: undefined, data: '{"b":2}', comments: [] }]);
  });

  it.each([
    ['an id with a newline', { id: '1\nevent: forged', data: 'x' }],
    ['an event name with a carriage return', { event: 'a\rb', data: 'x' }],
  ])('refuses %s', (_name, frame) => {
    expect(() => formatSseFrame(frame)).toThrow(/must not contain CR or LF/);
  });

  it('flattens line breaks in comments so they cannot start a field', () => {
    expect(formatSseComment('a\ndata: forged')).toBe(': a data: forged\n\n');
  });
});
