import { ApiException } from '@kubernetes/client-node';
import { KubeApiError } from './client';
import { isConflict, isGone, isNotFound, reasonOf, statusCodeOf, toKubeApiError } from './errors';

const apiException = (code: number, body: unknown) => new ApiException(code, 'failed', body, {});

describe('errors', () => {
  it.each([
    ['an ApiException', apiException(404, '{"reason":"NotFound"}'), 404],
    ['a watch HTTP error', Object.assign(new Error('Gone'), { statusCode: 410 }), 410],
    ['a KubeApiError', new KubeApiError(409, '/x', 'conflict'), 409],
    [
      'a network error',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      undefined,
    ],
    ['a KubeApiError without a status', new KubeApiError(0, '/x', 'timeout'), undefined],
    ['not an error', 'boom', undefined],
  ])('statusCodeOf %s', (_name, err, code) => {
    expect(statusCodeOf(err)).toBe(code);
  });

  it('classifies the codes callers branch on', () => {
    expect(isNotFound(apiException(404, ''))).toBe(true);
    expect(isConflict(apiException(409, ''))).toBe(true);
    expect(isGone(apiException(410, ''))).toBe(true);
    expect(isConflict(apiException(404, ''))).toBe(false);
  });

  it('wraps a client-node failure with what was being done and the server message', () => {
    const err = toKubeApiError(
      apiException(403, {
        kind: 'Status',
        reason: 'Forbidden',
        message: 'sandboxclaims is forbidden: User "x" cannot create',
      }),
      'create SandboxClaim ns/c',
    );
    expect(err).toBeInstanceOf(KubeApiError);
    expect(err.status).toBe(403);
    expect(err.reason).toBe('Forbidden');
    expect(err.message).toBe(
      'create SandboxClaim ns/c: 403 sandboxclaims is forbidden: User "x" cannot create',
    );
    expect(reasonOf(err)).toBe('Forbidden');
  });

  it('keeps a network error readable', () => {
    const err = toKubeApiError(new Error('connect ECONNREFUSED 127.0.0.1:1'), 'list sandboxclaims in ns');
    expect(err.message).toBe('list sandboxclaims in ns: request failed connect ECONNREFUSED 127.0.0.1:1');
  });
});
