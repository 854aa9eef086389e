import { formatLogTime, parseLogLines, renderLog } from './log-query';

const log = [
  '2026-01-10T12:00:00.000000000Z one',
  'continuation without a timestamp',
  '2026-01-10T12:00:10.000000000Z two',
  '2026-01-10T12:00:20.000000000Z three',
  '',
].join('\n');
const lines = parseLogLines(log, new Date('2026-01-10T11:00:00Z'));

describe('renderLog', () => {
  it.each([
    ['everything without timestamps', {}, 'one\ncontinuation without a timestamp\ntwo\nthree\n'],
    ['tailLines', { tailLines: 2 }, 'two\nthree\n'],
    ['tailLines=0', { tailLines: 0 }, ''],
    ['limitBytes cuts the stream', { limitBytes: 6 }, 'one\nco'],
    ['since keeps later lines', { since: new Date('2026-01-10T12:00:10Z') }, 'two\nthree\n'],
    ['timestamps', { timestamps: true, tailLines: 1 }, '2026-01-10T12:00:20.000000000Z three\n'],
  ])('%s', (_name, query, expected) => {
    expect(renderLog(lines, query)).toBe(expected);
  });

  it('lines without a timestamp take the previous line time, or the fallback', () => {
    expect(lines[1].time.toISOString()).toBe('2026-01-10T12:00:00.000Z');
    expect(parseLogLines('plain\n', new Date('2026-01-10T11:00:00Z'))[0].time.toISOString()).toBe(
      '2026-01-10T11:00:00.000Z',
    );
  });

  it('formats times with nanoseconds like the kubelet', () => {
    expect(formatLogTime(new Date('2026-01-10T12:00:00.123Z'))).toBe('2026-01-10T12:00:00.123000000Z');
  });
});
