// Break-then-fix, storage. From the Kubernetes docs "Storage Classes"
// (https://kubernetes.io/docs/concepts/storage/storage-classes/#default-storageclass: a claim
// without storageClassName gets the default class) and "Persistent Volumes"
// (https://kubernetes.io/docs/concepts/storage/persistent-volumes/#provisioning, #binding,
// #reclaiming): a claim of a class that does not exist stays Pending with ProvisioningFailed, a
// pod using it is unschedulable; creating the class provisions and binds the claim, and the pod
// runs. Messages are the PV controller's and the scheduler's VolumeBinding plugin's.
import { useCluster } from '../../testing/cluster';
import { watchUntil } from '../../testing/watch-until';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const c = useCluster();

const claim = (name: string, storageClass?: string) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: ${name}}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 5Gi}}
${storageClass ? `  storageClassName: ${storageClass}\n` : ''}`;
const pvcPath = (ns: string) => `/api/v1/namespaces/${ns}/persistentvolumeclaims`;
const events = (ns: string, name: string) => c.events(ns, `involvedObject.name=${name}`);

describe('claims bind through a default StorageClass and a provisioner, as on a cluster', () => {
  it('a claim without a class gets the default one, a provisioned volume, and loses it when deleted', async () => {
    const ns = await c.namespace('pv-default');
    expect(await c.ok(ns, 'get', 'storageclass')).toMatch(
      /\nstandard \(default\)\s+k8s\.io\/minikube-hostpath\s+Delete\s+Immediate\s+false\s+\S+\n$/,
    );
    await c.apply(ns, claim('data'));
    const bound = await c.waitFor(pvcPath(ns), 'data', (p) => p.status?.phase === 'Bound');
    const volume = `pvc-${bound.metadata.uid}`;
    expect(bound.spec).toMatchObject({ storageClassName: 'standard', volumeName: volume });
    expect(bound.status).toEqual({
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: '5Gi' },
      phase: 'Bound',
    });
    expect(bound.metadata.annotations).toMatchObject({
      'pv.kubernetes.io/bind-completed': 'yes',
      'pv.kubernetes.io/bound-by-controller': 'yes',
      'volume.kubernetes.io/storage-provisioner': 'k8s.io/minikube-hostpath',
    });
    expect(await c.ok(ns, 'get', 'pvc', 'data')).toMatch(
      new RegExp(`\\ndata\\s+Bound\\s+${volume}\\s+5Gi\\s+RWO\\s+standard\\s+`),
    );
    const pv = await c.get(ns, 'pv', volume);
    expect(pv.spec).toMatchObject({
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: '5Gi' },
      claimRef: { kind: 'PersistentVolumeClaim', name: 'data', namespace: ns, uid: bound.metadata.uid },
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: 'standard',
    });
    expect(pv.status.phase).toBe('Bound');
    expect((await events(ns, 'data')).map((e) => e.reason)).toEqual([
      'Provisioning',
      'ProvisioningSucceeded',
    ]);

    await c.ok(ns, 'delete', 'pvc', 'data');
    expect((await c.run(ns, 'get', 'pv', volume)).stderr).toContain(
      `persistentvolumes "${volume}" not found`,
    );
  });

  it('a claim of a missing class stays Pending with ProvisioningFailed and its pod unschedulable, until the class exists', async () => {
    const ns = await c.namespace('pv-missing');
    await c.apply(ns, claim('db-data', 'fast-ssd'));
    await c.apply(
      ns,
      `apiVersion: v1
kind: Pod
metadata: {name: db}
spec:
  containers: [{name: postgres, image: "postgres:16", volumeMounts: [{name: data, mountPath: /var/lib/postgresql/data}]}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: db-data}}]
`,
    );
    const pending = await c.waitFor(`/api/v1/namespaces/${ns}/pods`, 'db', (p) =>
      p.status?.conditions?.some((x: Json) => x.type === 'PodScheduled' && x.status === 'False'),
    );
    expect(pending.status.conditions[0].message).toBe(
      '0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    );
    const claimEvents = await events(ns, 'db-data');
    expect(claimEvents[0]).toMatchObject({
      type: 'Warning',
      reason: 'ProvisioningFailed',
      message: 'storageclass.storage.k8s.io "fast-ssd" not found',
      source: { component: 'persistentvolume-controller' },
    });
    expect(await c.ok(ns, 'get', 'pvc', 'db-data')).toMatch(/\ndb-data\s+Pending\s+fast-ssd\s+/);

    await c.apply(
      ns,
      `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast-ssd}
provisioner: ebs.csi.aws.com
parameters: {type: gp3}
reclaimPolicy: Retain
volumeBindingMode: Immediate
`,
    );
    const bound = await c.waitFor(pvcPath(ns), 'db-data', (p) => p.status?.phase === 'Bound');
    const pv = await c.get(ns, 'pv', bound.spec.volumeName);
    expect(pv.spec.csi).toEqual({
      driver: 'ebs.csi.aws.com',
      fsType: 'ext4',
      volumeHandle: bound.spec.volumeName,
    });
    const running = await c.waitFor(
      `/api/v1/namespaces/${ns}/pods`,
      'db',
      (p) => p.status?.phase === 'Running',
    );
    expect(running.spec.nodeName).toBe('kube-sim-worker');

    // Retain: the volume outlives its claim, Released.
    await c.ok(ns, 'delete', 'pod', 'db');
    await c.ok(ns, 'delete', 'pvc', 'db-data');
    expect((await c.get(ns, 'pv', bound.spec.volumeName)).status.phase).toBe('Released');
    await c.ok(ns, 'delete', 'pv', bound.spec.volumeName);
  });

  it('a WaitForFirstConsumer class binds when the first pod that uses the claim is created', async () => {
    const ns = await c.namespace('pv-wffc');
    await c.apply(
      ns,
      `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: ${ns}-local}
provisioner: rancher.io/local-path
volumeBindingMode: WaitForFirstConsumer
`,
    );
    await c.apply(ns, claim('cache', `${ns}-local`));
    const [waiting] = await watchUntil(c.kc, `/api/v1/namespaces/${ns}/events`, (evs) =>
      evs.some((e) => e.reason === 'WaitForFirstConsumer'),
    );
    expect((await c.get(ns, 'pvc', 'cache')).status.phase).toBe('Pending');
    expect(waiting).toMatchObject({
      reason: 'WaitForFirstConsumer',
      message: 'waiting for first consumer to be created before binding',
    });
    await c.ok(
      ns,
      'run',
      'app',
      '--image=redis:7.2.5-alpine',
      '--overrides={"spec":{"volumes":[{"name":"d","persistentVolumeClaim":{"claimName":"cache"}}]}}',
    );
    await c.waitFor(pvcPath(ns), 'cache', (p) => p.status?.phase === 'Bound');
    await c.waitFor(`/api/v1/namespaces/${ns}/pods`, 'app', (p) => p.status?.phase === 'Running');
  });
});
