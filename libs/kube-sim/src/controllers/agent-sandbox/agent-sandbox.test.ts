// The agent-sandbox controller simulation against a real kube-sim store: sandboxes get pods and
// services, pools keep their replicas, claims adopt warm sandboxes or cold-start, and shutdown
// times, suspension and missing pools/templates give the real controller's conditions.
import { AgentSandboxKeys } from '@foxhound/contracts';
import { startKubeSim, type KubeSim } from '../../sim';
import { type StoreEvent } from '../../store';
import { type StoredObject } from '../../types';
import { startAgentSandboxController, type AgentSandboxController } from './controller';
import { CLAIMS, PODS, SANDBOXES, SERVICES, TEMPLATES, WARM_POOLS, fnv32a } from './meta';

const NS = 'sandboxes';

let sim: KubeSim;
let controller: AgentSandboxController | undefined;

beforeEach(async () => {
  sim = await startKubeSim({ prometheus: false });
  sim.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
});

afterEach(async () => {
  await controller?.stop();
  controller = undefined;
  await sim.close();
});

function start(options: { podStartDelayMs?: number; warmCandidateGraceMs?: number } = {}) {
  const errors: unknown[] = [];
  controller = startAgentSandboxController({
    store: sim.store,
    onError: (err) => errors.push(err),
    ...options,
  });
  return errors;
}

/** Resolves with the object once `predicate` holds for it (checked now and after every change). */
function waitFor(
  resource: string,
  name: string,
  predicate: (object: StoredObject | undefined) => boolean,
  timeoutMs = 5000,
): Promise<StoredObject | undefined> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const object = sim.store.find(resource, NS, name);
      if (!predicate(object)) return false;
      unsubscribe();
      clearTimeout(timer);
      resolve(object);
      return true;
    };
    const unsubscribe = sim.store.subscribe(() => void check());
    const timer = setTimeout(() => {
      unsubscribe();
      reject(
        new Error(
          `timed out waiting for ${resource} ${name}: ${JSON.stringify(sim.store.find(resource, NS, name)?.status)}`,
        ),
      );
    }, timeoutMs);
    check();
  });
}

const readyOf = (object: StoredObject | undefined) =>
  (
    (object?.status as { conditions?: { type: string; status: string; reason?: string }[] } | undefined)
      ?.conditions ?? []
  ).find((c) => c.type === 'Ready');
const isReady = (object: StoredObject | undefined) => readyOf(object)?.status === 'True';
const reasonIs = (reason: string) => (object: StoredObject | undefined) => readyOf(object)?.reason === reason;

const podTemplate = {
  metadata: { labels: { app: 'executor', 'agents.x-k8s.io/ignored': 'x' } },
  spec: { containers: [{ name: 'executor', image: 'executor:1', ports: [{ containerPort: 8888 }] }] },
};

function createTemplate(name = 'executor', extra: Record<string, unknown> = {}) {
  sim.store.create(TEMPLATES, {
    apiVersion: 'extensions.agents.x-k8s.io/v1beta1',
    kind: 'SandboxTemplate',
    metadata: { name, namespace: NS },
    spec: { podTemplate, ...extra },
  });
}

function createPool(replicas: number, name = 'pool', template = 'executor') {
  sim.store.create(WARM_POOLS, {
    apiVersion: 'extensions.agents.x-k8s.io/v1beta1',
    kind: 'SandboxWarmPool',
    metadata: { name, namespace: NS },
    spec: { replicas, sandboxTemplateRef: { name: template } },
  });
}

function createClaim(name: string, spec: Record<string, unknown> = {}) {
  return sim.store.create(CLAIMS, {
    apiVersion: 'extensions.agents.x-k8s.io/v1beta1',
    kind: 'SandboxClaim',
    metadata: { name, namespace: NS },
    spec: { warmPoolRef: { name: 'pool' }, ...spec },
  });
}

function createSandbox(name: string, spec: Record<string, unknown> = {}) {
  return sim.store.create(SANDBOXES, {
    apiVersion: 'agents.x-k8s.io/v1beta1',
    kind: 'Sandbox',
    metadata: { name, namespace: NS },
    spec: { podTemplate, ...spec },
  });
}

const poolMembers = () =>
  sim.store.list(SANDBOXES, {
    namespace: NS,
    labelSelector: `${AgentSandboxKeys.warmPoolSandbox}=${fnv32a('pool')}`,
  }).items;

