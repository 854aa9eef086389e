// Redaction over what a cluster really shows: application logs, env dumps and `kubectl describe`,
// pod specs and ConfigMaps. Every secret here is fake but shaped like the real thing (AWS's documented
// example key, a JWT signed with a throwaway key, a test-mode Stripe key...).
import { createRedactor, parseRedactPatterns, REDACTED } from './redact';

const redactor = createRedactor();
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const PEM = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB',
  'aFDrBz9vFqU4yE8eR1H0Jt6d3kH5vYgLJb3cG8r0yW2lq6w3mQ==',
  '-----END RSA PRIVATE KEY-----',
].join('\n');

describe('redacting text', () => {
  it.each([
    [
      'a connection string with a password in a log line',
      'level=error msg="db connect failed" url=postgres://orders:S3cr3t-pw@db.orders.svc:5432/orders',
      'level=error msg="db connect failed" url=postgres://orders:[redacted]@db.orders.svc:5432/orders',
    ],
    [
      'a bearer token in a logged request',
      'GET /api/v1/orders 401 Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0',
      'GET /api/v1/orders 401 Authorization: Bearer [redacted]',
    ],
    [
      'a JWT in a log line',
      `token refresh failed for ${JWT} (expired)`,
      'token refresh failed for [redacted] (expired)',
    ],
    [
      'an env dump',
      'PATH=/usr/bin\nDB_PASSWORD=hunter2-prod\nSTRIPE_API_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dc\nLOG_LEVEL=info',
      'PATH=/usr/bin\nDB_PASSWORD=[redacted]\nSTRIPE_API_KEY=[redacted]\nLOG_LEVEL=info',
    ],
    [
      'kubectl describe environment',
      '    Environment:\n      REDIS_PASSWORD:  oGh3xv9Lq2\n      REDIS_HOST:      redis-master',
      '    Environment:\n      REDIS_PASSWORD:  [redacted]\n      REDIS_HOST:      redis-master',
    ],
    [
      'AWS keys from a crashing SDK',
      'using credentials AKIAIOSFODNN7EXAMPLE aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'using credentials [redacted] aws_secret_access_key=[redacted]',
    ],
    [
      'an Azure storage connection string',
      'DefaultEndpointsProtocol=https;AccountName=ordersblob;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq==;EndpointSuffix=core.windows.net',
      'DefaultEndpointsProtocol=https;AccountName=ordersblob;AccountKey=[redacted];EndpointSuffix=core.windows.net',
    ],
    [
      'an Azure SAS URL',
      'GET https://ordersblob.blob.core.windows.net/c/a.csv?sv=2022-11-02&sig=pK3f%2Bq0WZ4x%3D&se=2026-01-01',
      'GET https://ordersblob.blob.core.windows.net/c/a.csv?sv=2022-11-02&sig=[redacted]&se=2026-01-01',
    ],
    [
      'a GCP API key',
      'maps request key=AIzaSyA-1234567890abcdefghijklmnopqrstu failed',
      'maps request key=[redacted] failed',
    ],
    [
      'a GitHub token',
      'git clone https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/o/r',
      'git clone https://[redacted]@github.com/o/r',
    ],
    [
      'a private key',
      `loaded key:\n${PEM}\nok`,
      `loaded key:\n-----BEGIN RSA PRIVATE KEY-----${REDACTED}-----END RSA PRIVATE KEY-----\nok`,
    ],
    [
      'JSON with a password field',
      '{"user":"svc","password":"pa55w0rd!","port":5432}',
      '{"user":"svc","password":"[redacted]","port":5432}',
    ],
  ])('redacts %s', (_name, input, expected) => {
    expect(redactor.text(input)).toBe(expected);
  });

  it.each([
    ['a secret reference by name', 'secretName: orders-tls'],
    ['a token lifetime', 'tokenExpirationSeconds: 600'],
    ['a password file path name', 'DB_PASSWORD_FILE=/run/secrets/db'],
    ['a URL without credentials', 'GET https://api.example.com/v1/orders?page=2'],
    ['an ordinary log line', 'level=info msg="processed 42 orders in 118ms"'],
    [
      'MySQL saying a password was sent',
      "Access denied for user 'wallet'@'10.0.1.208' (using password: YES)",
    ],
    ['a placeholder', 'password: ${DB_PASSWORD}'],
  ])('leaves %s alone', (_name, input) => {
    expect(redactor.text(input)).toBe(input);
  });
});

describe('redacting documents', () => {
  it('replaces the value of a secret-named env entry and redacts the text of the others', () => {
    const pod = {
      kind: 'Pod',
      spec: {
        automountServiceAccountToken: false,
        containers: [
          {
            name: 'api',
            env: [
              { name: 'DATABASE_PASSWORD', value: 'correct-horse-battery' },
              { name: 'DATABASE_URL', value: 'mysql://api:tr0ub4dor@mysql:3306/api' },
              { name: 'REPLICAS', value: '3' },
              { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'api', key: 'token' } } },
            ],
          },
        ],
      },
    };
    expect(redactor.value(pod).spec.containers[0]!.env).toStrictEqual([
      { name: 'DATABASE_PASSWORD', value: REDACTED },
      { name: 'DATABASE_URL', value: 'mysql://api:[redacted]@mysql:3306/api' },
      { name: 'REPLICAS', value: '3' },
      { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'api', key: 'token' } } },
    ]);
    expect(redactor.value(pod).spec.automountServiceAccountToken).toBe(false);
  });

  it('redacts a ConfigMap that holds secrets it should not', () => {
    const configMap = {
      kind: 'ConfigMap',
      metadata: { name: 'payments-config', namespace: 'payments' },
      data: {
        'application.yaml':
          'spring:\n  datasource:\n    url: jdbc:postgresql://pg:5432/pay\n    password: Sup3rS3cret\n',
        SMTP_PASSWORD: 'mailpass-123',
        'gcp-sa.json': JSON.stringify({
          type: 'service_account',
          private_key_id: 'a1b2c3',
          private_key: PEM,
        }),
        FEATURE_FLAGS: 'checkout-v2=true',
      },
    };
    const data = redactor.value(configMap).data;
    expect(data['application.yaml']).toBe(
      'spring:\n  datasource:\n    url: jdbc:postgresql://pg:5432/pay\n    password: [redacted]\n',
    );
    expect(data.SMTP_PASSWORD).toBe(REDACTED);
    expect(data['gcp-sa.json']).not.toContain('MIIEowIBAAKCAQEA');
    expect(data['gcp-sa.json']).not.toContain('a1b2c3');
    expect(data.FEATURE_FLAGS).toBe('checkout-v2=true');
  });
});

describe('configured patterns', () => {
  it('adds patterns given as sources or /literal/flags', () => {
    const custom = createRedactor(parseRedactPatterns('["corp-[0-9a-f]{16}", "/internal-\\\\w+/i"]'));
    expect(custom.text('key corp-0123456789abcdef and INTERNAL-abc')).toBe('key [redacted] and [redacted]');
  });

  it.each([
    ['not JSON', 'corp-.*', /JSON array/],
    ['not an array of strings', '[1]', /non-empty regular expressions/],
    ['a pattern that does not compile', '["ok", "(unclosed"]', /pattern 2 \(\(unclosed\) does not compile/],
  ])('refuses %s', (_name, raw, message) => {
    expect(() => parseRedactPatterns(raw)).toThrow(message);
  });
});
