import { type ConfigMap, type ContainerLog, type NetworkPolicy } from '../snapshot';
import { lookup } from '../lookup';
import { NS, container, crashLooping, endpoints, pod, service, snapshot } from '../__fixtures__/build';
import { explainDependency } from './dependency';
import { type LogSignal } from './logs';

const config: ConfigMap = {
  metadata: { name: 'api-config', namespace: NS },
  data: { ORDERS_DB_HOST: 'orders-db', LOG_LEVEL: 'info' },
};
const api = pod('api-1', {
  labels: { app: 'api' },
  podIP: '10.0.0.11',
  containers: [container('app', { envFrom: [{ configMapRef: { name: 'api-config' } }] })],
});
const signal = (kind: LogSignal['kind'], host: string, port?: number): LogSignal => ({
  kind,
  line: `${kind} ${host}`,
  index: 0,
  count: 3,
  host,
  ...(port ? { port } : {}),
});
const explain = (objects: Parameters<typeof snapshot>[0], s: LogSignal, logs: ContainerLog[] = []) =>
  explainDependency(
    lookup(
      snapshot(
        {
          pods: [api],
          configMaps: [config],
          ...objects,
          ...(objects.pods ? { pods: [api, ...objects.pods] } : {}),
        },
        { logs },
      ),
    ),
    api,
    s,
  );