describe('Sandbox', () => {
  it('creates an owned pod with the name-hash label and reports Ready with its pod IP', async () => {
    start();
    createSandbox('sb-1');
    const sandbox = await waitFor(SANDBOXES, 'sb-1', isReady);
    const pod = sim.store.get(PODS, NS, 'sb-1');
    expect(pod.metadata.labels).toEqual({
      app: 'executor',
      [AgentSandboxKeys.sandboxNameHash]: fnv32a('sb-1'),
    });
    expect(pod.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        kind: 'Sandbox',
        name: 'sb-1',
        uid: sandbox!.metadata.uid,
        controller: true,
      }),
    ]);
    expect(sandbox!.status).toEqual({
      conditions: [expect.objectContaining({ type: 'Ready', status: 'True', reason: 'DependenciesReady' })],
      selector: `${AgentSandboxKeys.sandboxNameHash}=${fnv32a('sb-1')}`,
      podIPs: [(pod.status as { podIP: string }).podIP],
    });
    expect(sim.store.find(SERVICES, NS, 'sb-1')).toBeUndefined();
  });

  it('creates a headless service with the container ports when spec.service is true', async () => {
    start();
    createSandbox('sb-svc', { service: true });
    const sandbox = await waitFor(SANDBOXES, 'sb-svc', isReady);
    const service = sim.store.get(SERVICES, NS, 'sb-svc');
    expect(service.spec).toMatchObject({
      clusterIP: 'None',
      selector: { [AgentSandboxKeys.sandboxNameHash]: fnv32a('sb-svc') },
      ports: [{ name: 'p-8888-tcp', port: 8888, targetPort: 8888, protocol: 'TCP' }],
    });
    expect(sandbox!.status).toMatchObject({
      service: 'sb-svc',
      serviceFQDN: 'sb-svc.sandboxes.svc.cluster.local',
    });
  });

  it('is not Ready while its pod starts', async () => {
    start({ podStartDelayMs: 60_000 });
    createSandbox('sb-slow');
    const sandbox = await waitFor(SANDBOXES, 'sb-slow', reasonIs('DependenciesNotReady'));
    expect(readyOf(sandbox)).toMatchObject({
      status: 'False',
      message: 'Pod exists with phase: Pending; Service not required',
    });
  });

  it.each([
    ['Delete', (o: StoredObject | undefined) => o === undefined],
    ['Retain', reasonIs('SandboxExpired')],
  ])('at shutdownTime with policy %s removes the pod', async (policy, done) => {
    start();
    createSandbox('sb-exp', {
      shutdownTime: new Date(Date.now() + 300).toISOString(),
      shutdownPolicy: policy,
    });
    await waitFor(SANDBOXES, 'sb-exp', isReady);
    await waitFor(SANDBOXES, 'sb-exp', done);
    expect(sim.store.find(PODS, NS, 'sb-exp')).toBeUndefined();
  });

  it('deletes the pod and reports SandboxSuspended when suspended', async () => {
    start();
    createSandbox('sb-sus');
    await waitFor(SANDBOXES, 'sb-sus', isReady);
    sim.store.patch(SANDBOXES, NS, 'sb-sus', 'merge', { spec: { operatingMode: 'Suspended' } });
    const sandbox = await waitFor(SANDBOXES, 'sb-sus', reasonIs('SandboxSuspended'));
    expect(sim.store.find(PODS, NS, 'sb-sus')).toBeUndefined();
    expect((sandbox!.status as { conditions: unknown[] }).conditions).toContainEqual(
      expect.objectContaining({ type: 'Suspended', status: 'True', reason: 'PodTerminated' }),
    );
  });
});

describe('SandboxWarmPool', () => {
  it('keeps `replicas` ready sandboxes named <pool>-xxxxx and reports readyReplicas', async () => {
    start();
    createTemplate();
    createPool(2);
    await waitFor(WARM_POOLS, 'pool', (p) => (p?.status as { readyReplicas?: number })?.readyReplicas === 2);
    const members = poolMembers();
    expect(members.map((s) => s.metadata.name)).toEqual([
      expect.stringMatching(/^pool-[a-z0-9]{5}$/),
      expect.stringMatching(/^pool-[a-z0-9]{5}$/),
    ]);
    expect(members[0]!.metadata.labels).toMatchObject({
      [AgentSandboxKeys.templateRefHash]: fnv32a('executor'),
    });
    sim.store.patch(WARM_POOLS, NS, 'pool', 'merge', { spec: { replicas: 0 } });
    await waitFor(WARM_POOLS, 'pool', (p) => (p?.status as { replicas?: number })?.replicas === 0);
    expect(poolMembers()).toEqual([]);
  });
});

