import { extractEntities } from './entities';

describe('extractEntities', () => {
  it('names hosts, ports and redacted URLs', () => {
    const e = extractEntities(
      'connect to postgres://app:s3cret@orders-db.shop.svc:5432/orders failed; fallback redis:6379 refused',
    );
    expect(e.urls).toEqual(['postgres://app:***@orders-db.shop.svc:5432/orders']);
    expect(e.hosts).toEqual([
      { host: 'orders-db.shop.svc', port: 5432 },
      { host: 'redis', port: 6379 },
    ]);
  });

  it('names the host a lookup failed for', () => {
    expect(extractEntities('dial tcp: lookup payments on 10.96.0.10:53: no such host').hosts).toContainEqual({
      host: 'payments',
    });
  });

  it.each([
    ['a PostgreSQL SQLSTATE', 'ERROR: relation "orders" does not exist (SQLSTATE 42P01)', '42P01'],
    ['a MySQL error number', 'ERROR 1045 (28000): Access denied for user', '1045'],
    ['an Oracle code', 'ORA-12541: TNS:no listener', 'ORA-12541'],
    [
      'a Redis error prefix',
      '-WRONGTYPE Operation against a key holding the wrong kind of value',
      'WRONGTYPE',
    ],
  ])('extracts %s', (_name, text, code) => {
    expect(extractEntities(text).dbCodes).toContain(code);
  });

  it('extracts HTTP requests, durations, files and config keys', () => {
    const e = extractEntities(
      'GET /api/orders 504 after 30s reading /etc/app/config.yaml: DATABASE_URL is not set',
    );
    expect(e.http).toEqual([{ method: 'GET', path: '/api/orders', status: 504, durationMs: 30_000 }]);
    expect(e.durationsMs).toEqual([30_000]);
    expect(e.files).toEqual(['/etc/app/config.yaml']);
    expect(e.configKeys).toEqual(['DATABASE_URL']);
  });

  it('reads the verb and resource a Kubernetes client is forbidden', () => {
    // The API server's RBAC denial (kubernetes.io/docs/reference/access-authn-authz/rbac/).
    const e = extractEntities(
      'pods is forbidden: User "system:serviceaccount:shop:api" cannot list resource "pods" in API group "" in the namespace "shop"',
    );
    expect(e.forbidden).toEqual({
      user: 'system:serviceaccount:shop:api',
      verb: 'list',
      resource: 'pods',
      group: '',
      namespace: 'shop',
    });
  });

  it('reads the same denial quoted inside the JSON body a client logs (the Python client prints it escaped)', () => {
    const e = extractEntities(
      'HTTP response body: {"kind":"Status","status":"Failure","message":"pods \\"x\\" is forbidden: User \\"system:serviceaccount:ci:janitor\\" cannot delete resource \\"pods\\" in API group \\"\\" in the namespace \\"ci\\"","reason":"Forbidden","code":403}',
    );
    expect(e.forbidden).toEqual({
      user: 'system:serviceaccount:ci:janitor',
      verb: 'delete',
      resource: 'pods',
      group: '',
      namespace: 'ci',
    });
  });
});
