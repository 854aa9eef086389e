// Break-then-fix, Endpoints and EndpointSlices. From the Kubernetes task "Debug Services"
// (https://kubernetes.io/docs/tasks/debug/debug-application/debug-service/#does-the-service-have-any-endpoints):
// a Service whose selector matches no pod has no endpoints; fixed, it lists the pods' IPs on the
// resolved targetPort. And from "EndpointSlices" (https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/#conditions):
// a pod that is not ready is listed under notReadyAddresses / `ready: false`.
import { useCluster } from '../../testing/cluster';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const c = useCluster({ kubelet: { missingImages: ['web:broken'] } });

const manifest = (selector: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: web:1
        ports: [{name: http, containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: web, labels: {tier: front}}
spec:
  selector: {app: ${selector}}
  ports: [{name: web, port: 80, targetPort: http}]
`;

const epPath = (ns: string) => `/api/v1/namespaces/${ns}/endpoints`;
const readyIPs = (ep: Json): string[] =>
  ((ep.subsets ?? []) as Json[]).flatMap((s) => ((s.addresses ?? []) as Json[]).map((a) => a.ip));
const slices = async (ns: string): Promise<Json[]> =>
  JSON.parse(await c.ok(ns, 'get', 'endpointslices', '-l', 'kubernetes.io/service-name=web', '-o', 'json'))
    .items;

describe('Endpoints and EndpointSlices follow Services and ready pods', () => {
  it('a selector that matches no pod leaves the Service without endpoints; fixing it lists the pods on the named targetPort', async () => {
    const ns = await c.namespace('ep');
    await c.apply(ns, manifest('wbe'));
    await c.ok(ns, 'rollout', 'status', 'deployment/web', '--timeout=60s');

    // Broken: Endpoints exists with no subsets, one placeholder slice with nothing in it.
    const broken = await c.waitFor(epPath(ns), 'web', (ep) => ep.metadata.labels?.tier === 'front');
    expect(broken.subsets).toBeUndefined();
    expect(broken.metadata.labels).toEqual({ tier: 'front' });
    expect(await c.ok(ns, 'get', 'endpoints', 'web')).toMatch(
      /^NAME\s+ENDPOINTS\s+AGE\nweb\s+<none>\s+\S+\n$/,
    );
    const [placeholder, ...more] = await slices(ns);
    expect(more).toEqual([]);
    expect(placeholder.endpoints ?? null).toBeNull();
    expect(placeholder.ports ?? null).toBeNull();
    expect(placeholder.addressType).toBe('IPv4');
    expect(placeholder.metadata.labels).toEqual({
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
      'kubernetes.io/service-name': 'web',
      tier: 'front',
    });
    expect(placeholder.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Service', name: 'web', controller: true }),
    ]);
    expect(await c.ok(ns, 'get', 'endpointslices', '-l', 'kubernetes.io/service-name=web')).toMatch(
      /\nweb-[a-z0-9]{5}\s+IPv4\s+<unset>\s+<unset>\s+\S+\n$/,
    );

    // Fixed: both pods, on 8080 (the container port named http), with their node and pod.
    await c.ok(ns, 'patch', 'service', 'web', '-p', '{"spec":{"selector":{"app":"web"}}}');
    const fixed = await c.waitFor(epPath(ns), 'web', (ep) => readyIPs(ep).length === 2);
    const pods = JSON.parse(await c.ok(ns, 'get', 'pods', '-l', 'app=web', '-o', 'json')).items as Json[];
    const byIP = [...pods].sort((a, b) => (a.status.podIP < b.status.podIP ? -1 : 1));
    expect(fixed.subsets).toEqual([
      {
        addresses: byIP.map((p) => ({
          ip: p.status.podIP,
          nodeName: p.spec.nodeName,
          targetRef: { kind: 'Pod', name: p.metadata.name, namespace: ns, uid: p.metadata.uid },
        })),
        ports: [{ name: 'web', port: 8080, protocol: 'TCP' }],
      },
    ]);
    expect(await c.ok(ns, 'get', 'endpoints', 'web')).toMatch(
      new RegExp(`\\nweb\\s+${byIP.map((p) => `${p.status.podIP}:8080`).join(',')}\\s+\\S+\\n$`),
    );
    const [slice] = await slices(ns);
    expect(slice.metadata.name).toBe(placeholder.metadata.name); // updated in place
    expect(slice.ports).toEqual([{ name: 'web', port: 8080, protocol: 'TCP' }]);
    expect(slice.endpoints).toEqual(
      byIP.map((p) => ({
        addresses: [p.status.podIP],
        conditions: { ready: true, serving: true, terminating: false },
        nodeName: p.spec.nodeName,
        targetRef: { kind: 'Pod', name: p.metadata.name, namespace: ns, uid: p.metadata.uid },
      })),
    );
  });

  it('a pod that never becomes ready is a notReadyAddress and `ready: false` until the rollout is undone', async () => {
    const ns = await c.namespace('ep-ready');
    await c.apply(ns, manifest('web'));
    await c.ok(ns, 'rollout', 'status', 'deployment/web', '--timeout=60s');
    await c.waitFor(epPath(ns), 'web', (ep) => readyIPs(ep).length === 2);

    // Broken: the surge pod of a rollout to an image that cannot be pulled has an IP but is not ready.
    await c.ok(ns, 'set', 'image', 'deployment/web', 'app=web:broken');
    const broken = await c.waitFor(
      epPath(ns),
      'web',
      (ep) => ep.subsets?.[0]?.notReadyAddresses?.length === 1,
    );
    const stuck = (JSON.parse(await c.ok(ns, 'get', 'pods', '-o', 'json')).items as Json[]).find(
      (p) => p.spec.containers[0].image === 'web:broken',
    )!;
    expect(stuck.status.containerStatuses[0].state.waiting.reason).toMatch(/ErrImagePull|ImagePullBackOff/);
    expect(broken.subsets[0].addresses).toHaveLength(2);
    expect(broken.subsets[0].notReadyAddresses).toEqual([
      {
        ip: stuck.status.podIP,
        nodeName: stuck.spec.nodeName,
        targetRef: { kind: 'Pod', name: stuck.metadata.name, namespace: ns, uid: stuck.metadata.uid },
      },
    ]);
    // kubectl prints ready addresses only.
    expect(await c.ok(ns, 'get', 'endpoints', 'web')).not.toContain(stuck.status.podIP);
    const endpoints = (await slices(ns)).flatMap((s) => s.endpoints ?? []);
    expect(endpoints.find((e: Json) => e.addresses[0] === stuck.status.podIP)?.conditions).toEqual({
      ready: false,
      serving: false,
      terminating: false,
    });

    // Fixed: undo; the stuck pod goes and so does its address.
    await c.ok(ns, 'rollout', 'undo', 'deployment/web');
    await c.ok(ns, 'rollout', 'status', 'deployment/web', '--timeout=60s');
    const recovered = await c.waitFor(
      epPath(ns),
      'web',
      (ep) => readyIPs(ep).length === 2 && !ep.subsets[0].notReadyAddresses,
    );
    expect(readyIPs(recovered)).not.toContain(stuck.status.podIP);
    expect((await slices(ns)).flatMap((s) => s.endpoints ?? [])).toHaveLength(2);
  });

  it('deleting the Service deletes its Endpoints and, by ownership, its slices', async () => {
    const ns = await c.namespace('ep-delete');
    await c.apply(ns, manifest('web'));
    await c.waitFor(epPath(ns), 'web', (ep) => readyIPs(ep).length === 2);
    await c.ok(ns, 'delete', 'service', 'web');
    const r = await c.run(ns, 'get', 'endpoints', 'web');
    expect(r.stderr).toContain('endpoints "web" not found');
    expect(await slices(ns)).toEqual([]);
  });
});
