// Break-then-fix, StatefulSets. From the Kubernetes docs "StatefulSets"
// (https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/): stable names and one
// claim per pod from volumeClaimTemplates; "Deployment and Scaling Guarantees" (OrderedReady: pod
// N+1 is not created before pod N is Running and Ready, so a claim that cannot bind stops the set
// at web-0); "Rolling Updates" and "Forced rollback" (a rollout to a broken template stops at the
// highest ordinal, and after the template is reverted the broken pod must be deleted by hand).
// Event texts are the StatefulSet controller's (pkg/controller/statefulset stateful_pod_control.go).
import { podsPath, useCluster } from '../../testing/cluster';
import { watchUntil } from '../../testing/watch-until';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const c = useCluster();

const setsPath = (ns: string) => `/apis/apps/v1/namespaces/${ns}/statefulsets`;
const statefulSet = (image: string, claimClass = '') => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: ${image}
        ports: [{containerPort: 80, name: web}]
${
  claimClass
    ? `        volumeMounts: [{name: www, mountPath: /usr/share/nginx/html}]
  volumeClaimTemplates:
  - metadata: {name: www}
    spec:
      accessModes: [ReadWriteOnce]
      storageClassName: ${claimClass}
      resources: {requests: {storage: 1Gi}}
`
    : ''
}`;
const allReady = (s: Json) =>
  s.status?.readyReplicas === 2 && s.status?.currentRevision === s.status?.updateRevision;

describe('StatefulSets create pods in order, with their claims, and roll out one pod at a time', () => {
  it('a claim of a missing class stops the set at web-0; creating the class lets web-0 and then web-1 run', async () => {
    const ns = await c.namespace('sts-claims');
    await c.apply(ns, statefulSet('nginx:1.27', 'fast-ssd'));
    const [pending] = await watchUntil(c.kc, podsPath(ns), (ps) =>
      ps.some((p) =>
        p.status?.conditions?.some((x: Json) => x.type === 'PodScheduled' && x.status === 'False'),
      ),
    );
    expect(pending.metadata.name).toBe('web-0');
    expect(pending.spec).toMatchObject({ hostname: 'web-0', subdomain: 'web' });
    expect(pending.spec.volumes).toContainEqual({
      name: 'www',
      persistentVolumeClaim: { claimName: 'www-web-0' },
    });
    expect(pending.metadata.labels).toMatchObject({
      app: 'web',
      'statefulset.kubernetes.io/pod-name': 'web-0',
      'apps.kubernetes.io/pod-index': '0',
      'controller-revision-hash': expect.stringMatching(/^web-[a-z0-9]+$/),
    });
    const claim = await c.get(ns, 'pvc', 'www-web-0');
    expect(claim.status.phase).toBe('Pending');
    expect(claim.metadata.labels).toEqual({ app: 'web' });
    expect((await c.events(ns, 'involvedObject.name=www-web-0')).map((e) => e.reason)).toContain(
      'ProvisioningFailed',
    );
    const events = (await c.events(ns, 'involvedObject.kind=StatefulSet')).map((e) => e.message);
    expect(events).toEqual(
      expect.arrayContaining([
        'create Claim www-web-0 Pod web-0 in StatefulSet web success',
        'create Pod web-0 in StatefulSet web successful',
      ]),
    );
    // OrderedReady: nothing of web-1 exists while web-0 is not Running and Ready.
    expect((await c.run(ns, 'get', 'pod', 'web-1')).stderr).toMatch('pods "web-1" not found');
    expect((await c.run(ns, 'get', 'pvc', 'www-web-1')).stderr).toMatch(
      'persistentvolumeclaims "www-web-1" not found',
    );
    expect(await c.ok(ns, 'get', 'statefulset', 'web')).toMatch(/\nweb\s+0\/2\s+/);

    await c.apply(
      ns,
      'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: fast-ssd}\nprovisioner: ebs.csi.aws.com\n',
    );
    const ready = await c.waitFor(setsPath(ns), 'web', allReady);
    expect(ready.status).toMatchObject({
      replicas: 2,
      readyReplicas: 2,
      currentReplicas: 2,
      updatedReplicas: 2,
      availableReplicas: 2,
    });
    expect((await c.get(ns, 'pvc', 'www-web-1')).status.phase).toBe('Bound');
    expect(await c.ok(ns, 'get', 'statefulset', 'web')).toMatch(/\nweb\s+2\/2\s+/);
    // Removing the claims' class afterwards: the claims keep their volumes (Retain).
    await c.ok(ns, 'delete', 'statefulset', 'web');
    await watchUntil(c.kc, podsPath(ns), (ps) => ps.length === 0);
    expect((await c.get(ns, 'pvc', 'www-web-0')).status.phase).toBe('Bound');
  });

  it('a rollout to a missing tag sticks at web-1; reverting is not enough until the broken pod is deleted', async () => {
    const ns = await c.namespace('sts-rollback');
    await c.apply(ns, statefulSet('nginx:1.27'));
    const good = await c.waitFor(setsPath(ns), 'web', allReady);
    await c.ok(ns, 'set', 'image', 'statefulset/web', 'nginx=nginx:1.27-broken');
    const pullBackOff = (p: Json) =>
      p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff';
    const stuck = (await watchUntil(c.kc, podsPath(ns), (ps) => ps.some(pullBackOff))).find(pullBackOff)!;
    expect(stuck.metadata.name).toBe('web-1');
    const broken = await c.get(ns, 'statefulset', 'web');
    expect(broken.status).toMatchObject({
      currentRevision: good.status.updateRevision,
      updatedReplicas: 1,
      readyReplicas: 1,
    });
    expect(broken.status.updateRevision).not.toBe(good.status.updateRevision);
    expect(stuck.metadata.labels['controller-revision-hash']).toBe(broken.status.updateRevision);
    // web-0 is untouched while web-1 is not Ready.
    expect((await c.get(ns, 'pod', 'web-0')).metadata.uid).toBeDefined();
    expect((await c.get(ns, 'pod', 'web-0')).spec.containers[0].image).toBe('nginx:1.27');

    // Revert the template: the set's update revision is the good one again, but web-1 stays broken.
    await c.ok(ns, 'set', 'image', 'statefulset/web', 'nginx=nginx:1.27');
    const reverted = await c.waitFor(
      setsPath(ns),
      'web',
      (s) => s.status?.updateRevision === good.status.updateRevision,
    );
    expect(reverted.status.readyReplicas).toBe(1);
    const stillBroken = await c.get(ns, 'pod', 'web-1');
    expect(stillBroken.metadata.uid).toBe(stuck.metadata.uid);
    expect(stillBroken.spec.containers[0].image).toBe('nginx:1.27-broken');

    // Forced rollback: delete the broken pod; it comes back at the reverted revision.
    await c.ok(ns, 'delete', 'pod', 'web-1');
    const recovered = await c.waitFor(setsPath(ns), 'web', allReady);
    expect(recovered.status.currentRevision).toBe(good.status.updateRevision);
    expect((await c.get(ns, 'pod', 'web-1')).spec.containers[0].image).toBe('nginx:1.27');
    const revisions = JSON.parse(await c.ok(ns, 'get', 'controllerrevisions', '-o', 'json')).items as Json[];
    expect(revisions.map((r) => r.revision).sort()).toEqual([2, 3]);
  });

  it('scaling down removes the highest ordinal first', async () => {
    const ns = await c.namespace('sts-scale');
    await c.apply(ns, statefulSet('nginx:1.27'));
    await c.waitFor(setsPath(ns), 'web', allReady);
    await c.ok(ns, 'scale', 'statefulset/web', '--replicas=1');
    const pods = await watchUntil(c.kc, podsPath(ns), (ps) => ps.length === 1);
    expect(pods[0].metadata.name).toBe('web-0');
    expect((await c.events(ns, 'reason=SuccessfulDelete'))[0].message).toBe(
      'delete Pod web-1 in StatefulSet web successful',
    );
  });
});
