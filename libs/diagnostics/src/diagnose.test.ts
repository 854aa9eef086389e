import { InvestigationReportSchema } from '@foxhound/contracts';
import { diagnose } from './diagnose';
import { toReport } from './report/to-report';
import {
  NS,
  container,
  deployment,
  endpoints,
  event,
  pod,
  replicaSet,
  service,
  snapshot,
  template,
} from './__fixtures__/build';

const labels = { app: 'worker' };
const tpl = template(labels, [container('worker', { resources: { requests: { memory: '1Gi' } } })]);
const healthyPods = [1, 2].map((i) =>
  pod(`worker-7d-${i}`, {
    labels: { ...labels, 'pod-template-hash': '7d' },
    owner: { kind: 'ReplicaSet', name: 'worker-7d' },
  }),
);

function quotaIncident() {
  return snapshot({
    deployments: [deployment('worker', { labels, template: tpl, replicas: 4, ready: 2 })],
    replicaSets: [
      replicaSet('worker-7d', { deployment: 'worker', template: tpl, replicas: 4, ready: 2, hash: '7d' }),
    ],
    pods: healthyPods,
    resourceQuotas: [
      {
        metadata: { name: 'compute', namespace: NS, resourceVersion: '77' },
        spec: { hard: { 'requests.memory': '2Gi' } },
        status: { hard: { 'requests.memory': '2Gi' }, used: { 'requests.memory': '2Gi' } },
      },
    ],
    events: [
      event(
        { kind: 'ReplicaSet', name: 'worker-7d' },
        'FailedCreate',
        'Error creating: pods "worker-7d-x" is forbidden: exceeded quota: compute, requested: requests.memory=1Gi, used: requests.memory=2Gi, limited: requests.memory=2Gi',
        { count: 9 },
      ),
    ],
  });
}

describe('diagnose', () => {
  it('says "no problems" for a healthy scope, with what it checked', () => {
    const s = snapshot({
      deployments: [deployment('worker', { labels, template: tpl })],
      pods: healthyPods,
      services: [service('worker')],
      endpoints: [endpoints('worker', { ready: ['worker-7d-1', 'worker-7d-2'] })],
    });
    const d = diagnose(s);
    expect(d).toMatchObject({ status: 'ok', rootCauses: [], errors: [] });
    expect(d.checked.slice(0, 3)).toEqual([
      'scope: namespace(s) shop',
      'objects: 2 Pod, 1 Deployment, 1 Service, 1 Endpoints',
      'events: 0',
    ]);
    const report = toReport(d);
    expect(report).toMatchObject({
      healthy: true,
      rootCause: 'No problems found in shop: every workload examined is healthy.',
      proposals: [],
    });
    expect(InvestigationReportSchema.parse(report)).toEqual(report);
  });

  it('reports the root cause with its symptoms, blast radius and an undoable proposal', () => {
    const report = toReport(diagnose(quotaIncident()));
    expect(InvestigationReportSchema.parse(report)).toEqual(report);
    expect(report.rootCause).toBe(
      'ResourceQuota compute is exhausted: requests.memory: asks 1Gi, 2Gi of 2Gi used, nothing left; it refuses new pods of Deployment shop/worker (QuotaExceeded on ResourceQuota shop/compute).',
    );
    expect(report.affected).toEqual({ kind: 'ResourceQuota', name: 'compute', namespace: NS });
    expect(report.blastRadius).toEqual([{ kind: 'Deployment', name: 'worker', namespace: NS }]);
    expect(report.findings.map((f) => [f.id, f.causedBy])).toEqual([
      ['resourcequota:QuotaExceeded:shop/compute', undefined],
      ['deployment:ReplicaMismatch:shop/worker', 'replicaset:FailedCreate:shop/worker-7d'],
      ['replicaset:FailedCreate:shop/worker-7d', 'resourcequota:QuotaExceeded:shop/compute'],
    ]);
    expect(report.proposals).toHaveLength(1);
    expect(report.proposals[0]).toMatchObject({
      id: 'resourcequota:QuotaExceeded:shop/compute:PatchResourceQuota',
      risk: 'low',
      target: { resourceVersion: '77' },
    });
    expect(report.timeline.map((t) => t.what)).toContain(
      'Warning FailedCreate: Error creating: pods "worker-7d-x" is forbidden: exceeded quota: compute, requested: requests.memory=1Gi, used: requests.memory=2Gi, limited: requests.memory=2Gi',
    );
    expect(report.notChecked).toContain(
      'application metrics and traces beyond the Prometheus series collected',
    );
  });
});
