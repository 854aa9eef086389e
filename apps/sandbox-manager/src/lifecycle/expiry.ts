// TTL arithmetic, pure so it has its own table test. A sandbox expires at `expiresAt`; each reuse
// pushes that forward (never back), capped by an optional hard lifetime; a renewal that would move
// it by less than the write granularity is skipped so a chatty thread does not cost a write per turn.

/** Renewals that move the expiry by less than this are not written. */
export const RENEW_GRANULARITY_MS = 15_000;

/** Kubernetes `date-time` fields: RFC 3339 in UTC, whole seconds (what the SIG SDK writes). */
export function toRfc3339(date: Date): string {
  return new Date(Math.ceil(date.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function expiryFor(now: Date, ttlSeconds: number, hardLimit?: Date): Date {
  const wanted = new Date(now.getTime() + ttlSeconds * 1000);
  return hardLimit !== undefined && hardLimit < wanted ? hardLimit : wanted;
}

/**
 * The expiry after a reuse at `now`, or undefined when no write is needed: the new expiry is
 * `now + ttl`, never earlier than the current one, never past `hardLimit`.
 */
export function renewedExpiry(options: {
  current: Date;
  now: Date;
  ttlSeconds: number;
  hardLimit?: Date;
}): Date | undefined {
  const { current, now, ttlSeconds, hardLimit } = options;
  const next = expiryFor(now, ttlSeconds, hardLimit);
  if (next.getTime() - current.getTime() < RENEW_GRANULARITY_MS) return undefined;
  return next;
}

export function isExpired(expiresAt: Date, now: Date, graceSeconds = 0): boolean {
  return expiresAt.getTime() + graceSeconds * 1000 <= now.getTime();
}

/** Parses a stored timestamp; an unparsable one counts as already expired (fail closed). */
export function parseExpiry(value: string | undefined): Date {
  const parsed = value === undefined ? Number.NaN : Date.parse(value);
  return new Date(Number.isNaN(parsed) ? 0 : parsed);
}
