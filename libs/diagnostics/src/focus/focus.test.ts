import { lookup } from '../lookup';
import {
  container,
  deployment,
  node,
  pod,
  replicaSet,
  service,
  snapshot,
  template,
} from '../__fixtures__/build';
import { extractTerms } from './terms';
import { matchName } from './match';
import { resolveFocus } from './resolve';

const NS2 = 'catalog';

function cluster() {
  const catalogTpl = template({ app: 'catalog-api' }, [
    container('api', { image: 'ghcr.io/acme/catalog-api:3.12.0' }),
  ]);
  const nextTpl = template({ app: 'catalog-api' }, [
    container('api', { image: 'ghcr.io/acme/catalog-api:3.12.1' }),
  ]);
  const checkoutTpl = template({ app: 'checkout' }, [
    container('checkout', { env: [{ name: 'PAYMENTS_URL', value: 'http://payments:80' }] }),
  ]);
  return snapshot(
    {
      namespaces: [{ metadata: { name: 'shop' } }, { metadata: { name: NS2 } }],
      nodes: [node('worker-1')],
      deployments: [
        deployment('checkout', { template: checkoutTpl }),
        deployment('payments', { template: template({ app: 'payments' }, [container('payments')]) }),
        deployment('order-processor', {
          template: template({ app: 'order-processor' }, [container('processor')]),
        }),
        deployment('catalog-api', { namespace: NS2, template: catalogTpl }),
      ],
      replicaSets: [
        replicaSet('checkout-7d9f', { deployment: 'checkout', template: checkoutTpl, revision: 1 }),
        replicaSet('catalog-api-6b', {
          namespace: NS2,
          deployment: 'catalog-api',
          template: nextTpl,
          revision: 2,
        }),
      ],
      pods: [
        pod('checkout-7d9f-abcde', {
          labels: { app: 'checkout' },
          owner: { kind: 'ReplicaSet', name: 'checkout-7d9f' },
          containers: checkoutTpl.spec!.containers,
        }),
      ],
      services: [service('checkout-svc', { selector: { app: 'checkout' } }), service('payments')],
    },
    { namespaces: [] },
  );
}

describe('terms', () => {
  it.each([
    [
      'keeps names with separators, versions and image references whole',
      'catalog-api 3.12.1 release is not rolling out',
      ['catalog-api', '3.12.1'],
    ],
    ['drops English glue and generic words', 'why is the cluster so slow today?', []],
    [
      'joins plain words a name may be spelled as',
      'order processor is stuck',
      ['order', 'order-processor', 'processor'],
    ],
    ['reads only punctuation as nothing', '?!?! ... ---', []],
  ])('%s', (_name, text, expected) => {
    expect(extractTerms({ text }).map((t) => t.text)).toEqual(expected);
  });

  it('notes the kind a neighbouring word names, and takes alert labels as names', () => {
    const terms = extractTerms({
      text: 'the checkout service returns 500s',
      labels: { deployment: 'Web', severity: 'page' },
    });
    expect(terms).toEqual([
      { text: 'web', source: 'label', kind: 'Deployment', nameLike: true },
      { text: 'checkout', source: 'prompt', kind: 'Service', nameLike: false },
      { text: 'checkout-service', source: 'prompt', nameLike: false },
    ]);
  });
});

describe('matchName', () => {
  it.each([
    ['order-processor', 'order-processor', 'exact'],
    ['Order_Processor', 'order-processor', 'normalized'],
    ['payment', 'payments', 'plural'],
    ['checkout', 'checkout-svc', 'base'],
    ['paymnets', 'payments', 'fuzzy'],
    ['catalog', 'catalog-indexer', 'segment'],
  ])('%s names %s (%s)', (term, name, how) => {
    expect(matchName(term, name)?.how).toBe(how);
  });

  it.each([
    ['web', 'api'],
    ['api', 'catalog-api'],
    ['shop', 'stop'],
  ])('%s does not name %s', (term, name) => {
    expect(matchName(term, name)).toBeUndefined();
  });
});

describe('resolveFocus', () => {
  it('finds a workload in another namespace by name and by the image tag it rolls out', () => {
    const f = resolveFocus(lookup(cluster()), { text: 'catalog-api 3.12.1 release is not rolling out' });
    expect(f.named).toEqual([{ kind: 'Deployment', namespace: NS2, name: 'catalog-api' }]);
    expect(f.namespaces).toEqual([NS2]);
    expect(f.unresolved).toEqual([]);
  });

  it('resolves "the checkout service" to the Service and the workload behind it, with its dependencies related', () => {
    const f = resolveFocus(lookup(cluster()), { text: 'The Checkout service is throwing 500s' });
    expect(f.named).toEqual(
      expect.arrayContaining([
        { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
        { kind: 'Service', namespace: 'shop', name: 'checkout-svc' },
      ]),
    );
    expect(f.related).toEqual(
      expect.arrayContaining([
        { kind: 'Service', namespace: 'shop', name: 'payments' },
        { kind: 'Deployment', namespace: 'shop', name: 'payments' },
      ]),
    );
  });

  it('maps a pod name and a container name to their workload', () => {
    const f = resolveFocus(lookup(cluster()), {
      text: 'pod checkout-7d9f-abcde and the processor container',
    });
    expect(f.named).toEqual(
      expect.arrayContaining([
        { kind: 'Pod', namespace: 'shop', name: 'checkout-7d9f-abcde' },
        { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
        { kind: 'Deployment', namespace: 'shop', name: 'order-processor' },
      ]),
    );
  });

  it('says which names match nothing, and never invents a match', () => {
    const f = resolveFocus(lookup(cluster()), {
      text: 'inventory-sync v9.9.9 is down since the node rotation, 6 of 8 pods, check node zz-42',
    });
    expect(f.named).toEqual([]);
    expect(f.unresolved).toEqual(['inventory-sync', 'v9.9.9', 'zz-42']);
  });

  it('answers a question in another language or of punctuation with no names and no crash', () => {
    expect(resolveFocus(lookup(cluster()), { text: '¿Por qué falla el servicio de pagos?' }).named).toEqual(
      [],
    );
    expect(resolveFocus(lookup(cluster()), { text: '!!!???' })).toMatchObject({ named: [], unresolved: [] });
  });
});
