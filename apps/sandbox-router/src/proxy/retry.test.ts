import { retryDelay, type AttemptState } from './retry';

const err = (code: string) => Object.assign(new Error(code), { code });
const fresh: AttemptState = { retries: 0, bodyStarted: false, reusedSocket: false };

describe('retryDelay', () => {
  it.each<[string, unknown, AttemptState, number | undefined]>([
    ['connection refused: first backoff', err('ECONNREFUSED'), fresh, 100],
    ['no DNS record yet: second backoff', err('ENOTFOUND'), { ...fresh, retries: 1 }, 200],
    ['host unreachable: third backoff', err('EHOSTUNREACH'), { ...fresh, retries: 2 }, 400],
    ['retries used up', err('ECONNREFUSED'), { ...fresh, retries: 3 }, undefined],
    ['body already sent', err('ECONNREFUSED'), { ...fresh, bodyStarted: true }, undefined],
    ['stale pooled socket: at once', err('ECONNRESET'), { ...fresh, reusedSocket: true }, 0],
    ['reset on a fresh socket: the sandbox hung up', err('ECONNRESET'), fresh, undefined],
    ['connect timeout: already waited', err('ROUTER_CONNECT_TIMEOUT'), fresh, undefined],
    ['blocked address: never', err('ROUTER_BLOCKED_ADDRESS'), fresh, undefined],
    ['an error without a code', new Error('x'), fresh, undefined],
  ])('%s', (_name, error, state, expected) => {
    expect(retryDelay(error, state)).toBe(expected);
  });
});
