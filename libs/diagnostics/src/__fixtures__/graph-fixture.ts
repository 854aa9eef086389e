// Builders for service-graph tests: the common ones plus an Ingress.
import { type Ingress } from '../snapshot';
import { NS } from './build';

export * from './build';

export function ingressOf(name: string, backend: string, namespace = NS): Ingress {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace },
    spec: {
      ingressClassName: 'nginx',
      rules: [
        {
          host: `${name}.example.com`,
          http: { paths: [{ path: '/', backend: { service: { name: backend, port: { number: 80 } } } }] },
        },
      ],
    },
  };
}