describe('explainDependency: what the host means in the cluster', () => {
  it('names the ConfigMap key that holds a name no Service answers to, as the fault', () => {
    const cm = { kind: 'ConfigMap', name: 'api-config', namespace: NS };
    expect(explain({ services: [service('orders-dbx')] }, signal('dns-failure', 'orders-db'))).toEqual({
      text: `no Service named orders-db exists in namespace ${NS} (did you mean orders-dbx?); the name comes from ConfigMap ${NS}/api-config key ORDERS_DB_HOST`,
      evidence: [
        {
          source: 'analysis',
          excerpt: `Service ${NS}/orders-db not found; Service ${NS}/orders-dbx exists; the name comes from ConfigMap ${NS}/api-config key ORDERS_DB_HOST`,
          ref: cm,
        },
      ],
      definite: true,
      config: {
        ref: cm,
        reason: 'MissingDependency',
        description: `ConfigMap ${NS}/api-config key ORDERS_DB_HOST names orders-db, but no Service ${NS}/orders-db exists (did you mean orders-dbx?)`,
        fix: expect.objectContaining({
          action: expect.objectContaining({
            type: 'PatchConfigMapKey',
            name: 'api-config',
            key: 'ORDERS_DB_HOST',
            value: config.data!.ORDERS_DB_HOST!.split('orders-db').join('orders-dbx'),
          }),
          rollback: expect.objectContaining({ action: expect.objectContaining({ type: 'RestoreObject' }) }),
        }),
      },
    });
  });

  it("names the client's egress policy that admits no address outside the cluster", () => {
    const deny: NetworkPolicy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny-egress', namespace: NS },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: {} }] }],
      },
    };
    expect(
      explain({ networkPolicies: [deny] }, signal('timeout', 'ledger.abc.eu-west-1.rds.amazonaws.com', 5432)),
    ).toMatchObject({
      culprit: { kind: 'NetworkPolicy', name: 'default-deny-egress', namespace: NS },
      config: { reason: 'EgressDenied' },
    });
    const open: NetworkPolicy = {
      ...deny,
      spec: { ...deny.spec, egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] },
    };
    expect(
      explain({ networkPolicies: [open] }, signal('timeout', 'ledger.abc.eu-west-1.rds.amazonaws.com', 5432)),
    ).toBeUndefined();
  });

  it('points at the namespace of a same-named Service, and at the mounted file that holds the name', () => {
    const files: ConfigMap = {
      metadata: { name: 'profile-config', namespace: NS },
      data: {
        'application.yaml': 'loyalty:\n  base-url: http://loyalty-points.rewards.svc.cluster.local:8080\n',
      },
    };
    const caller = pod('profile-1', {
      labels: { app: 'profile' },
      containers: [container('app', { volumeMounts: [{ name: 'config', mountPath: '/config' }] })],
      spec: { volumes: [{ name: 'config', configMap: { name: 'profile-config' } }] },
    });
    const s = snapshot({
      pods: [caller],
      configMaps: [files],
      services: [service('loyalty-points', { namespace: 'loyalty' })],
    });
    expect(
      explainDependency(lookup(s), caller, signal('dns-failure', 'loyalty-points.rewards.svc.cluster.local')),
    ).toMatchObject({
      text: `no Service named loyalty-points exists in namespace rewards (Service loyalty/loyalty-points exists: the name points at the wrong namespace); the name comes from ConfigMap ${NS}/profile-config key application.yaml`,
      definite: true,
      config: {
        ref: { kind: 'ConfigMap', name: 'profile-config', namespace: NS },
        reason: 'MissingDependency',
        // The same name in the namespace where the Service does exist; the rest of the file unchanged.
        fix: {
          action: {
            type: 'PatchConfigMapKey',
            key: 'application.yaml',
            value: 'loyalty:\n  base-url: http://loyalty-points.loyalty.svc.cluster.local:8080\n',
          },
        },
      },
    });
  });

  it('says an ExternalName Service leads outside the cluster', () => {
    const ext = {
      ...service('payments'),
      spec: { type: 'ExternalName', externalName: 'api.payments.example.com' },
    };
    expect(explain({ services: [ext] }, signal('timeout', 'payments', 443))?.text).toBe(
      `Service ${NS}/payments is an ExternalName for api.payments.example.com, outside the cluster`,
    );
  });

  it('blames the workload of a pod IP that is not ready', () => {
    const db = pod('db-0', {
      labels: { app: 'db' },
      podIP: '10.0.0.12',
      owner: { kind: 'StatefulSet', name: 'db' },
      statuses: [crashLooping('pg')],
    });
    expect(explain({ pods: [db] }, signal('connection-refused', '10.0.0.12', 5432))).toMatchObject({
      text: `10.0.0.12 is Pod ${NS}/db-0, which is not ready (1 CrashLoopBackOff)`,
      culprit: { kind: 'StatefulSet', name: 'db', namespace: NS },
    });
  });

  it('finds a Service whose targetPort no container listens on', () => {
    const db = pod('db-0', {
      labels: { app: 'db' },
      podIP: '10.0.0.12',
      containers: [container('pg', { ports: [{ name: 'pg', containerPort: 5432 }] })],
    });
    const svc = service('db', {
      clusterIP: '10.96.0.70',
      ports: [{ port: 5432, targetPort: 5433, protocol: 'TCP' }],
    });
    expect(
      explain(
        { pods: [db], services: [svc], endpoints: [endpoints('db', { ready: ['db-0'] })] },
        signal('connection-refused', 'db', 5432),
      ),
    ).toMatchObject({
      text: `Service ${NS}/db sends the traffic to a port nothing listens on: port 5432 targets 5433, but the pods' containers expose 5432`,
      culprit: { kind: 'Service', name: 'db', namespace: NS },
    });
  });

  it("names the policy that drops the flow, evaluated from the client's egress", () => {
    const db = pod('db-0', {
      labels: { app: 'db' },
      podIP: '10.0.0.12',
      containers: [container('pg', { ports: [{ name: 'pg', containerPort: 5432 }] })],
    });
    const svc = service('db', {
      clusterIP: '10.96.0.70',
      ports: [{ port: 5432, targetPort: 5432, protocol: 'TCP' }],
    });
    const deny: NetworkPolicy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'api-egress-lockdown', namespace: NS },
      spec: { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Egress'] },
    };
    expect(
      explain(
        {
          pods: [db],
          services: [svc],
          endpoints: [endpoints('db', { ready: ['db-0'] })],
          networkPolicies: [deny],
        },
        signal('timeout', 'db', 5432),
      ),
    ).toMatchObject({
      text: `NetworkPolicy api-egress-lockdown drops the traffic (egress of Pod ${NS}/api-1; no rule allows port 5432)`,
      culprit: { kind: 'NetworkPolicy', name: 'api-egress-lockdown', namespace: NS },
    });
  });

  it('returns nothing for a host outside the cluster when no policy stands in the way', () => {
    expect(explain({}, signal('connection-refused', 'db.example.com', 5432))).toBeUndefined();
  });
});
