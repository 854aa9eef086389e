import { type Ingress, type IngressClass } from '../snapshot';
import { NS, service, snapshot } from '../__fixtures__/build';
import { ingressAnalyzer } from './ingress';

const nginx: IngressClass = {
  metadata: { name: 'nginx', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
  spec: { controller: 'k8s.io/ingress-nginx' },
};
function ingress(spec: Ingress['spec']): Ingress {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'shop', namespace: NS },
    spec,
  };
}
const route = (name: string, port: { number?: number; name?: string } = { number: 80 }) => ({
  rules: [
    { host: 'shop.example.com', http: { paths: [{ path: '/', backend: { service: { name, port } } }] } },
  ],
});

describe('ingress analyzer', () => {
  it.each([
    [
      'an IngressClass that does not exist',
      ingress({ ingressClassName: 'traefik', ...route('web') }),
      'IngressClassNotFound',
    ],
    [
      'a backend Service that does not exist',
      ingress({ ingressClassName: 'nginx', ...route('nope') }),
      'BackendServiceNotFound',
    ],
    [
      'a backend port the Service lacks',
      ingress({ ingressClassName: 'nginx', ...route('web', { number: 8443 }) }),
      'BackendPortNotFound',
    ],
  ])('reports %s', (_name, ing, reason) => {
    expect(
      ingressAnalyzer
        .analyze(snapshot({ ingresses: [ing], ingressClasses: [nginx], services: [service('web')] }))
        .map((f) => f.reason),
    ).toEqual([reason]);
  });

  it('reports a missing TLS Secret only when Secret names were collected', () => {
    const ing = ingress({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
      ...route('web'),
    });
    const withSecrets = snapshot({
      ingresses: [ing],
      ingressClasses: [nginx],
      services: [service('web')],
      secrets: [{ metadata: { name: 'other', namespace: NS } }],
    });
    expect(ingressAnalyzer.analyze(withSecrets).map((f) => f.reason)).toEqual(['TLSSecretNotFound']);
    expect(
      ingressAnalyzer.analyze(
        snapshot({ ingresses: [ing], ingressClasses: [nginx], services: [service('web')] }),
      ),
    ).toStrictEqual([]);
  });

  it('accepts an Ingress without a class when a default class exists', () => {
    expect(
      ingressAnalyzer.analyze(
        snapshot({ ingresses: [ingress(route('web'))], ingressClasses: [nginx], services: [service('web')] }),
      ),
    ).toStrictEqual([]);
  });
});
