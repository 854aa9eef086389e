import { lookup } from '../lookup';
import { NS, container, deployment, pod, service, snapshot, template } from '../__fixtures__/build';
import { tlsFault } from './log-tls';
import { type LogSignal } from './logs';

const inventory = deployment('inventory', {
  template: {
    ...template({ app: 'inventory' }, [
      container('api', { volumeMounts: [{ name: 'tls', mountPath: '/etc/tls' }] }),
    ]),
  },
});
inventory.spec.template.spec.volumes = [{ name: 'tls', secret: { secretName: 'inventory-api-tls' } }];
const caller = pod('picking-1', {
  labels: { app: 'picking' },
  containers: [container('app', { volumeMounts: [{ name: 'ca', mountPath: '/etc/ssl/internal-ca' }] })],
  spec: { volumes: [{ name: 'ca', configMap: { name: 'internal-ca-bundle' } }] },
});
const l = lookup(
  snapshot({
    deployments: [inventory],
    services: [service('inventory', { ports: [{ port: 443 }] })],
    pods: [caller],
    secrets: [{ metadata: { name: 'inventory-api-tls', namespace: NS }, type: 'kubernetes.io/tls' }],
  }),
);
const signal = (kind: LogSignal['kind'], line: string): LogSignal => ({
  kind,
  line,
  index: 0,
  count: 3,
  host: 'inventory',
  port: 443,
});

describe('tlsFault', () => {
  it("names the called workload's serving certificate Secret for a name mismatch", () => {
    // Go's crypto/x509 HostnameError wording.
    const s = signal(
      'tls-error',
      'Get "https://inventory:443/v1/stock": tls: failed to verify certificate: x509: certificate is valid for inventory-api.warehouse.svc, not inventory',
    );
    expect(tlsFault(l, caller, caller.spec.containers[0], s)).toMatchObject({
      ref: { kind: 'Secret', name: 'inventory-api-tls', namespace: NS },
      reason: 'CertificateProblem',
    });
  });

  it("names the caller's mounted trust bundle for an unknown authority", () => {
    // Go's crypto/x509 UnknownAuthorityError wording.
    const s = signal('tls-error', 'x509: certificate signed by unknown authority');
    expect(tlsFault(l, caller, caller.spec.containers[0], s)).toMatchObject({
      ref: { kind: 'ConfigMap', name: 'internal-ca-bundle', namespace: NS },
    });
  });

  it('names nothing for other classes', () => {
    expect(tlsFault(l, caller, caller.spec.containers[0], signal('timeout', 'i/o timeout'))).toBeUndefined();
  });
});
