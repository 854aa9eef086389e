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

  it.each([
    [
      'Go log',
      '2025/12/01 09:18:15 http: panic serving 10.0.1.7:3306',
      '2025/12/01 10:18:15 http: panic serving 10.0.1.7:3306',
    ],
    [
      'Python logging (comma fraction, no zone)',
      '2025-12-01 09:18:15,123 ERROR db down',
      '2025-12-01 10:18:15,123 ERROR db down',
    ],
    [
      'Spring Boot with an offset',
      '2025-12-01T09:18:15.123+01:00 ERROR 1 --- [main] x',
      '2025-12-01T10:18:15.123+01:00 ERROR 1 --- [main] x',
    ],
    ['across midnight', '2025-12-31 23:30:00 ERROR x', '2026-01-01 00:30:00 ERROR x'],
    ['a level before the time', '[ERROR] 2025-12-01 09:18:15 x', '[ERROR] 2025-12-01 10:18:15 x'],
    [
      'klog (no year)',
      'E1201 09:18:15.123456       1 leaderelection.go:330] error',
      'E1201 10:18:15.123456       1 leaderelection.go:330] error',
    ],
    [
      'nginx access log',
      '10.0.1.5 - - [01/Dec/2025:09:18:15 +0000] "GET / HTTP/1.1" 502',
      '10.0.1.5 - - [01/Dec/2025:10:18:15 +0000] "GET / HTTP/1.1" 502',
    ],
    [
      'JSON time string',
      '{"level":"error","time":"2025-12-01T09:18:15Z","msg":"x at 2025-12-01T09:00:00Z"}',
      '{"level":"error","time":"2025-12-01T10:18:15Z","msg":"x at 2025-12-01T09:00:00Z"}',
    ],
    [
      'JSON epoch seconds (zap)',
      '{"level":"error","ts":1764580695.123,"msg":"x"}',
      '{"level":"error","ts":1764584295.123,"msg":"x"}',
    ],
    [
      'JSON epoch milliseconds (pino)',
      '{"level":50,"time":1764580695123,"msg":"x"}',
      '{"level":50,"time":1764584295123,"msg":"x"}',
    ],
    [
      'a time deep in a message stays',
      'connection failed; retry scheduled for 2025-12-01 09:18:15 by the pool manager',
      'connection failed; retry scheduled for 2025-12-01 09:18:15 by the pool manager',
    ],
    ['no timestamp', 'plain line', 'plain line'],
  ])("shifts the line's own timestamp: %s", (_name, input, expected) => {
    expect(shiftLogTimestamps(input, HOUR)).toBe(expected);
  });
});
