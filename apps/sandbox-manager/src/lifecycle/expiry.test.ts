import { RENEW_GRANULARITY_MS, expiryFor, isExpired, parseExpiry, renewedExpiry, toRfc3339 } from './expiry';

const t = (iso: string) => new Date(iso);

describe('renewedExpiry', () => {
  it.each([
    ['a reuse pushes the expiry to now + ttl', '10:00:00', '10:10:00', 1800, undefined, '10:40:00'],
    ['a shorter ttl never pulls the expiry back', '11:00:00', '10:10:00', 60, undefined, undefined],
    [
      'a push smaller than the write granularity is skipped',
      '10:40:00',
      '10:10:05',
      1800,
      undefined,
      undefined,
    ],
    ['the hard lifetime caps the renewal', '10:20:00', '10:10:00', 1800, '10:30:00', '10:30:00'],
    ['at the hard lifetime there is nothing to renew', '10:30:00', '10:10:00', 1800, '10:30:00', undefined],
  ])('%s', (_name, current, now, ttlSeconds, hardLimit, expected) => {
    const day = '2026-01-01T';
    const result = renewedExpiry({
      current: t(`${day}${current}Z`),
      now: t(`${day}${now}Z`),
      ttlSeconds,
      hardLimit: hardLimit === undefined ? undefined : t(`${day}${hardLimit}Z`),
    });
    expect(result?.toISOString()).toBe(expected === undefined ? undefined : `${day}${expected}.000Z`);
  });

  it('writes when the push is exactly the granularity', () => {
    const current = t('2026-01-01T10:00:00Z');
    const now = new Date(current.getTime() - 60_000 + RENEW_GRANULARITY_MS);
    expect(renewedExpiry({ current, now, ttlSeconds: 60 })).toEqual(
      new Date(current.getTime() + RENEW_GRANULARITY_MS),
    );
  });
});

describe('expiry helpers', () => {
  it.each([
    ['before expiry', '10:00:00', '09:59:59', 0, false],
    ['at expiry', '10:00:00', '10:00:00', 0, true],
    ['within the grace period', '10:00:00', '10:00:20', 30, false],
    ['after the grace period', '10:00:00', '10:00:30', 30, true],
  ])('isExpired %s', (_name, expiresAt, now, grace, expected) => {
    expect(isExpired(t(`2026-01-01T${expiresAt}Z`), t(`2026-01-01T${now}Z`), grace)).toBe(expected);
  });

  it('formats whole seconds, rounding up so a TTL is never shortened', () => {
    expect(toRfc3339(t('2026-01-01T10:00:00.001Z'))).toBe('2026-01-01T10:00:01Z');
    expect(toRfc3339(t('2026-01-01T10:00:00.000Z'))).toBe('2026-01-01T10:00:00Z');
  });

  it('caps a new expiry at the hard limit', () => {
    expect(expiryFor(t('2026-01-01T10:00:00Z'), 3600, t('2026-01-01T10:30:00Z'))).toEqual(
      t('2026-01-01T10:30:00Z'),
    );
  });

  it.each([undefined, '', 'not a date'])('treats an unparsable expiry (%p) as long past', (value) => {
    expect(parseExpiry(value).getTime()).toBe(0);
  });
});
