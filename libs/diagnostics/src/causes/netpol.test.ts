import { type NetworkPolicy } from '../snapshot';
import { lookup } from '../lookup';
import { NS, pod, service, snapshot } from '../__fixtures__/build';
import { cidrContains, dnsEgress, endOfPod, evaluateTraffic } from './netpol';

function policy(name: string, spec: NetworkPolicy['spec'], namespace = NS): NetworkPolicy {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

const api = pod('api-1', { labels: { app: 'api' }, podIP: '10.0.0.11' });
const db = pod('db-0', {
  labels: { app: 'db' },
  podIP: '10.0.0.12',
  containers: [{ name: 'pg', ports: [{ name: 'pg', containerPort: 5432 }] }],
});
const denyEgress = policy('default-deny-egress', { podSelector: {}, policyTypes: ['Egress'] });
const allowDb = policy('allow-db', {
  podSelector: { matchLabels: { app: 'api' } },
  policyTypes: ['Egress'],
  egress: [
    { to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ protocol: 'TCP', port: 5432 }] },
  ],
});
const allowDns = policy('allow-dns', {
  podSelector: {},
  policyTypes: ['Egress'],
  egress: [
    {
      to: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
          podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
        },
      ],
      ports: [{ protocol: 'UDP', port: 53 }],
    },
  ],
});

function verdict(policies: NetworkPolicy[], port = 5432) {
  const l = lookup(
    snapshot({
      pods: [api, db],
      networkPolicies: policies,
      services: [service('kube-dns', { namespace: 'kube-system', clusterIP: '10.96.0.10' })],
    }),
  );
  return evaluateTraffic(l, endOfPod(api), endOfPod(db), port);
}

describe('evaluateTraffic', () => {
  it.each([
    ['no policies: allowed', [], 5432, true, undefined],
    ['deny-all egress: denied by it', [denyEgress], 5432, false, 'default-deny-egress'],
    ['deny-all plus an allow for the port: allowed', [denyEgress, allowDb], 5432, true, undefined],
    [
      'allow for another port only: denied, the deny-all named first',
      [allowDb, denyEgress],
      6379,
      false,
      'default-deny-egress',
    ],
    [
      'ingress isolation on the receiver without a rule for the sender',
      [
        policy('db-ingress', {
          podSelector: { matchLabels: { app: 'db' } },
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ podSelector: { matchLabels: { app: 'admin' } } }] }],
        }),
      ],
      5432,
      false,
      'db-ingress',
    ],
    [
      'named port in the rule',
      [
        denyEgress,
        policy('named', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'pg' }] }] }),
      ],
      5432,
      true,
      undefined,
    ],
    [
      'ipBlock covering the pod IP',
      [
        denyEgress,
        policy('cidr', {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }] }],
        }),
      ],
      5432,
      true,
      undefined,
    ],
    [
      'ipBlock with the pod IP excepted',
      [
        denyEgress,
        policy('cidr', {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24', except: ['10.0.0.12/32'] } }] }],
        }),
      ],
      5432,
      false,
      'default-deny-egress',
    ],
  ])('%s', (_name, policies, port, allowed, denier) => {
    const v = verdict(policies as NetworkPolicy[], port as number);
    expect(v.allowed).toBe(allowed);
    expect(v.deniedBy?.policies[0].metadata.name).toBe(denier);
  });
});

describe('dnsEgress', () => {
  it('is denied by a default-deny egress and allowed once kube-dns on UDP 53 is', () => {
    const denied = lookup(snapshot({ pods: [api], networkPolicies: [denyEgress] }));
    expect(dnsEgress(denied, api)).toMatchObject({
      allowed: false,
      deniedBy: { direction: 'Egress', namespace: NS },
    });
    const allowed = lookup(snapshot({ pods: [api], networkPolicies: [denyEgress, allowDns] }));
    expect(dnsEgress(allowed, api)).toEqual({ allowed: true });
  });
});

describe('cidrContains', () => {
  it.each([
    ['10.0.0.0/8', '10.1.2.3', true],
    ['10.0.0.0/16', '10.1.2.3', false],
    ['0.0.0.0/0', undefined, true],
    ['10.0.0.0/8', undefined, false],
    ['10.0.0.5/32', '10.0.0.5', true],
    ['fd00::/8', 'fd00::1', false],
  ])('%s contains %s: %s', (cidr, ip, expected) => {
    expect(cidrContains(cidr, ip)).toBe(expected);
  });
});
