// Break-then-fix, the image registry. From the Kubernetes docs "Images"
// (https://kubernetes.io/docs/concepts/containers/images/#imagepullbackoff: the kubelet backs off
// pulling an image it cannot get, ErrImagePull then ImagePullBackOff, with increasing delays) and
// "Debug Running Pods"; messages are containerd's as the kubelet reports them
// (pkg/kubelet/images/image_manager.go: `Failed to pull image %q: %v`, `Back-off pulling image %q`).
import { podsPath, useCluster } from '../../testing/cluster';
import { watchUntil } from '../../testing/watch-until';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const c = useCluster();

const waiting = (p: Json) => p.status?.containerStatuses?.[0]?.state?.waiting;
const events = (ns: string, pod: string) => c.events(ns, `involvedObject.name=${pod}`);
const pod = (image: string) => `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers: [{name: web, image: "${image}"}]
`;

describe('the simulated registry has the tags real registries have', () => {
  it('a tag nginx never published is ErrImagePull, then ImagePullBackOff with retries, until the image is fixed', async () => {
    const ns = await c.namespace('img-tag');
    await c.apply(ns, pod('nginx:invalid-tag'));
    const ref = 'docker.io/library/nginx:invalid-tag';
    const notFound = `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
    const broken = await c.waitFor(podsPath(ns), 'web', (p) => waiting(p)?.reason === 'ImagePullBackOff');
    expect(waiting(broken)).toEqual({
      reason: 'ImagePullBackOff',
      message: 'Back-off pulling image "nginx:invalid-tag"',
    });
    expect(broken.status.containerStatuses[0]).toMatchObject({
      image: 'nginx:invalid-tag',
      imageID: '',
      ready: false,
      started: false,
    });
    expect(await c.ok(ns, 'get', 'pod', 'web')).toMatch(
      /\nweb\s+0\/1\s+(ErrImagePull|ImagePullBackOff)\s+0\s+/,
    );
    // The kubelet keeps trying: the pull is repeated, and so are its events.
    const [pulling] = await watchUntil(c.kc, `/api/v1/namespaces/${ns}/events`, (evs) =>
      evs.some((e) => e.reason === 'Pulling' && e.count >= 2),
    );
    expect(pulling).toBeDefined();
    const byReason = (await events(ns, 'web')).map((e) => [e.type, e.reason, e.message]);
    expect(byReason).toEqual(
      expect.arrayContaining([
        ['Normal', 'Pulling', 'Pulling image "nginx:invalid-tag"'],
        ['Warning', 'Failed', `Failed to pull image "nginx:invalid-tag": ${notFound}`],
        ['Warning', 'Failed', 'Error: ErrImagePull'],
        ['Normal', 'BackOff', 'Back-off pulling image "nginx:invalid-tag"'],
        ['Warning', 'Failed', 'Error: ImagePullBackOff'],
      ]),
    );

    await c.ok(ns, 'set', 'image', 'pod/web', 'web=nginx:1.27');
    const fixed = await c.waitFor(podsPath(ns), 'web', (p) => p.status?.phase === 'Running');
    expect(fixed.status.containerStatuses[0]).toMatchObject({
      image: 'docker.io/library/nginx:1.27',
      imageID: expect.stringMatching(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/),
      ready: true,
      state: { running: expect.any(Object) },
    });
  });

  it('a misspelt repository does not exist: pull access denied', async () => {
    const ns = await c.namespace('img-repo');
    await c.apply(ns, pod('ngnix:1.27'));
    const ref = 'docker.io/library/ngnix:1.27';
    const broken = await c.waitFor(podsPath(ns), 'web', (p) => waiting(p)?.reason === 'ErrImagePull');
    expect(waiting(broken).message).toBe(
      `rpc error: code = Unknown desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`,
    );
    await c.ok(ns, 'set', 'image', 'pod/web', 'web=nginx:1.27');
    await c.waitFor(podsPath(ns), 'web', (p) => p.status?.phase === 'Running');
  });

  it('a Deployment rolled out to a missing tag stalls, and rollout undo restores it', async () => {
    const ns = await c.namespace('img-deploy');
    await c.apply(
      ns,
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: cache}
spec:
  replicas: 2
  selector: {matchLabels: {app: cache}}
  template:
    metadata: {labels: {app: cache}}
    spec: {containers: [{name: redis, image: "redis:7.2.5-alpine"}]}
`,
    );
    await c.ok(ns, 'rollout', 'status', 'deployment/cache', '--timeout=60s');
    await c.ok(ns, 'set', 'image', 'deployment/cache', 'redis=redis:7.2.99-alpine');
    const [stuck] = await watchUntil(c.kc, podsPath(ns), (pods) =>
      pods.some(
        (p) =>
          p.spec.containers[0].image === 'redis:7.2.99-alpine' && waiting(p)?.reason === 'ImagePullBackOff',
      ),
    );
    expect(stuck).toBeDefined();
    const r = await c.run(ns, 'rollout', 'status', 'deployment/cache', '--timeout=1s');
    expect(r.code).not.toBe(0);
    expect(r.stdout).toContain(
      'Waiting for deployment "cache" rollout to finish: 1 out of 2 new replicas have been updated...',
    );

    await c.ok(ns, 'rollout', 'undo', 'deployment/cache');
    await c.ok(ns, 'rollout', 'status', 'deployment/cache', '--timeout=60s');
    const images = (JSON.parse(await c.ok(ns, 'get', 'pods', '-o', 'json')).items as Json[]).map(
      (p) => p.spec.containers[0].image,
    );
    expect(images).toEqual(['redis:7.2.5-alpine', 'redis:7.2.5-alpine']);
  });
});