describe('SandboxClaim', () => {
  it('adopts a ready warm sandbox: name, pod IPs and Ready arrive in one status update; the pool refills', async () => {
    const errors = start();
    createTemplate();
    createPool(1);
    await waitFor(WARM_POOLS, 'pool', (p) => (p?.status as { readyReplicas?: number })?.readyReplicas === 1);
    const [warm] = poolMembers();
    const statusWrites: unknown[] = [];
    const unsubscribe = sim.store.subscribe((e: StoreEvent) => {
      if (e.resource.plural === 'sandboxclaims' && e.object.status !== undefined)
        statusWrites.push(e.object.status);
    });
    createClaim('claim-warm');
    const claim = await waitFor(CLAIMS, 'claim-warm', isReady);
    unsubscribe();
    expect(claim!.status).toEqual({
      sandbox: { name: warm!.metadata.name, podIPs: (warm!.status as { podIPs: string[] }).podIPs },
      conditions: [expect.objectContaining({ type: 'Ready', status: 'True' })],
    });
    expect(statusWrites).toHaveLength(1);
    const adopted = sim.store.get(SANDBOXES, NS, warm!.metadata.name);
    expect(adopted.metadata.labels?.[AgentSandboxKeys.warmPoolSandbox]).toBeUndefined();
    expect(adopted.metadata.labels).toMatchObject({
      [AgentSandboxKeys.launchType]: 'warm',
      [AgentSandboxKeys.claimUid]: claim!.metadata.uid,
    });
    expect(adopted.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'SandboxClaim', name: 'claim-warm' }),
    ]);
    await waitFor(WARM_POOLS, 'pool', (p) => (p?.status as { readyReplicas?: number })?.readyReplicas === 1);
    expect(poolMembers().map((s) => s.metadata.name)).not.toContain(warm!.metadata.name);
    expect(errors).toEqual([]);
  });

  it('cold-starts a sandbox named after the claim when the pool is empty', async () => {
    start({ podStartDelayMs: 20 });
    createTemplate();
    createPool(0);
    createClaim('claim-cold');
    const claim = await waitFor(CLAIMS, 'claim-cold', isReady);
    expect((claim!.status as { sandbox: { name: string } }).sandbox.name).toBe('claim-cold');
    expect(sim.store.get(SANDBOXES, NS, 'claim-cold').metadata.labels).toMatchObject({
      [AgentSandboxKeys.launchType]: 'cold',
    });
  });

  it('waits for a starting warm sandbox within the grace period, then cold-starts', async () => {
    start({ podStartDelayMs: 60_000, warmCandidateGraceMs: 100 });
    createTemplate();
    createPool(1);
    await waitFor(WARM_POOLS, 'pool', (p) => (p?.status as { replicas?: number })?.replicas === 1);
    createClaim('claim-grace');
    await waitFor(CLAIMS, 'claim-grace', reasonIs('SandboxCreatePending'));
    const claim = await waitFor(
      CLAIMS,
      'claim-grace',
      (c) => (c?.status as { sandbox?: { name?: string } })?.sandbox?.name !== undefined,
    );
    expect(claim!.status).toMatchObject({ sandbox: { name: 'claim-grace' } });
    expect(readyOf(claim)).toMatchObject({ status: 'False', reason: 'SandboxNotReady' });
  });

  it.each([
    ['WarmPoolNotFound', 'SandboxWarmPool "pool" not found', () => createTemplate()],
    ['TemplateNotFound', 'SandboxTemplate "executor" not found', () => createPool(1)],
  ])('reports %s, then binds once the object appears', async (reason, message, setup) => {
    start();
    setup();
    createClaim('claim-missing');
    const claim = await waitFor(CLAIMS, 'claim-missing', reasonIs(reason));
    expect(readyOf(claim)).toMatchObject({ status: 'False', message });
    if (reason === 'WarmPoolNotFound') createPool(0);
    else createTemplate();
    await waitFor(CLAIMS, 'claim-missing', isReady);
  });

  it('rejects env injection the template does not allow', async () => {
    start();
    createTemplate();
    createPool(0);
    createClaim('claim-env', { env: [{ name: 'A', value: '1' }] });
    await waitFor(CLAIMS, 'claim-env', reasonIs('EnvVarsInjectionRejected'));
  });

  it.each([
    ['Delete', (o: StoredObject | undefined) => o === undefined],
    ['Retain', reasonIs('ClaimExpired')],
  ])('at shutdownTime with policy %s removes the sandbox and its pod', async (policy, done) => {
    start();
    createTemplate();
    createPool(0);
    createClaim('claim-exp', {
      lifecycle: { shutdownTime: new Date(Date.now() + 300).toISOString(), shutdownPolicy: policy },
    });
    await waitFor(CLAIMS, 'claim-exp', isReady);
    await waitFor(CLAIMS, 'claim-exp', done);
    await waitFor(SANDBOXES, 'claim-exp', (o) => o === undefined);
    expect(sim.store.find(PODS, NS, 'claim-exp')).toBeUndefined();
  });

  it('deleting the claim deletes its sandbox and pod', async () => {
    start();
    createTemplate();
    createPool(0);
    createClaim('claim-del');
    await waitFor(CLAIMS, 'claim-del', isReady);
    sim.store.delete(CLAIMS, NS, 'claim-del');
    expect(sim.store.find(SANDBOXES, NS, 'claim-del')).toBeUndefined();
    expect(sim.store.find(PODS, NS, 'claim-del')).toBeUndefined();
  });
});
