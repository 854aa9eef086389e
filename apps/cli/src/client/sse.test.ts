import { CliError } from '../errors';
import { readSse } from './sse';

/** A fetch-like body from chunks, as the network would split them. */
function body(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c));
      controller.close();
    },
  });
}

async function frames(chunks: string[], maxEventBytes = 1024) {
  const out = [];
  for await (const f of readSse(body(chunks), { maxEventBytes, idleMs: 5000 })) out.push(f);
  return out;
}

describe('readSse', () => {
  it('yields frames split across chunks, with ids, multi-line data and CRLF, skipping heartbeats', async () => {
    expect(await frames(['id: 1\nda', 'ta: {"a":1}\n\n: heartbeat\n\n', 'id: 2\r\ndata: x\r\ndata: y\r\n\r\n'])).toStrictEqual([
      { id: '1', event: undefined, data: '{"a":1}' },
      { id: '2', event: undefined, data: 'x\ny' },
    ]);
  });

  it.each([
    ['one data line over the bound', ['data: ' + 'x'.repeat(2000) + '\n\n']],
    ['many lines of one frame over the bound', [Array.from({ length: 40 }, () => 'data: ' + 'x'.repeat(50)).join('\n') + '\n\n']],
    ['a line still arriving over the bound', ['data: ' + 'x'.repeat(600), 'x'.repeat(600)]],
  ])('refuses %s with a CliError', async (_name, chunks) => {
    await expect(frames(chunks)).rejects.toThrow(new CliError('the gateway sent an event larger than 0 MiB; stopped reading (raise --max-event-mb to accept it)', 6));
  });

  it('treats a silent stream as dead after idleMs', async () => {
    const silent = new ReadableStream<Uint8Array>({ start: () => undefined });
    const read = async () => {
      for await (const _ of readSse(silent, { maxEventBytes: 1024, idleMs: 50 })) void _;
    };
    await expect(read()).rejects.toThrow('the gateway stopped answering (nothing, not even a heartbeat, for 0 s)');
  });
});
