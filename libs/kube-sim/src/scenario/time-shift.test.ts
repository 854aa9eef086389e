import { shiftLogTimestamps, shiftTimestamp, shiftTimestamps } from './time-shift';

const HOUR = 3_600_000;

describe('shiftTimestamp', () => {
  it.each([
    ['second precision', '2026-01-10T12:00:00Z', '2026-01-10T13:00:00Z'],
    ['milliseconds', '2026-01-10T12:00:00.123Z', '2026-01-10T13:00:00.123Z'],
    ['microseconds (MicroTime)', '2026-01-10T12:00:00.123456Z', '2026-01-10T13:00:00.123456Z'],
    ['nanoseconds', '2026-01-10T12:00:00.123456789Z', '2026-01-10T13:00:00.123456789Z'],
    ['an offset becomes Z', '2026-01-10T14:00:00+02:00', '2026-01-10T13:00:00Z'],
    ['not a timestamp', 'checkout-7d9f8b6c5', 'checkout-7d9f8b6c5'],
    ['a date alone is left alone', '2026-01-10', '2026-01-10'],
  ])('%s', (_name, input, expected) => {
    expect(shiftTimestamp(input, HOUR)).toBe(expected);
  });

  it('shifts nested objects and arrays without touching other values', () => {
    const input = {
      metadata: { creationTimestamp: '2026-01-10T12:00:00Z', name: 'x' },
      list: [{ t: '2026-01-10T12:00:00Z', n: 3 }],
    };
    expect(shiftTimestamps(input, -HOUR)).toEqual({
      metadata: { creationTimestamp: '2026-01-10T11:00:00Z', name: 'x' },
      list: [{ t: '2026-01-10T11:00:00Z', n: 3 }],
    });
  });

  it('shifts leading timestamps of log lines only', () => {
    const log = '2026-01-10T12:00:00.5Z started at 2026-01-10T12:00:00Z\nplain line\n';
    expect(shiftLogTimestamps(log, HOUR)).toBe(
      '2026-01-10T13:00:00.5Z started at 2026-01-10T12:00:00Z\nplain line\n',
    );
  });
});
