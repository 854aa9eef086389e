import { type NetworkPolicy } from '../snapshot';
import { NS, container, deployment, service, snapshot, template } from '../__fixtures__/build';
import { networkPolicyAnalyzer } from './networkpolicy';

const policy = (name: string, spec: NetworkPolicy['spec']): NetworkPolicy => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: NS },
  spec,
});
const api = deployment('api', {
  template: template({ app: 'api' }, [container('api', { env: [{ name: 'DB_HOST', value: 'db' }] })]),
});
const db = deployment('db', {
  template: template({ app: 'db' }, [container('db', { ports: [{ containerPort: 5432 }] })]),
});
const dbService = service('db', { ports: [{ port: 5432, targetPort: 5432 }] });
const denyEgress = policy('default-deny-egress', { podSelector: {}, policyTypes: ['Egress'] });
const allowDns = policy('allow-dns', {
  podSelector: {},
  policyTypes: ['Egress'],
  egress: [
    {
      ports: [
        { protocol: 'UDP', port: 53 },
        { protocol: 'TCP', port: 53 },
      ],
    },
  ],
});

describe('networkpolicy analyzer', () => {
  it('names the policy that cuts workloads off from DNS', () => {
    const findings = networkPolicyAnalyzer.analyze(
      snapshot({ deployments: [api], networkPolicies: [denyEgress] }),
    );
    expect(findings.map((f) => [f.id, f.cause])).toEqual([
      [
        'networkpolicy:DNSEgressDenied:shop/default-deny-egress',
        'NetworkPolicy default-deny-egress isolates the egress of the pods it selects (<all>) and allows no DNS (UDP 53 to kube-dns); its egress rules admit only: nothing',
      ],
    ]);
  });

  it('finds a dependency from the service graph that a policy denies', () => {
    const findings = networkPolicyAnalyzer.analyze(
      snapshot({ deployments: [api, db], services: [dbService], networkPolicies: [denyEgress, allowDns] }),
    );
    expect(findings.map((f) => [f.reason, f.symptom])).toEqual([
      ['TrafficDenied', 'traffic to Service shop/db port 5432 is denied for Deployment shop/api'],
    ]);
  });

  it('reports a policy that selects no pod, and nothing else when traffic flows', () => {
    const unused = policy('legacy', {
      podSelector: { matchLabels: { app: 'gone' } },
      policyTypes: ['Ingress'],
    });
    const allowDb = policy('allow-db', {
      podSelector: { matchLabels: { app: 'api' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 5432 }] }],
    });
    const s = snapshot({
      deployments: [api, db],
      services: [dbService],
      networkPolicies: [denyEgress, allowDns, allowDb, unused],
      pods: [],
    });
    expect(networkPolicyAnalyzer.analyze(s)).toStrictEqual([]);
  });
});
