import { type ConfigMap } from '../snapshot';
import { lookup } from '../lookup';
import {
  container,
  deployment,
  ingressOf,
  log,
  pod,
  service,
  snapshot,
  template,
} from '../__fixtures__/build';
import { resolveHost, serviceGraph } from './graph';

const web = deployment('web', {
  template: template({ app: 'web' }, [
    container('web', { env: [{ name: 'API_URL', value: 'http://api.shop.svc.cluster.local:80' }] }),
  ]),
});
const api = deployment('api', {
  template: template({ app: 'api' }, [
    container('api', {
      envFrom: [{ configMapRef: { name: 'api-config' } }],
      env: [{ name: 'CACHE_HOST', value: 'cache' }],
    }),
  ]),
});
const worker = deployment('worker', { template: template({ app: 'worker' }, [container('worker')]) });
const db = deployment('db', { template: template({ app: 'db' }, [container('db')]) });
const cache = deployment('cache', { template: template({ app: 'cache' }, [container('cache')]) });
const config: ConfigMap = {
  metadata: { name: 'api-config', namespace: 'shop' },
  data: { DATABASE_URL: 'postgres://app@db:5432/app', LOG_LEVEL: 'info' },
};
const s = snapshot(
  {
    deployments: [web, api, worker, db, cache],
    services: [
      service('web'),
      service('api'),
      service('db', { clusterIP: '10.96.0.5', ports: [{ port: 5432 }] }),
      service('cache', { clusterIP: '10.96.0.6', ports: [{ port: 6379 }] }),
    ],
    configMaps: [config],
    ingresses: [ingressOf('shop', 'web')],
    pods: [pod('worker-1', { labels: { app: 'worker' }, owner: { kind: 'DaemonSet', name: 'worker' } })],
  },
  { logs: [log('worker-1', 'app', ['dial tcp 10.96.0.6:6379: connect: connection refused'])] },
);

describe('resolveHost', () => {
  const l = lookup(s);
  it.each([
    ['short name', 'db', 'db'],
    ['name.namespace', 'db.shop', 'db'],
    ['FQDN with trailing dot', 'db.shop.svc.cluster.local.', 'db'],
    ['ClusterIP', '10.96.0.5', 'db'],
    ['external host', 'db.example.com', undefined],
    ['unknown service', 'nope', undefined],
  ])('%s', (_name, host, expected) => {
    expect(resolveHost(l, host, 'shop')?.metadata.name).toBe(expected);
  });
});

describe('serviceGraph', () => {
  const graph = serviceGraph(lookup(s));
  it('finds dependencies in env values, ConfigMaps and connection errors in logs', () => {
    expect(graph.dependenciesOf({ kind: 'Deployment', name: 'api', namespace: 'shop' })).toEqual([
      { service: { kind: 'Service', name: 'cache', namespace: 'shop' }, via: 'env CACHE_HOST' },
      {
        service: { kind: 'Service', name: 'db', namespace: 'shop' },
        port: 5432,
        via: 'ConfigMap shop/api-config key DATABASE_URL',
      },
    ]);
    expect(graph.dependenciesOf({ kind: 'DaemonSet', name: 'worker', namespace: 'shop' })).toEqual([
      { service: { kind: 'Service', name: 'cache', namespace: 'shop' }, port: 6379, via: 'log' },
    ]);
  });

  it('computes the blast radius transitively, Ingress included', () => {
    expect(graph.blastRadius({ kind: 'Deployment', name: 'db', namespace: 'shop' })).toEqual([
      { kind: 'Deployment', name: 'api', namespace: 'shop' },
      { kind: 'Deployment', name: 'web', namespace: 'shop' },
      { kind: 'Ingress', name: 'shop', namespace: 'shop' },
    ]);
  });
});
