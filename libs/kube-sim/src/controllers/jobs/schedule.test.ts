// The CronJob schedule check against robfig/cron's ParseStandard errors.
import { checkSchedule } from './schedule';

describe('checkSchedule', () => {
  it.each([
    '*/5 * * * *',
    '0 3 * * 1-5',
    '30 2 1,15 * *',
    '0 0 * JAN,jul SUN',
    '@hourly',
    '@every 1h30m',
    'TZ=UTC 0 * * * *',
    '15/10 * * * ?',
  ])('accepts %s', (s) => expect(() => checkSchedule(s)).not.toThrow());
  it.each([
    ['*/5 * * *', 'expected exactly 5 fields, found 4: */5 * * *'],
    ['0 0 * * * *', 'expected exactly 5 fields, found 6: 0 0 * * * *'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['0 24 * * *', 'end of range (24) above maximum (23): 24'],
    ['0 0 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['@often', 'unrecognized descriptor: @often'],
  ])('refuses %s', (s, message) => expect(() => checkSchedule(s)).toThrow(message));
});
