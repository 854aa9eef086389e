import { X509Certificate, createPrivateKey } from 'node:crypto';
import { request, createServer } from 'node:https';
import { type AddressInfo } from 'node:net';
import { selfSignedCertificate } from './tls';

describe('selfSignedCertificate', () => {
  const { certPem, keyPem } = selfSignedCertificate(['localhost', '127.0.0.1']);

  it('is a CA certificate for the given names, signed by its own key', () => {
    const cert = new X509Certificate(certPem);
    expect(cert.ca).toBe(true);
    expect(cert.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(keyPem))).toBe(true);
  });

  it('serves TLS that a client pinning it as CA accepts', async () => {
    const server = createServer({ key: keyPem, cert: certPem }, (_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const body = await new Promise<string>((resolve, reject) => {
        request({ host: '127.0.0.1', port, ca: certPem, path: '/' }, (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve(text));
        })
          .on('error', reject)
          .end();
      });
      expect(body).toBe('ok');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
